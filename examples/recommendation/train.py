"""Training step of the recommendation example (SageMaker Training job, scikit-learn script mode).

Trains a click model (standardised features + logistic regression) on ``train.csv`` (a header row; the feature
columns and the label, as the platform's preprocessing writes them) and writes ``model.joblib`` to the model
directory.

The platform passes the model's schema and metric as arguments: ``--label`` (default ``target``), ``--features``
(comma-separated, default ``feature1,feature2``), ``--problem-type`` (``binary``, the default, or ``multiclass``)
and ``--metric`` (default ``accuracy``; one of ``QUALITY_METRICS[problem type]``). Hyperparameters arrive as
arguments too: ``--C`` (inverse regularisation strength, default 1.0), ``--solver`` (default ``lbfgs``),
``--max-iter`` (default 200). Paths default to the SageMaker environment: ``--train`` = ``$SM_CHANNEL_TRAIN``,
``--test`` = ``$SM_CHANNEL_TEST`` (optional), ``--model-dir`` = ``$SM_MODEL_DIR``. The script prints
``validation:<metric>=<float>`` on its own line for the tuning job's metric definition
``validation:<metric>=([0-9\\.]+)`` (measured on the test channel; on the training data, with a note on stderr, when
there is no test channel).

``quality_metrics`` computes every model-quality metric of the problem type; the example's ``evaluate.py`` uses it
through the copy of this module that training ships inside the model (``code/train.py``), so the evaluation scores
exactly the code the endpoint serves.

The module also holds the SageMaker scikit-learn serving functions ``model_fn``, ``input_fn``, ``predict_fn``
and ``output_fn``: CSV (the features per line in training order, or a header row naming them) or JSON in; the
predicted class per row out, as CSV lines or ``{"predictions": [...]}``. Runs on Python 3.8+.
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
from sklearn import metrics
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

SERVING_CODE_DIR = "code"

DEFAULT_FEATURES = "feature1,feature2"
DEFAULT_LABEL = "target"
MODEL_FILE = "model.joblib"
SOLVERS = ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga")
RANDOM_STATE = 42
# The Model Monitor model-quality metrics of each problem type this model solves (the platform's QualityMetric names).
QUALITY_METRICS = {
    "binary": ("accuracy", "precision", "recall", "f0_5", "f1", "f2", "auc", "au_prc", "true_positive_rate",
               "true_negative_rate", "false_positive_rate", "false_negative_rate"),
    "multiclass": ("accuracy", "weighted_precision", "weighted_recall", "weighted_f0_5", "weighted_f1",
                   "weighted_f2"),
}


class UsageError(Exception):
    """A bad argument or missing input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the schema, hyperparameters and paths; unknown arguments (``--_tuning_objective_metric``) are returned."""
    parser = argparse.ArgumentParser(description="Train the recommendation click model")
    parser.add_argument("--label", default=DEFAULT_LABEL, help="the label column")
    parser.add_argument("--features", default=DEFAULT_FEATURES, help="the feature columns, comma-separated")
    parser.add_argument("--problem-type", "--problem_type", dest="problem_type", default="binary",
                        help=", ".join(QUALITY_METRICS))
    parser.add_argument("--metric", default="accuracy", help="the metric printed as validation:<metric>=<value>")
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


def check_arguments(label, features, problem_type, metric):
    """Raise UsageError naming the argument, its value and what is allowed."""
    if not label:
        raise UsageError("--label must name the label column")
    if not features or any(not name for name in features) or len(set(features)) != len(features):
        raise UsageError("--features must list distinct feature columns, comma-separated, got {}".format(
            ",".join(features)))
    if label in features:
        raise UsageError("--features must not list the label '{}'".format(label))
    if problem_type not in QUALITY_METRICS:
        raise UsageError("--problem-type must be one of {} for a logistic regression, got {}".format(
            ", ".join(QUALITY_METRICS), problem_type))
    if metric not in QUALITY_METRICS[problem_type]:
        raise UsageError("--metric must be one of {} for problem type {}, got {}".format(
            ", ".join(QUALITY_METRICS[problem_type]), problem_type, metric))


def check_hyperparameters(c, solver, max_iter):
    """Raise UsageError naming the hyperparameter, its value and what is allowed."""
    if not np.isfinite(c) or c <= 0:
        raise UsageError("--C must be a number greater than 0, got {}".format(c))
    if solver not in SOLVERS:
        raise UsageError("--solver must be one of {}, got {}".format(", ".join(SOLVERS), solver))
    if max_iter < 1:
        raise UsageError("--max-iter must be an integer of at least 1, got {}".format(max_iter))


def read_channel(directory, name, label, features):
    """Read every CSV in a channel directory; return ``(X as a DataFrame of the features, y)``."""
    if not directory or not os.path.isdir(directory):
        raise UsageError("{} channel directory {} does not exist".format(name, directory))
    files = sorted(glob.glob(os.path.join(directory, "*.csv")))
    if not files:
        raise UsageError("no *.csv file in the {} channel ({})".format(name, directory))
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    for column in list(features) + [label]:
        if column not in frame.columns:
            raise UsageError("column '{}' is missing in the {} channel".format(column, name))
    return frame[list(features)].astype(float), frame[label].to_numpy()


def build_model(c, solver, max_iter):
    """Return the unfitted model: standard scaling followed by logistic regression."""
    return Pipeline([
        ("scale", StandardScaler()),
        ("classifier", LogisticRegression(C=c, solver=solver, max_iter=max_iter, random_state=RANDOM_STATE)),
    ])


def _rate(numerator, denominator):
    return float(numerator) / denominator if denominator else 0.0


def quality_metrics(problem_type, target, predicted, scores=None):
    """Return ``{name: value}`` for every metric of ``QUALITY_METRICS[problem_type]``.

    ``scores`` (binary only) are the probabilities of class 1, for ``auc`` and ``au_prc``.
    """
    if problem_type == "multiclass":
        weighted = {"average": "weighted", "zero_division": 0}
        return {
            "accuracy": metrics.accuracy_score(target, predicted),
            "weighted_precision": metrics.precision_score(target, predicted, **weighted),
            "weighted_recall": metrics.recall_score(target, predicted, **weighted),
            "weighted_f0_5": metrics.fbeta_score(target, predicted, beta=0.5, **weighted),
            "weighted_f1": metrics.f1_score(target, predicted, **weighted),
            "weighted_f2": metrics.fbeta_score(target, predicted, beta=2, **weighted),
        }
    binary = {"zero_division": 0}
    tn, fp, fn, tp = metrics.confusion_matrix(target, predicted, labels=[0, 1]).ravel()
    both_classes = len(np.unique(target)) == 2
    return {
        "accuracy": metrics.accuracy_score(target, predicted),
        "precision": metrics.precision_score(target, predicted, **binary),
        "recall": metrics.recall_score(target, predicted, **binary),
        "f0_5": metrics.fbeta_score(target, predicted, beta=0.5, **binary),
        "f1": metrics.f1_score(target, predicted, **binary),
        "f2": metrics.fbeta_score(target, predicted, beta=2, **binary),
        # Undefined with one class only: reported as 0.5 (a random ranking) rather than failing the step.
        "auc": metrics.roc_auc_score(target, scores) if both_classes else 0.5,
        "au_prc": metrics.average_precision_score(target, scores) if both_classes else 0.0,
        "true_positive_rate": _rate(tp, tp + fn),
        "true_negative_rate": _rate(tn, tn + fp),
        "false_positive_rate": _rate(fp, fp + tn),
        "false_negative_rate": _rate(fn, fn + tp),
    }


def score(model, problem_type, features, target):
    """Every quality metric of ``model`` on ``(features, target)``."""
    predicted = model.predict(features)
    scores = model.predict_proba(features)[:, 1] if problem_type == "binary" else None
    return quality_metrics(problem_type, target, predicted, scores)


def train(train_dir, model_dir, test_dir=None, c=1.0, solver="lbfgs", max_iter=200, label=DEFAULT_LABEL,
          features=tuple(DEFAULT_FEATURES.split(",")), problem_type="binary", metric="accuracy"):
    """Fit, save ``model_dir/model.joblib`` (with the serving code) and return the validation value of ``metric``."""
    check_arguments(label, features, problem_type, metric)
    check_hyperparameters(c, solver, max_iter)
    x, y = read_channel(train_dir, "train", label, features)
    if problem_type == "binary" and not set(np.unique(y)) <= {0, 1}:
        raise UsageError("column '{}' must hold 0 or 1 for problem type binary".format(label))
    if len(np.unique(y)) < 2:
        raise UsageError("the train channel holds only one class ({}); need at least 2".format(y[0]))
    model = build_model(c, solver, max_iter)
    model.fit(x, y)
    if test_dir:
        test_x, test_y = read_channel(test_dir, "test", label, features)
    else:
        sys.stderr.write("no test channel: validation:{} is measured on the training data\n".format(metric))
        test_x, test_y = x, y
    value = float(score(model, problem_type, test_x, test_y)[metric])
    os.makedirs(model_dir, exist_ok=True)
    joblib.dump(model, os.path.join(model_dir, MODEL_FILE))
    ship_serving_code(model_dir)
    return value


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
    features = tuple(name.strip() for name in args.features.split(","))
    try:
        value = train(args.train, args.model_dir, args.test, args.C, args.solver, args.max_iter, args.label.strip(),
                      features, args.problem_type, args.metric)
    except UsageError as error:
        sys.stderr.write("{}\n".format(error))
        return 2
    print("validation:{}={:.6f}".format(args.metric, value))
    return 0


# ---- SageMaker scikit-learn serving functions -------------------------------------------------------------


def model_fn(model_dir):
    """Load the model saved by training from ``model_dir/model.joblib``."""
    return joblib.load(os.path.join(model_dir, MODEL_FILE))


def _media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def input_fn(request_body, request_content_type):
    """Deserialise a request into rows: a DataFrame when the request names its columns, else a 2-D float array.

    ``text/csv``: one row per line, either the feature values in training order or a header row first (a first
    line with a value that is not a number) naming the columns; other columns are ignored. ``application/json``:
    ``{"instances": [...]}`` or a list, of value lists or ``{"<feature>": value, ...}`` objects.
    ``predict_fn`` picks the model's features from named columns.
    """
    if isinstance(request_body, (bytes, bytearray)):
        request_body = request_body.decode("utf-8")
    media_type = _media_type(request_content_type)
    if media_type == "text/csv":
        lines = [line for line in request_body.splitlines() if line.strip()]
        if not lines:
            raise ValueError("empty CSV request")
        if not all(_is_number(cell) for cell in lines[0].split(",")):
            return pd.read_csv(io.StringIO("\n".join(lines)))
        return np.atleast_2d(pd.read_csv(io.StringIO("\n".join(lines)), header=None).to_numpy(dtype=float))
    if media_type == "application/json":
        payload = json.loads(request_body)
        records = payload.get("instances") if isinstance(payload, dict) else payload
        if not isinstance(records, list):
            raise ValueError('JSON must be a list or {"instances": [...]}')
        if records and all(isinstance(record, dict) for record in records):
            return pd.DataFrame.from_records(records)
        return np.atleast_2d(np.asarray(records, dtype=float))
    raise ValueError("unsupported content type {}: use text/csv or application/json".format(request_content_type))


def model_features(model):
    """The feature names the model was trained on, in order."""
    return [str(name) for name in model.feature_names_in_]


def predict_fn(input_data, model):
    """Return the predicted class of each row (the model's features picked by name when the rows name them)."""
    features = model_features(model)
    if isinstance(input_data, pd.DataFrame):
        missing = [name for name in features if name not in input_data.columns]
        if missing:
            raise ValueError("request is missing '{}'".format(missing[0]))
        rows = input_data[features].astype(float)
    else:
        values = np.atleast_2d(np.asarray(input_data, dtype=float))
        if values.shape[1] != len(features):
            raise ValueError("each row needs {} values ({}), got {}".format(
                len(features), ", ".join(features), values.shape[1]))
        rows = pd.DataFrame(values, columns=features)
    return model.predict(rows)


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def output_fn(prediction, accept):
    """Serialise predictions: ``text/csv`` (default) one class per line, ``application/json`` an object."""
    classes = [_plain(value) for value in np.asarray(prediction).ravel()]
    media_type = _media_type(accept)
    if media_type == "application/json":
        return json.dumps({"predictions": classes}), "application/json"
    if media_type in ("", "*/*", "text/csv"):
        return "\n".join(str(value) for value in classes) + "\n", "text/csv"
    raise ValueError("unsupported accept type {}: use text/csv or application/json".format(accept))


if __name__ == "__main__":
    sys.exit(main())
