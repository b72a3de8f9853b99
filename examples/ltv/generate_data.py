"""Generate the ltv example's ``customer_value.csv``: one row per customer of an online shop.

Eight numeric features and the label ``value``, the customer's spend over the next 12 months (USD):

========================= =====================================================================
``orders``                orders in the last 12 months
``tenure``                months since the first order (1-96)
``avg_order_value``       average order value over the last 12 months (USD)
``days_since_last_order`` days since the latest order (recency)
``support_tickets``       support tickets in the last 12 months
``email_open_rate``       share of marketing e-mails opened (0-1)
``loyalty_member``        1 for members of the loyalty programme
``mobile_app``            1 when the customer orders through the app
========================= =====================================================================

The value follows the recency-frequency-monetary pattern of retail: the next year's spend grows with the order
rate and the basket size, shrinks as the last order recedes (the customer may have left), with a lift for loyalty
members and app users, plus noise (standard deviation 6 USD) no model can predict. A gradient-boosted regressor
reaches a test RMSE of about 10 USD on the committed 2,000 rows (a linear regression about 16.5 USD, a constant
guess about 44 USD).

Usage::

    python3 generate_data.py --rows 2000 --seed 42 --out customer_value.csv

Deterministic: the same ``--rows`` and ``--seed`` always write the same bytes. Runs on Python 3.8+ with numpy.
"""
import argparse
import os
import sys

import numpy as np

FEATURES = ("orders", "tenure", "avg_order_value", "days_since_last_order", "support_tickets", "email_open_rate",
            "loyalty_member", "mobile_app")
LABEL = "value"
NOISE_USD = 6.0


def generate(rows, seed):
    """Return ``{column: numpy array}`` for the features and the label, ``rows`` long, drawn with ``seed``."""
    if rows < 1:
        raise ValueError("--rows must be a positive integer, got {}".format(rows))
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 97, rows)
    loyalty = (rng.random(rows) < 0.3).astype(int)
    app = (rng.random(rows) < 0.4).astype(int)
    orders = rng.poisson(1.5 + 2.0 * loyalty + 1.0 * app + np.minimum(tenure, 24) / 12.0)
    basket = np.round(rng.gamma(4.0, 6.0, rows) + 10.0, 2)
    recency = np.minimum(rng.exponential(60.0, rows) / (1.0 + 0.3 * orders), 365).astype(int)
    tickets = rng.poisson(0.5, rows)
    open_rate = np.round(rng.beta(2.0, 5.0, rows), 3)
    retention = np.exp(-recency / 90.0) * (1.0 + 0.25 * loyalty + 0.15 * app)
    expected = 0.4 * orders * basket * retention + 20.0 * open_rate - 2.0 * tickets
    value = np.maximum(np.round(expected + rng.normal(0.0, NOISE_USD, rows), 2), 0.0)
    return {
        "orders": orders, "tenure": tenure, "avg_order_value": basket, "days_since_last_order": recency,
        "support_tickets": tickets, "email_open_rate": open_rate, "loyalty_member": loyalty, "mobile_app": app,
        LABEL: value,
    }


FORMATS = {"avg_order_value": "{:.2f}", "email_open_rate": "{:.3f}", LABEL: "{:.2f}"}


def to_csv(columns):
    """Render the columns as CSV text with a header row (features, then ``value``)."""
    names = list(FEATURES) + [LABEL]
    lines = [",".join(names)]
    for row in zip(*(columns[name] for name in names)):
        lines.append(",".join(FORMATS.get(name, "{:d}").format(value) for name, value in zip(names, row)))
    return "\n".join(lines) + "\n"


def parse_args(argv):
    """Parse the command line (``--rows``, ``--seed``, ``--out``)."""
    parser = argparse.ArgumentParser(description="Generate a sample customer_value.csv")
    parser.add_argument("--rows", type=int, default=2000, help="number of data rows (default 2000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", default="customer_value.csv", help="output CSV path")
    return parser.parse_args(argv)


def main(argv=None):
    """Write the CSV; return the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        columns = generate(args.rows, args.seed)
    except ValueError as error:
        sys.stderr.write("{}\n".format(error))
        return 2
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", newline="") as handle:
        handle.write(to_csv(columns))
    print("wrote {} rows to {} (mean value: {:.2f})".format(args.rows, args.out, float(columns[LABEL].mean())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
