"""Training step of the recommendation example (SageMaker Training job, scikit-learn script mode).

Trains a click model (standardised features + logistic regression) on ``train.csv`` (columns ``feature1``,
``feature2``, ``target``) and writes ``model.joblib`` to the model directory.

Hyperparameters arrive as arguments: ``--C`` (inverse regularisation strength, default 1.0), ``--solver``
(default ``lbfgs``), ``--max-iter`` (default 200). Paths default to the SageMaker environment:
``--train`` = ``$SM_CHANNEL_TRAIN``, ``--test`` = ``$SM_CHANNEL_TEST`` (optional), ``--model-dir`` =
``$SM_MODEL_DIR``. The script prints ``validation:accuracy=<float>`` on its own line for the tuning job's
metric definition ``validation:accuracy=([0-9\\.]+)`` (measured on the test channel; on the training data, with
a note on stderr, when there is no test channel).

The module also holds the SageMaker scikit-learn serving functions ``model_fn``, ``input_fn``, ``predict_fn``
and ``output_fn``: CSV (``feature1,feature2`` per line, optional header) or JSON in; the predicted class
(0/1) per row out, as CSV lines or ``{"predictions": [...]}``. Runs on Python 3.8+.
"""
import argparse
import glob
import io
import json
import os
import sys

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

SERVING_CODE_DIR = "code"

FEATURE_COLUMNS = ("feature1", "feature2")
TARGET_COLUMN = "target"
MODEL_FILE = "model.joblib"
SOLVERS = ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga")
RANDOM_STATE = 42


class UsageError(Exception):
    """A bad hyperparameter or missing input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse hyperparameters and paths; unknown arguments (e.g. ``--_tuning_objective_metric``) are returned."""
    parser = argparse.ArgumentParser(description="Train the recommendation click model")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength (> 0)")
    parser.add_argument("--solver", default="lbfgs", help="LogisticRegression solver: " + ", ".join(SOLVERS))
    parser.add_argument("--max-iter", "--max_iter", dest="max_iter", type=int, default=200,
                        help="maximum solver iterations (> 0)")
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"),
                        help="directory holding train.csv")
    parser.add_argument("--test", default=os.environ.get("SM_CHANNEL_TEST"),
                        help="directory holding test.csv (optional)")
    parser.add_argument("--model-dir", "--model_dir", dest="model_dir",
                        default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"),
                        help="directory receiving model.joblib")
    return parser.parse_known_args(argv)


def check_hyperparameters(c, solver, max_iter):
    """Raise UsageError naming the hyperparameter, its value and what is allowed."""
    if not np.isfinite(c) or c <= 0:
        raise UsageError("--C must be a number greater than 0, got {}".format(c))
    if solver not in SOLVERS:
        raise UsageError("--solver must be one of {}, got {}".format(", ".join(SOLVERS), solver))
    if max_iter < 1:
        raise UsageError("--max-iter must be an integer of at least 1, got {}".format(max_iter))


def read_channel(directory, name):
    """Read every CSV in a channel directory; return ``(X, y)`` numpy arrays."""
    if not directory or not os.path.isdir(directory):
        raise UsageError("{} channel directory {} does not exist".format(name, directory))
    files = sorted(glob.glob(os.path.join(directory, "*.csv")))
    if not files:
        raise UsageError("no *.csv file in the {} channel ({})".format(name, directory))
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    for column in FEATURE_COLUMNS + (TARGET_COLUMN,):
        if column not in frame.columns:
            raise UsageError("column '{}' is missing in the {} channel".format(column, name))
    features = frame[list(FEATURE_COLUMNS)].to_numpy(dtype=float)
    target = frame[TARGET_COLUMN].to_numpy(dtype=int)
    return features, target


def build_model(c, solver, max_iter):
    """Return the unfitted model: standard scaling followed by logistic regression."""
    return Pipeline([
        ("scale", StandardScaler()),
        ("classifier", LogisticRegression(C=c, solver=solver, max_iter=max_iter, random_state=RANDOM_STATE)),
    ])


def train(train_dir, model_dir, test_dir=None, c=1.0, solver="lbfgs", max_iter=200):
    """Fit, save ``model_dir/model.joblib`` and return the validation accuracy."""
    check_hyperparameters(c, solver, max_iter)
    features, target = read_channel(train_dir, "train")
    if len(np.unique(target)) < 2:
        raise UsageError("the train channel holds only one class ({}); need both 0 and 1".format(target[0]))
    model = build_model(c, solver, max_iter)
    model.fit(features, target)
    if test_dir:
        test_features, test_target = read_channel(test_dir, "test")
    else:
        sys.stderr.write("no test channel: validation:accuracy is measured on the training data\n")
        test_features, test_target = features, target
    accuracy = float(model.score(test_features, test_target))
    os.makedirs(model_dir, exist_ok=True)
    joblib.dump(model, os.path.join(model_dir, MODEL_FILE))
    ship_serving_code(model_dir)
    return accuracy


