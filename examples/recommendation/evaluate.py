"""Evaluation step of the recommendation example (SageMaker Processing job).

Loads the model from ``--model-dir`` (``model.tar.gz`` as written by SageMaker training, or a plain
``model.joblib``), scores it on ``--test-dir``/``test.csv`` and writes ``<output-dir>/evaluation.json``::

    {"metrics": {"accuracy": {"value": a}, "precision": {"value": p}, "recall": {"value": r}}}

(binary classification, positive class 1; the pipeline's condition reads ``metrics.accuracy.value``), and prints
it. Defaults follow the SageMaker Processing layout. Runs on Python 3.8+ with pandas, scikit-learn, joblib.
"""
import argparse
import glob
import json
import os
import sys
import tarfile
import tempfile

import joblib
import pandas as pd
from sklearn.metrics import accuracy_score, precision_score, recall_score

FEATURE_COLUMNS = ("feature1", "feature2")
TARGET_COLUMN = "target"
MODEL_FILE = "model.joblib"
MODEL_ARCHIVE = "model.tar.gz"


class EvaluationError(Exception):
    """Missing or unusable input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the command line; every path has a SageMaker Processing default."""
    parser = argparse.ArgumentParser(description="Evaluate the recommendation click model")
    parser.add_argument("--model-dir", default="/opt/ml/processing/model",
                        help="directory holding model.tar.gz or model.joblib")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test", help="directory holding test.csv")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation",
                        help="directory receiving evaluation.json")
    return parser.parse_args(argv)


def _extract_model(archive, destination):
    """Extract ``model.joblib`` from a SageMaker ``model.tar.gz`` into ``destination``; return its path."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = os.path.normpath(member.name)
            if member.isfile() and name == MODEL_FILE:
                source = tar.extractfile(member)
                target = os.path.join(destination, MODEL_FILE)
                with open(target, "wb") as handle:
                    handle.write(source.read())
                return target
    raise EvaluationError("{} holds no {}".format(archive, MODEL_FILE))


def load_model(model_dir):
    """Load the model from ``model_dir`` (``model.joblib``, else ``model.tar.gz``)."""
    plain = os.path.join(model_dir, MODEL_FILE)
    if os.path.isfile(plain):
        return joblib.load(plain)
    archive = os.path.join(model_dir, MODEL_ARCHIVE)
    if not os.path.isfile(archive):
        raise EvaluationError("no {} or {} in {}".format(MODEL_ARCHIVE, MODEL_FILE, model_dir))
    with tempfile.TemporaryDirectory() as scratch:
        return joblib.load(_extract_model(archive, scratch))


def read_test_data(test_dir):
    """Read every CSV in ``test_dir``; return ``(X, y)``."""
    files = sorted(glob.glob(os.path.join(test_dir, "*.csv")))
    if not files:
        raise EvaluationError("no *.csv file in {}".format(test_dir))
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    for column in FEATURE_COLUMNS + (TARGET_COLUMN,):
        if column not in frame.columns:
            raise EvaluationError("column '{}' is missing in {}".format(column, test_dir))
    if frame.empty:
        raise EvaluationError("no test rows in {}".format(test_dir))
    return frame[list(FEATURE_COLUMNS)].to_numpy(dtype=float), frame[TARGET_COLUMN].to_numpy(dtype=int)


def compute_metrics(target, predicted):
    """Return the evaluation report dict (accuracy, precision, recall of class 1)."""
    return {
        "metrics": {
            "accuracy": {"value": float(accuracy_score(target, predicted))},
            "precision": {"value": float(precision_score(target, predicted, zero_division=0))},
            "recall": {"value": float(recall_score(target, predicted, zero_division=0))},
        }
    }


def evaluate(model_dir, test_dir, output_dir):
    """Run the step; write and return the evaluation report."""
    model = load_model(model_dir)
    features, target = read_test_data(test_dir)
    report = compute_metrics(target, model.predict(features))
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, "evaluation.json"), "w") as handle:
        handle.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report


def main(argv=None):
    """Command-line entry point; return the exit code (1 with one stderr line on bad input)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        report = evaluate(args.model_dir, args.test_dir, args.output_dir)
    except EvaluationError as error:
        sys.stderr.write("{}\n".format(error))
        return 1
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
