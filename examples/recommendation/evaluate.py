"""Evaluation step of the recommendation example (SageMaker Processing job).

::

    python3 evaluate.py --label target --features feature1,feature2 --problem-type binary --metric accuracy
        [--layout header] [--model-dir /opt/ml/processing/model] [--test-dir /opt/ml/processing/test]
        [--output-dir /opt/ml/processing/evaluation]

Loads the model from ``--model-dir`` (``model.tar.gz`` as SageMaker training writes it, or the unpacked model
directory) together with the serving code training shipped inside it (``code/train.py``), scores it on every CSV in
``--test-dir`` (header layout: a header row naming the label and feature columns) and writes
``<output-dir>/evaluation.json``, also printed::

    {"metrics": {"accuracy": {"value": 0.82}, "auc": {"value": 0.9}, ...}}

with every model-quality metric of the problem type that ``train.quality_metrics`` computes (binary: accuracy,
precision, recall, f0_5, f1, f2, auc, au_prc and the four rates; multiclass: accuracy and the weighted scores).
The pipeline's condition reads ``metrics.<--metric>.value``. Scoring through the shipped code means the evaluation
measures exactly the model and code the endpoint will serve. Defaults (``target``, ``feature1,feature2``,
``binary``, ``accuracy``) are the example's own. Runs on Python 3.8+ with pandas, scikit-learn and joblib.
"""
import argparse
import glob
import importlib.util
import json
import os
import sys
import tarfile
import tempfile

import pandas as pd

MODEL_ARCHIVE = "model.tar.gz"
SERVING_CODE = os.path.join("code", "train.py")


class EvaluationError(Exception):
    """Bad arguments, or missing or unusable input; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the command line; every path has a SageMaker Processing default."""
    parser = argparse.ArgumentParser(description="Evaluate the recommendation click model")
    parser.add_argument("--label", default="target", help="the label column")
    parser.add_argument("--features", default="feature1,feature2", help="the feature columns, comma-separated")
    parser.add_argument("--problem-type", default="binary", help="binary or multiclass")
    parser.add_argument("--metric", default="accuracy", help="the metric the pipeline's gate reads")
    parser.add_argument("--layout", default="header", help="header (the only layout this model reads)")
    parser.add_argument("--model-dir", default="/opt/ml/processing/model",
                        help="directory holding model.tar.gz, or the unpacked model (model.joblib, code/train.py)")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test", help="directory holding test.csv")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation",
                        help="directory receiving evaluation.json")
    return parser.parse_args(argv)


def unpack(archive, destination):
    """Extract the regular files of ``archive`` below ``destination`` (no absolute paths, no ``..``)."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = os.path.normpath(member.name)
            if not member.isfile() or os.path.isabs(name) or name.split(os.sep)[0] == "..":
                continue
            target = os.path.join(destination, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(tar.extractfile(member).read())


def load_served_model(model_dir):
    """Return ``(serving module, model)`` from an unpacked model directory."""
    code = os.path.join(model_dir, SERVING_CODE)
    if not os.path.isfile(code):
        raise EvaluationError("the model holds no {} (train.py ships it)".format(SERVING_CODE))
    spec = importlib.util.spec_from_file_location("served_train", code)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        return module, module.model_fn(model_dir)
    except (IOError, OSError) as error:
        raise EvaluationError("cannot load the model from {}: {}".format(model_dir, error))


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
    return frame[list(features)].astype(float), frame[label].to_numpy()


def evaluate(model_dir, test_dir, output_dir, label="target", features=("feature1", "feature2"),
             problem_type="binary", metric="accuracy", layout="header"):
    """Run the step; write and return the evaluation report."""
    if layout != "header":
        raise EvaluationError("--layout must be header for this model, got {}".format(layout))
    with tempfile.TemporaryDirectory() as scratch:
        archive = os.path.join(model_dir, MODEL_ARCHIVE)
        if os.path.isfile(archive):
            unpack(archive, scratch)
            model_dir = scratch
        elif not os.path.isdir(os.path.join(model_dir, "code")):
            raise EvaluationError("no {} or unpacked model in {}".format(MODEL_ARCHIVE, model_dir))
        served, model = load_served_model(model_dir)
        if problem_type not in served.QUALITY_METRICS:
            raise EvaluationError("--problem-type must be one of {}, got {}".format(
                ", ".join(served.QUALITY_METRICS), problem_type))
        if metric not in served.QUALITY_METRICS[problem_type]:
            raise EvaluationError("--metric must be one of {} for problem type {}, got {}".format(
                ", ".join(served.QUALITY_METRICS[problem_type]), problem_type, metric))
        x, y = read_test_data(test_dir, label, features)
        values = served.score(model, problem_type, x, y)
    report = {"metrics": {name: {"value": float(values[name])} for name in served.QUALITY_METRICS[problem_type]}}
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, "evaluation.json"), "w") as handle:
        handle.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report


def main(argv=None):
    """Command-line entry point; return the exit code (1 with one stderr line on bad input)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    features = tuple(name.strip() for name in args.features.split(","))
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
