"""Generate a sample ``user_interactions.csv`` for the recommendation example.

Each row is one user/item impression: ``feature1`` is the user's affinity for the item's category
(standardised, roughly normal), ``feature2`` is the item's position in the list the user saw (1 = top,
scaled to 0..1), ``target`` is 1 when the user clicked. The click probability follows a logistic model of
the two features plus noise, so a logistic regression trained on the data reaches an accuracy well above
0.7 while the data still has the overlap real interaction logs have.

Usage::

    python3 generate_data.py --rows 1000 --seed 42 --out user_interactions.csv

Deterministic: the same ``--rows`` and ``--seed`` always write the same bytes.
Runs on Python 3.8+ with numpy only (no pandas needed).
"""
import argparse
import os
import sys

import numpy as np

COLUMNS = ("feature1", "feature2", "target")

# Coefficients of the logistic click model: strong enough for a clear signal, with label noise on top.
INTERCEPT = 0.4
AFFINITY_WEIGHT = 2.6
POSITION_WEIGHT = -3.2
LABEL_NOISE = 0.05  # share of rows whose label is flipped (mis-clicks, bots)


def generate(rows, seed):
    """Return ``(feature1, feature2, target)`` numpy arrays of length ``rows`` drawn with ``seed``."""
    if rows < 1:
        raise ValueError("--rows must be a positive integer, got {}".format(rows))
    rng = np.random.default_rng(seed)
    affinity = rng.normal(0.0, 1.0, rows)
    position = rng.integers(1, 21, rows)  # list positions 1..20
    feature2 = (position - 1) / 19.0
    logit = INTERCEPT + AFFINITY_WEIGHT * affinity + POSITION_WEIGHT * (feature2 - 0.5)
    probability = 1.0 / (1.0 + np.exp(-logit))
    target = (rng.random(rows) < probability).astype(int)
    flip = rng.random(rows) < LABEL_NOISE
    target = np.where(flip, 1 - target, target)
    return np.round(affinity, 4), np.round(feature2, 4), target


def to_csv(feature1, feature2, target):
    """Render the three columns as CSV text with a header row (``feature1,feature2,target``)."""
    lines = [",".join(COLUMNS)]
    for f1, f2, t in zip(feature1, feature2, target):
        lines.append("{:.4f},{:.4f},{:d}".format(f1, f2, int(t)))
    return "\n".join(lines) + "\n"


def parse_args(argv):
    """Parse the command line (``--rows``, ``--seed``, ``--out``)."""
    parser = argparse.ArgumentParser(description="Generate a sample user_interactions.csv")
    parser.add_argument("--rows", type=int, default=1000, help="number of data rows (default 1000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", default="user_interactions.csv", help="output CSV path")
    return parser.parse_args(argv)


def main(argv=None):
    """Write the CSV; return the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        feature1, feature2, target = generate(args.rows, args.seed)
    except ValueError as error:
        sys.stderr.write("{}\n".format(error))
        return 2
    directory = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(directory, exist_ok=True)
    with open(args.out, "w", newline="") as handle:
        handle.write(to_csv(feature1, feature2, target))
    print("wrote {} rows to {} (clicks: {})".format(args.rows, args.out, int(target.sum())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
