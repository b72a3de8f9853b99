"""Unit tests of the platform's XGBoost evaluation, assets/sagemaker/evaluate_xgboost.py (run by jest through
/usr/bin/python3 with Debian's python3-xgboost).

Boosters are trained here with xgboost directly and packed as the built-in algorithm packs them (``xgboost-model``
inside ``model.tar.gz``); the churn pipeline's end-to-end run is in test/examples/churn-pipeline.test.ts.
"""
import contextlib
import io
import json
import math
import os
import tarfile
import tempfile
import unittest

import numpy as np
import xgboost

from script_loader import load

evaluate_xgboost = load("assets/sagemaker/evaluate_xgboost.py", "evaluate_xgboost")


def run_main(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = evaluate_xgboost.main(argv)
    return code, out.getvalue(), err.getvalue()


class EvaluateXgboostTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        rng = np.random.default_rng(11)
        self.x = rng.normal(size=(400, 2))

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.tmp.name, *parts)

    def pack(self, params, label, name="model", arcname="xgboost-model"):
        """Train on (x, label), save like the built-in algorithm, return the model dir."""
        booster = xgboost.train(params, xgboost.DMatrix(self.x, label=label), num_boost_round=20)
        os.makedirs(self.path(name))
        booster.save_model(self.path(name, "xgboost-model"))
        with tarfile.open(self.path(name, "model.tar.gz"), "w:gz") as tar:
            tar.add(self.path(name, "xgboost-model"), arcname=arcname)
        os.remove(self.path(name, "xgboost-model"))
        return self.path(name)

    def write_test(self, label, name="test", header=None):
        """The test split in the xgboost layout (label first, no header) or with a header row."""
        os.makedirs(self.path(name))
        rows = np.column_stack([label, self.x])
        with open(self.path(name, "test.csv"), "w") as handle:
            if header:
                handle.write(",".join(header) + "\n")
            for row in rows:
                handle.write(",".join(repr(float(value)) for value in row) + "\n")
        return self.path(name)

    def test_binary_reports_every_binary_metric(self):
        label = (self.x[:, 0] > 0).astype(int)
        model_dir = self.pack({"objective": "binary:logistic"}, label)
        code, out, err = run_main(["--label", "y", "--features", "a,b", "--problem-type", "binary", "--metric", "auc",
                                   "--model-dir", model_dir, "--test-dir", self.write_test(label),
                                   "--output-dir", self.path("eval")])
        self.assertEqual((code, err), (0, ""))
        with open(self.path("eval", "evaluation.json")) as handle:
            report = json.load(handle)
        self.assertEqual(json.loads(out), report)
        self.assertEqual(list(report["metrics"]), sorted(evaluate_xgboost.METRICS["binary"]))
        metrics = {name: entry["value"] for name, entry in report["metrics"].items()}
        self.assertGreater(metrics["auc"], 0.97)
        self.assertAlmostEqual(metrics["true_positive_rate"], metrics["recall"])
        self.assertAlmostEqual(metrics["false_positive_rate"], 1 - metrics["true_negative_rate"])

    def test_multiclass_softprob_and_softmax(self):
        label = np.digitize(self.x[:, 0], [-0.5, 0.5])
        for objective in ("multi:softprob", "multi:softmax"):
            model_dir = self.pack({"objective": objective, "num_class": 3}, label, name=objective)
            report = evaluate_xgboost.evaluate("k", ["a", "b"], "multiclass", "weighted_f1", "xgboost", model_dir,
                                               self.write_test(label, name="test-" + objective),
                                               self.path("eval-" + objective))
            self.assertEqual(sorted(report["metrics"]), sorted(evaluate_xgboost.METRICS["multiclass"]))
            self.assertGreater(report["metrics"]["accuracy"]["value"], 0.95)

    def test_regression_with_a_header_layout(self):
        label = 3 * self.x[:, 0] - self.x[:, 1]
        model_dir = self.pack({"objective": "reg:squarederror"}, label)
        test_dir = self.write_test(label, header=["v", "a", "b"])
        report = evaluate_xgboost.evaluate("v", ["a", "b"], "regression", "rmse", "header", model_dir, test_dir,
                                           self.path("eval"))
        metrics = {name: entry["value"] for name, entry in report["metrics"].items()}
        self.assertEqual(sorted(metrics), ["mae", "mse", "r2", "rmse"])
        self.assertAlmostEqual(metrics["rmse"], math.sqrt(metrics["mse"]))
        self.assertLess(metrics["rmse"], 0.5)
        self.assertGreater(metrics["r2"], 0.95)

    def test_bad_input_is_one_line(self):
        label = (self.x[:, 0] > 0).astype(int)
        model_dir = self.pack({"objective": "binary:logistic"}, label)
        wrong_name = self.pack({"objective": "binary:logistic"}, label, name="other", arcname="model.bin")
        test_dir = self.write_test(label)
        args = ["--label", "y", "--problem-type", "binary", "--test-dir", test_dir, "--output-dir", self.path("e")]
        for argv, message in [
            (["--features", "a,b", "--metric", "rmse", "--model-dir", model_dir],
             "--metric must be one of accuracy, precision, recall, f0_5, f1, f2, auc, au_prc, true_positive_rate, "
             "true_negative_rate, false_positive_rate, false_negative_rate for problem type binary, got rmse"),
            (["--features", "a,b", "--metric", "auc", "--layout", "parquet", "--model-dir", model_dir],
             "--layout must be one of xgboost, header, got parquet"),
            (["--features", "a", "--metric", "auc", "--model-dir", model_dir],
             "{} has 3 columns; the xgboost layout needs 2 (the label, then a)".format(test_dir)),
            (["--features", "a,b", "--metric", "auc", "--model-dir", test_dir],
             "no model.tar.gz or xgboost-model in {}".format(test_dir)),
            (["--features", "a,b", "--metric", "auc", "--model-dir", wrong_name],
             "{} holds no xgboost-model".format(os.path.join(wrong_name, "model.tar.gz"))),
            (["--features", "a,b", "--metric", "auc", "--layout", "header", "--model-dir", model_dir],
             "column 'a' is missing in {}".format(test_dir)),
        ]:
            self.assertEqual(run_main(argv + args), (1, "", message + "\n"))
        self.assertEqual(run_main(["--label", "y", "--features", "a,b", "--problem-type", "ranking", "--metric", "auc"]),
                         (1, "", "--problem-type must be one of binary, multiclass, regression, got ranking\n"))


if __name__ == "__main__":
    unittest.main()
