"""Training step of the ltv example (SageMaker Training job, scikit-learn script mode): customer value regression.

Fits a gradient-boosted regression tree ensemble on ``train.csv`` (a header row; the feature columns and the label,
as the platform's generic preprocessing writes them) and writes ``model.joblib`` to the model directory.

The platform passes the model's schema and metric: ``--label`` (default ``value``), ``--features`` (comma-separated,
default the eight columns of ``customer_value.csv``), ``--problem-type`` (``regression``, the only one this model
solves) and ``--metric`` (``rmse``, the default, ``mae``, ``mse`` or ``r2``). Hyperparameters: ``--n-estimators``
(200), ``--learning-rate`` (0.05), ``--max-depth`` (3). Paths default to the SageMaker environment: ``--train`` =
``$SM_CHANNEL_TRAIN``, ``--test`` = ``$SM_CHANNEL_TEST`` (optional), ``--model-dir`` = ``$SM_MODEL_DIR``. Prints
``validation:<metric>=<float>`` on its own line (the platform's metric definition ``validation:<metric>=([0-9\\.]+)``;
measured on the test channel, or on the training data with a note on stderr when there is none).

The module also holds the SageMaker scikit-learn serving functions ``model_fn``, ``input_fn``, ``predict_fn`` and
``output_fn`` (training ships this file in the model as ``code/train.py``): CSV (the features per line in training
order, or a header row naming them) or JSON in; the predicted value per row out, as CSV lines or
``{"predictions": [...]}``. Runs on Python 3.8+ with pandas, numpy, scikit-learn and joblib.
"""
import argparse
import glob
import io
import json
import math
import os
import shutil
import sys

import joblib
import numpy as np
import pandas as pd
from sklearn import metrics
from sklearn.ensemble import GradientBoostingRegressor

DEFAULT_LABEL = "value"
DEFAULT_FEATURES = ("orders,tenure,avg_order_value,days_since_last_order,support_tickets,email_open_rate,"
                    "loyalty_member,mobile_app")
MODEL_FILE = "model.joblib"
SERVING_CODE_DIR = "code"
RANDOM_STATE = 42
# The regression metrics the platform's QualityMetric knows; all but r2 are errors (lower is better).
REGRESSION_METRICS = {
    "mae": metrics.mean_absolute_error,
    "mse": metrics.mean_squared_error,
    "rmse": lambda target, predicted: math.sqrt(metrics.mean_squared_error(target, predicted)),
    "r2": metrics.r2_score,
}


