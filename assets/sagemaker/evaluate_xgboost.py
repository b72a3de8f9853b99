"""The platform's evaluation step for SageMaker's built-in XGBoost algorithm (Processing job, XGBoost 1.7-1 image).

::

    python3 evaluate_xgboost.py --label L --features f1,f2[,...] --problem-type binary|multiclass|regression
        --metric M [--layout xgboost|header] [--model-dir /opt/ml/processing/model]
        [--test-dir /opt/ml/processing/test] [--output-dir /opt/ml/processing/evaluation]

Loads the booster ``xgboost-model`` from ``model.tar.gz`` in ``--model-dir`` (the built-in algorithm saves it with
``Booster.save_model`` since version 1.3-1), scores every ``*.csv`` in ``--test-dir`` (layout ``xgboost``, the
default: no header, label first, then the features in ``--features`` order, as the platform's preprocessing writes
it; layout ``header``: a header row naming the label and feature columns) and writes
``<output-dir>/evaluation.json``, also printed::

    {"metrics": {"auc": {"value": 0.91}, "accuracy": {"value": 0.86}, ...}}

with every Model Monitor model-quality metric of the problem type (names as the platform's ``QualityMetric``):

- binary (``binary:logistic``: the model predicts the probability of class 1; class 1 when it is 0.5 or more):
  accuracy, precision, recall, f0_5, f1, f2, auc, au_prc, true_positive_rate, true_negative_rate,
  false_positive_rate, false_negative_rate;
- multiclass (``multi:softprob`` probabilities, the most likely class; ``multi:softmax`` class ids as they are):
  accuracy, weighted_precision, weighted_recall, weighted_f0_5, weighted_f1, weighted_f2;
- regression: mae, mse, rmse, r2.

``--metric`` (the pipeline's gate reads ``metrics.<metric>.value``) must be one of them. Missing or unusable input
stops the step with exit code 1 and one line on stderr. Runs on Python 3.8+ with xgboost, numpy, pandas and
scikit-learn (all in the SageMaker XGBoost image).
"""
import argparse
import glob
import json
import math
import os
import sys
import tarfile
import tempfile

import numpy as np
import pandas as pd

MODEL_FILE = "xgboost-model"
MODEL_ARCHIVE = "model.tar.gz"
LAYOUTS = ("xgboost", "header")
METRICS = {
    "binary": ("accuracy", "precision", "recall", "f0_5", "f1", "f2", "auc", "au_prc", "true_positive_rate",
               "true_negative_rate", "false_positive_rate", "false_negative_rate"),
    "multiclass": ("accuracy", "weighted_precision", "weighted_recall", "weighted_f0_5", "weighted_f1",
                   "weighted_f2"),
    "regression": ("mae", "mse", "rmse", "r2"),
}


class EvaluationError(Exception):
    """Bad arguments, or missing or unusable input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the command line; every path has a SageMaker Processing default."""
    parser = argparse.ArgumentParser(description="Evaluate a built-in XGBoost model on the test split")
    parser.add_argument("--label", required=True, help="the label column")
    parser.add_argument("--features", required=True, help="the feature columns, comma-separated, in model order")
    parser.add_argument("--problem-type", required=True, help=", ".join(METRICS))
    parser.add_argument("--metric", required=True, help="the metric the pipeline's gate reads")
    parser.add_argument("--layout", default="xgboost", help=", ".join(LAYOUTS))
    parser.add_argument("--model-dir", default="/opt/ml/processing/model", help="directory holding model.tar.gz")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test", help="directory holding the test CSV")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation",
                        help="directory receiving evaluation.json")
    return parser.parse_args(argv)


def check_args(features, problem_type, metric, layout):
    """Raise EvaluationError naming the argument, its value and what is allowed."""
    if not features or any(not name for name in features):
        raise EvaluationError("--features must list the feature columns, comma-separated, got {!r}".format(
            ",".join(features)))
    if problem_type not in METRICS:
        raise EvaluationError("--problem-type must be one of {}, got {}".format(", ".join(METRICS), problem_type))
    if metric not in METRICS[problem_type]:
        raise EvaluationError("--metric must be one of {} for problem type {}, got {}".format(
            ", ".join(METRICS[problem_type]), problem_type, metric))
    if layout not in LAYOUTS:
        raise EvaluationError("--layout must be one of {}, got {}".format(", ".join(LAYOUTS), layout))


def load_booster(model_dir):
    """Load ``xgboost-model`` from ``model_dir/model.tar.gz`` (or a plain ``xgboost-model`` file)."""
    import xgboost  # pylint: disable=import-outside-toplevel

    booster = xgboost.Booster()
    plain = os.path.join(model_dir, MODEL_FILE)
    if os.path.isfile(plain):
        booster.load_model(plain)
        return booster
    archive = os.path.join(model_dir, MODEL_ARCHIVE)
    if not os.path.isfile(archive):
        raise EvaluationError("no {} or {} in {}".format(MODEL_ARCHIVE, MODEL_FILE, model_dir))
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as scratch:
        for member in tar.getmembers():
            if member.isfile() and os.path.normpath(member.name) == MODEL_FILE:
                target = os.path.join(scratch, MODEL_FILE)
                with open(target, "wb") as handle:
                    handle.write(tar.extractfile(member).read())
                booster.load_model(target)
                return booster
    raise EvaluationError("{} holds no {}".format(archive, MODEL_FILE))


