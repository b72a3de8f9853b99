"""Evaluation step of the ltv example (SageMaker Processing job): regression metrics of the customer value model.

::

    python3 evaluate.py --label value --features orders,tenure,... --problem-type regression --metric rmse
        [--layout header] [--model-dir /opt/ml/processing/model] [--test-dir /opt/ml/processing/test]
        [--output-dir /opt/ml/processing/evaluation]

Loads ``model.joblib`` from ``model.tar.gz`` in ``--model-dir`` (as SageMaker training writes it; a plain
``model.joblib`` works too), scores it on every CSV in ``--test-dir`` (a header row naming the label and the
features) and writes ``<output-dir>/evaluation.json``, also printed::

    {"metrics": {"mae": {"value": 6.6}, "mse": {"value": 94.9}, "r2": {"value": 0.95}, "rmse": {"value": 9.7}}}

The pipeline's condition reads ``metrics.<--metric>.value`` (RMSE must stay at or below the threshold). Missing or
unusable input stops the step with exit code 1 and one line on stderr. Runs on Python 3.8+ with pandas,
scikit-learn and joblib.
"""
import argparse
import glob
import json
import math
import os
import sys
import tarfile
import tempfile

import joblib
import pandas as pd
from sklearn import metrics

MODEL_FILE = "model.joblib"
MODEL_ARCHIVE = "model.tar.gz"
METRIC_NAMES = ("mae", "mse", "rmse", "r2")


class EvaluationError(Exception):
    """Bad arguments, or missing or unusable input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the command line; every path has a SageMaker Processing default."""
    parser = argparse.ArgumentParser(description="Evaluate the customer value regression model")
    parser.add_argument("--label", default="value", help="the label column")
    parser.add_argument("--features", default=None,
                        help="the feature columns, comma-separated (default: those the model was trained on)")
    parser.add_argument("--problem-type", default="regression", help="regression")
    parser.add_argument("--metric", default="rmse", help=", ".join(METRIC_NAMES))
    parser.add_argument("--layout", default="header", help="header (the only layout this model reads)")
    parser.add_argument("--model-dir", default="/opt/ml/processing/model", help="directory holding model.tar.gz")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test", help="directory holding test.csv")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation",
                        help="directory receiving evaluation.json")
    return parser.parse_args(argv)


def check_args(problem_type, metric, layout):
    """Raise EvaluationError naming the argument, its value and what is allowed."""
    if problem_type != "regression":
        raise EvaluationError("--problem-type must be regression for this model, got {}".format(problem_type))
    if metric not in METRIC_NAMES:
        raise EvaluationError("--metric must be one of {}, got {}".format(", ".join(METRIC_NAMES), metric))
    if layout != "header":
        raise EvaluationError("--layout must be header for this model, got {}".format(layout))


def load_model(model_dir):
    """Load ``model.joblib`` from ``model_dir`` (plain, else from ``model.tar.gz``)."""
    plain = os.path.join(model_dir, MODEL_FILE)
    if os.path.isfile(plain):
        return joblib.load(plain)
    archive = os.path.join(model_dir, MODEL_ARCHIVE)
    if not os.path.isfile(archive):
        raise EvaluationError("no {} or {} in {}".format(MODEL_ARCHIVE, MODEL_FILE, model_dir))
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as scratch:
        for member in tar.getmembers():
            if member.isfile() and os.path.normpath(member.name) == MODEL_FILE:
                target = os.path.join(scratch, MODEL_FILE)
                with open(target, "wb") as handle:
                    handle.write(tar.extractfile(member).read())
                return joblib.load(target)
    raise EvaluationError("{} holds no {}".format(archive, MODEL_FILE))


def read_test_data(test_dir, label, features):
    """Read every CSV in ``test_dir``; return ``(features frame, label values)``."""
    files = sorted(glob.glob(os.path.join(test_dir, "*.csv")))
    if not files:
        raise EvaluationError("no *.csv file in {}".format(test_dir))
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    for column in list(features) + [label]:
        if column not in frame.columns:
            raise EvaluationError("column '{}' is missing in {}".format(column, test_dir))
    if frame.empty:
        raise EvaluationError("no test rows in {}".format(test_dir))
    return frame[list(features)].astype(float), frame[label].to_numpy(dtype=float)


def evaluate(model_dir, test_dir, output_dir, label="value", features=None, problem_type="regression",
             metric="rmse", layout="header"):
    """Run the step; write and return the evaluation report."""
    check_args(problem_type, metric, layout)
    model = load_model(model_dir)
    trained_on = [str(name) for name in model.feature_names_in_]
    if features is not None and list(features) != trained_on:
        raise EvaluationError("--features must be the model's features {}, got {}".format(
            ",".join(trained_on), ",".join(features)))
    x, y = read_test_data(test_dir, label, trained_on)
    predicted = model.predict(x)
    mse = metrics.mean_squared_error(y, predicted)
    values = {"mae": metrics.mean_absolute_error(y, predicted), "mse": mse, "rmse": math.sqrt(mse),
              "r2": metrics.r2_score(y, predicted)}
    report = {"metrics": {name: {"value": float(values[name])} for name in METRIC_NAMES}}
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, "evaluation.json"), "w") as handle:
        handle.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report


def main(argv=None):
    """Command-line entry point; return the exit code (1 with one stderr line on bad input)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    features = [name.strip() for name in args.features.split(",")] if args.features else None
    try:
        report = evaluate(args.model_dir, args.test_dir, args.output_dir, args.label.strip(), features,
                          args.problem_type, args.metric, args.layout)
    except EvaluationError as error:
        sys.stderr.write("{}\n".format(error))
        return 1
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