class UsageError(Exception):
    """A bad argument or missing input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the schema, hyperparameters and paths; unknown arguments (``--_tuning_objective_metric``) are returned."""
    parser = argparse.ArgumentParser(description="Train the customer value regression model")
    parser.add_argument("--label", default=DEFAULT_LABEL, help="the label column")
    parser.add_argument("--features", default=DEFAULT_FEATURES, help="the feature columns, comma-separated")
    parser.add_argument("--problem-type", "--problem_type", dest="problem_type", default="regression",
                        help="regression")
    parser.add_argument("--metric", default="rmse", help=", ".join(REGRESSION_METRICS))
    parser.add_argument("--n-estimators", "--n_estimators", dest="n_estimators", type=int, default=200,
                        help="boosting stages (> 0)")
    parser.add_argument("--learning-rate", "--learning_rate", dest="learning_rate", type=float, default=0.05,
                        help="shrinkage of each stage (0 < x <= 1)")
    parser.add_argument("--max-depth", "--max_depth", dest="max_depth", type=int, default=3,
                        help="depth of each tree (> 0)")
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"),
                        help="directory holding train.csv")
    parser.add_argument("--test", default=os.environ.get("SM_CHANNEL_TEST"), help="directory holding test.csv")
    parser.add_argument("--model-dir", "--model_dir", dest="model_dir",
                        default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"), help="directory receiving the model")
    return parser.parse_known_args(argv)


def check_arguments(args, features):
    """Raise UsageError naming the argument, its value and what is allowed."""
    if not features or any(not name for name in features) or len(set(features)) != len(features):
        raise UsageError("--features must list distinct feature columns, comma-separated, got {}".format(
            ",".join(features)))
    if args.label in features:
        raise UsageError("--features must not list the label '{}'".format(args.label))
    if args.problem_type != "regression":
        raise UsageError("--problem-type must be regression for this model, got {}".format(args.problem_type))
    if args.metric not in REGRESSION_METRICS:
        raise UsageError("--metric must be one of {}, got {}".format(", ".join(REGRESSION_METRICS), args.metric))
    if args.n_estimators < 1:
        raise UsageError("--n-estimators must be an integer of at least 1, got {}".format(args.n_estimators))
    if not 0 < args.learning_rate <= 1:
        raise UsageError("--learning-rate must be greater than 0 and at most 1, got {}".format(args.learning_rate))
    if args.max_depth < 1:
        raise UsageError("--max-depth must be an integer of at least 1, got {}".format(args.max_depth))


def read_channel(directory, name, label, features):
    """Read every CSV in a channel directory; return ``(features as a float DataFrame, label values)``."""
    if not directory or not os.path.isdir(directory):
        raise UsageError("{} channel directory {} does not exist".format(name, directory))
    files = sorted(glob.glob(os.path.join(directory, "*.csv")))
    if not files:
        raise UsageError("no *.csv file in the {} channel ({})".format(name, directory))
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    for column in list(features) + [label]:
        if column not in frame.columns:
            raise UsageError("column '{}' is missing in the {} channel".format(column, name))
    return frame[list(features)].astype(float), frame[label].to_numpy(dtype=float)


def train(args):
    """Fit, save ``model.joblib`` with the serving code, and return the validation value of ``args.metric``."""
    features = [name.strip() for name in args.features.split(",")]
    check_arguments(args, features)
    x, y = read_channel(args.train, "train", args.label, features)
    model = GradientBoostingRegressor(n_estimators=args.n_estimators, learning_rate=args.learning_rate,
                                      max_depth=args.max_depth, random_state=RANDOM_STATE)
    model.fit(x, y)
    if args.test:
        test_x, test_y = read_channel(args.test, "test", args.label, features)
    else:
        sys.stderr.write("no test channel: validation:{} is measured on the training data\n".format(args.metric))
        test_x, test_y = x, y
    value = float(REGRESSION_METRICS[args.metric](test_y, model.predict(test_x)))
    os.makedirs(os.path.join(args.model_dir, SERVING_CODE_DIR), exist_ok=True)
    joblib.dump(model, os.path.join(args.model_dir, MODEL_FILE))
    # The serving container runs code/train.py from the model archive (SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code).
    shutil.copyfile(os.path.abspath(__file__), os.path.join(args.model_dir, SERVING_CODE_DIR, "train.py"))
    return value


def main(argv=None):
    """Command-line entry point; return the exit code (2 with one stderr line on bad input)."""
    args, unknown = parse_args(sys.argv[1:] if argv is None else argv)
    if unknown:
        sys.stderr.write("ignoring arguments: {}\n".format(" ".join(unknown)))
    try:
        value = train(args)
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
    """Deserialise a request: a DataFrame when it names its columns (CSV header, JSON objects), else a float array."""
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


def predict_fn(input_data, model):
    """Return the predicted value of each row (the model's features picked by name when the rows name them)."""
    features = [str(name) for name in model.feature_names_in_]
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


def output_fn(prediction, accept):
    """Serialise predictions: ``text/csv`` (default) one value per line, ``application/json`` an object."""
    values = [round(float(value), 4) for value in np.asarray(prediction).ravel()]
    media_type = _media_type(accept)
    if media_type == "application/json":
        return json.dumps({"predictions": values}), "application/json"
    if media_type in ("", "*/*", "text/csv"):
        return "\n".join(str(value) for value in values) + "\n", "text/csv"
    raise ValueError("unsupported accept type {}: use text/csv or application/json".format(accept))


if __name__ == "__main__":
    sys.exit(main())
