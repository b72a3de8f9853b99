"""A local stand-in for SageMaker's built-in XGBoost algorithm (1.7-1), for `npm run example:local` and the tests.

::

    python3 scripts/builtin_xgboost_local.py --problem-type binary|multiclass|regression [--num-class K]
        [--hyperparameters '{"eta": "0.2", ...}'] --train <dir> [--validation <dir>] --model-dir <dir>

Trains the way the built-in algorithm does with the platform's defaults (see DESIGN: binary ->
``objective=binary:logistic, eval_metric=auc``; multiclass -> ``multi:softmax`` with ``num_class``; regression ->
``reg:squarederror, eval_metric=rmse``; ``num_round=100``; every other parameter XGBoost's own default), on CSV
channels with NO header, the label first (``text/csv``, as the platform's preprocessing writes them). Prints the
evaluation log the built-in algorithm prints (``[99]#011train-auc:0.99#011validation-auc:0.88``, tab-separated here)
and ``validation:<metric>=<value>``, then saves the booster with ``Booster.save_model`` as ``xgboost-model`` and
packs it into ``model.tar.gz`` in ``--model-dir``, the artifact SageMaker uploads. Runs on Python 3.8+ with xgboost.
"""
import argparse
import glob
import json
import os
import sys
import tarfile

import numpy as np
import xgboost

DEFAULTS = {
    "binary": {"objective": "binary:logistic", "eval_metric": "auc"},
    "multiclass": {"objective": "multi:softmax", "eval_metric": "mlogloss"},
    "regression": {"objective": "reg:squarederror", "eval_metric": "rmse"},
}
NUM_ROUND = 100


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Train like SageMaker's built-in XGBoost algorithm, locally")
    parser.add_argument("--problem-type", required=True, choices=sorted(DEFAULTS))
    parser.add_argument("--num-class", type=int, default=None, help="number of classes (multiclass)")
    parser.add_argument("--hyperparameters", default="{}", help="JSON object merged over the defaults")
    parser.add_argument("--train", required=True, help="train channel directory")
    parser.add_argument("--validation", default=None, help="validation channel directory")
    parser.add_argument("--model-dir", required=True, help="directory receiving xgboost-model and model.tar.gz")
    return parser.parse_args(argv)


def read_channel(directory):
    """Read a channel's CSV files (no header, label first) into a DMatrix."""
    files = sorted(glob.glob(os.path.join(directory, "*.csv")))
    if not files:
        raise ValueError("no *.csv file in {}".format(directory))
    data = np.vstack([np.loadtxt(path, delimiter=",", ndmin=2) for path in files])
    return xgboost.DMatrix(data[:, 1:], label=data[:, 0])


def hyperparameters(problem_type, num_class, overrides):
    """The platform's defaults for the problem type with ``overrides`` merged over them."""
    params = dict(DEFAULTS[problem_type])
    params["num_round"] = str(NUM_ROUND)
    if problem_type == "multiclass":
        if not num_class:
            raise ValueError("--num-class is required for multiclass")
        params["num_class"] = str(num_class)
    params.update(overrides)
    return params


def train(problem_type, num_class, overrides, train_dir, validation_dir, model_dir):
    """Train, save and pack the model; return ``(metric name, validation value or None)``."""
    params = hyperparameters(problem_type, num_class, overrides)
    rounds = int(params.pop("num_round"))
    watch = [(read_channel(train_dir), "train")]
    if validation_dir:
        watch.append((read_channel(validation_dir), "validation"))
    log = {}
    booster = xgboost.train(params, watch[0][0], num_boost_round=rounds, evals=watch, evals_result=log,
                            verbose_eval=rounds // 10 or 1)
    os.makedirs(model_dir, exist_ok=True)
    model_file = os.path.join(model_dir, "xgboost-model")
    booster.save_model(model_file)
    with tarfile.open(os.path.join(model_dir, "model.tar.gz"), "w:gz") as tar:
        tar.add(model_file, arcname="xgboost-model")
    metric = params["eval_metric"]
    value = log["validation"][metric][-1] if "validation" in log else None
    return metric, value


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        metric, value = train(args.problem_type, args.num_class, json.loads(args.hyperparameters), args.train,
                              args.validation, args.model_dir)
    except ValueError as error:
        sys.stderr.write("{}\n".format(error))
        return 2
    if value is not None:
        print("validation:{}={:.6f}".format(metric, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