def read_test_data(test_dir, label, features, layout):
    """Read every CSV in ``test_dir``; return ``(X, y)`` as float arrays, X's columns in ``features`` order."""
    files = sorted(glob.glob(os.path.join(test_dir, "*.csv")))
    if not files:
        raise EvaluationError("no *.csv file in {}".format(test_dir))
    if layout == "header":
        frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
        for column in list(features) + [label]:
            if column not in frame.columns:
                raise EvaluationError("column '{}' is missing in {}".format(column, test_dir))
        frame = frame[[label] + list(features)]
    else:
        frame = pd.concat([pd.read_csv(path, header=None) for path in files], ignore_index=True)
        if frame.shape[1] != len(features) + 1:
            raise EvaluationError("{} has {} columns; the xgboost layout needs {} (the label, then {})".format(
                test_dir, frame.shape[1], len(features) + 1, ", ".join(features)))
    if frame.empty:
        raise EvaluationError("no test rows in {}".format(test_dir))
    try:
        values = frame.to_numpy(dtype=float)
    except ValueError:
        raise EvaluationError("{} holds values that are not numbers".format(test_dir))
    return values[:, 1:], values[:, 0]


def predict(booster, features, problem_type):
    """Return ``(predicted labels, scores)``: scores are class-1 probabilities (binary), else None."""
    import xgboost  # pylint: disable=import-outside-toplevel

    raw = np.asarray(booster.predict(xgboost.DMatrix(features)))
    if problem_type == "binary":
        scores = raw.ravel()
        return (scores >= 0.5).astype(int), scores
    if problem_type == "multiclass":
        if raw.ndim == 2:  # multi:softprob: one probability per class
            return raw.argmax(axis=1), None
        return raw.astype(int), None  # multi:softmax: the class id
    return raw.ravel(), None


def _rate(numerator, denominator):
    return float(numerator) / denominator if denominator else 0.0


def compute_metrics(problem_type, target, predicted, scores=None):
    """Return ``{name: value}`` for every metric of ``METRICS[problem_type]``."""
    from sklearn import metrics as m  # pylint: disable=import-outside-toplevel

    if problem_type == "regression":
        mse = m.mean_squared_error(target, predicted)
        return {"mae": m.mean_absolute_error(target, predicted), "mse": mse, "rmse": math.sqrt(mse),
                "r2": m.r2_score(target, predicted)}
    target = target.astype(int)
    predicted = np.asarray(predicted).astype(int)
    if problem_type == "multiclass":
        weighted = {"average": "weighted", "zero_division": 0}
        return {
            "accuracy": m.accuracy_score(target, predicted),
            "weighted_precision": m.precision_score(target, predicted, **weighted),
            "weighted_recall": m.recall_score(target, predicted, **weighted),
            "weighted_f0_5": m.fbeta_score(target, predicted, beta=0.5, **weighted),
            "weighted_f1": m.f1_score(target, predicted, **weighted),
            "weighted_f2": m.fbeta_score(target, predicted, beta=2, **weighted),
        }
    if len(np.unique(target)) < 2:
        raise EvaluationError("the test data holds one class only ({}): auc needs both 0 and 1".format(target[0]))
    tn, fp, fn, tp = m.confusion_matrix(target, predicted, labels=[0, 1]).ravel()
    return {
        "accuracy": m.accuracy_score(target, predicted),
        "precision": m.precision_score(target, predicted, zero_division=0),
        "recall": m.recall_score(target, predicted, zero_division=0),
        "f0_5": m.fbeta_score(target, predicted, beta=0.5, zero_division=0),
        "f1": m.f1_score(target, predicted, zero_division=0),
        "f2": m.fbeta_score(target, predicted, beta=2, zero_division=0),
        "auc": m.roc_auc_score(target, scores),
        "au_prc": m.average_precision_score(target, scores),
        "true_positive_rate": _rate(tp, tp + fn),
        "true_negative_rate": _rate(tn, tn + fp),
        "false_positive_rate": _rate(fp, fp + tn),
        "false_negative_rate": _rate(fn, fn + tp),
    }


def evaluate(label, features, problem_type, metric, layout, model_dir, test_dir, output_dir):
    """Run the step; write and return the evaluation report."""
    check_args(features, problem_type, metric, layout)
    booster = load_booster(model_dir)
    x, y = read_test_data(test_dir, label, features, layout)
    predicted, scores = predict(booster, x, problem_type)
    values = compute_metrics(problem_type, y, predicted, scores)
    report = {"metrics": {name: {"value": float(values[name])} for name in METRICS[problem_type]}}
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, "evaluation.json"), "w") as handle:
        handle.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report


def main(argv=None):
    """Command-line entry point; return the exit code (1 with one stderr line on bad input)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    features = [name.strip() for name in args.features.split(",")]
    try:
        report = evaluate(args.label.strip(), features, args.problem_type, args.metric, args.layout,
                          args.model_dir, args.test_dir, args.output_dir)
    except EvaluationError as error:
        sys.stderr.write("{}\n".format(error))
        return 1
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