def ship_serving_code(model_dir):
    """Copy this script into ``model_dir/code/`` so the model artifact serves itself.

    The registered model package sets ``SAGEMAKER_PROGRAM=train.py`` and
    ``SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code``: the serving container finds ``model_fn``/``predict_fn`` inside
    the model archive and needs no read access to the training code's S3 location (another stack, or account).
    """
    code_dir = os.path.join(model_dir, SERVING_CODE_DIR)
    os.makedirs(code_dir, exist_ok=True)
    with open(os.path.abspath(__file__), "rb") as source, open(os.path.join(code_dir, "train.py"), "wb") as target:
        target.write(source.read())


def main(argv=None):
    """Command-line entry point; return the exit code (2 with one stderr line on bad input)."""
    args, unknown = parse_args(sys.argv[1:] if argv is None else argv)
    if unknown:
        sys.stderr.write("ignoring arguments: {}\n".format(" ".join(unknown)))
    try:
        accuracy = train(args.train, args.model_dir, args.test, args.C, args.solver, args.max_iter)
    except UsageError as error:
        sys.stderr.write("{}\n".format(error))
        return 2
    print("validation:accuracy={:.6f}".format(accuracy))
    return 0


# ---- SageMaker scikit-learn serving functions -------------------------------------------------------------


def model_fn(model_dir):
    """Load the model saved by training from ``model_dir/model.joblib``."""
    return joblib.load(os.path.join(model_dir, MODEL_FILE))


def _media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def _rows_from_records(records):
    rows = []
    for record in records:
        if isinstance(record, dict):
            missing = [name for name in FEATURE_COLUMNS if name not in record]
            if missing:
                raise ValueError("record is missing '{}'".format(missing[0]))
            rows.append([record[name] for name in FEATURE_COLUMNS])
        else:
            rows.append(list(record))
    return rows


def input_fn(request_body, request_content_type):
    """Deserialise a request into an ``(n, 2)`` float array of ``feature1, feature2``.

    ``text/csv``: one row per line, either the two features or a header row naming ``feature1`` and
    ``feature2`` (other columns ignored). ``application/json``: ``{"instances": [...]}`` or a list, of
    ``[feature1, feature2]`` pairs or ``{"feature1": .., "feature2": ..}`` objects.
    """
    if isinstance(request_body, (bytes, bytearray)):
        request_body = request_body.decode("utf-8")
    media_type = _media_type(request_content_type)
    if media_type == "text/csv":
        lines = [line for line in request_body.splitlines() if line.strip()]
        if lines and any(name in lines[0] for name in FEATURE_COLUMNS):
            frame = pd.read_csv(io.StringIO("\n".join(lines)))
            missing = [name for name in FEATURE_COLUMNS if name not in frame.columns]
            if missing:
                raise ValueError("CSV header is missing '{}'".format(missing[0]))
            frame = frame[list(FEATURE_COLUMNS)]
        else:
            frame = pd.read_csv(io.StringIO("\n".join(lines)), header=None)
        rows = frame.to_numpy(dtype=float)
    elif media_type == "application/json":
        payload = json.loads(request_body)
        records = payload.get("instances") if isinstance(payload, dict) else payload
        if not isinstance(records, list):
            raise ValueError('JSON must be a list or {"instances": [...]}')
        rows = np.asarray(_rows_from_records(records), dtype=float)
    else:
        raise ValueError("unsupported content type {}: use text/csv or application/json".format(
            request_content_type))
    rows = np.atleast_2d(rows)
    if rows.shape[1] != len(FEATURE_COLUMNS):
        raise ValueError("each row needs {} values ({}), got {}".format(
            len(FEATURE_COLUMNS), ", ".join(FEATURE_COLUMNS), rows.shape[1]))
    return rows


def predict_fn(input_data, model):
    """Return the predicted class (0 or 1) for each row."""
    return model.predict(np.asarray(input_data, dtype=float))


def output_fn(prediction, accept):
    """Serialise predictions: ``text/csv`` (default) one class per line, ``application/json`` an object."""
    classes = [int(value) for value in np.asarray(prediction).ravel()]
    media_type = _media_type(accept)
    if media_type == "application/json":
        return json.dumps({"predictions": classes}), "application/json"
    if media_type in ("", "*/*", "text/csv"):
        return "\n".join(str(value) for value in classes) + "\n", "text/csv"
    raise ValueError("unsupported accept type {}: use text/csv or application/json".format(accept))


if __name__ == "__main__":
    sys.exit(main())
