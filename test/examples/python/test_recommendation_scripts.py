"""Python-side unit tests of the recommendation example's scripts (run by jest through /usr/bin/python3).

Covers what the command-line runs in the jest tests cannot reach: train.py's argument and hyperparameter checks, its
metrics, its serving functions on every content type, and evaluate.py's model archive handling.
"""
import contextlib
import io
import os
import tarfile
import tempfile
import unittest

import numpy as np
import pandas as pd

from script_loader import load

evaluate = load("examples/recommendation/evaluate.py", "recommendation_evaluate")
generate_data = load("examples/recommendation/generate_data.py", "recommendation_generate_data")
train = load("examples/recommendation/train.py", "recommendation_train")


def write_csv(path, rows=50, seed=1):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    feature1, feature2, target = generate_data.generate(rows, seed)
    with open(path, "w") as handle:
        handle.write(generate_data.to_csv(feature1, feature2, target))


def quiet_train(train_dir, model_dir, **kwargs):
    """Train without a test channel, swallowing the stderr note that says so."""
    with contextlib.redirect_stderr(io.StringIO()):
        return train.train(train_dir, model_dir, None, **kwargs)


def run_main(module, argv, **kwargs):
    """Run ``module.main(argv)``; return ``(exit code, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = module.main(argv, **kwargs)
    return code, out.getvalue(), err.getvalue()


class TrainAndServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.train_dir = os.path.join(cls.tmp.name, "train")
        cls.model_dir = os.path.join(cls.tmp.name, "model")
        write_csv(os.path.join(cls.train_dir, "train.csv"), rows=400, seed=3)
        cls.accuracy = quiet_train(cls.train_dir, cls.model_dir, c=1.0, solver="lbfgs", max_iter=200)
        cls.model = train.model_fn(cls.model_dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_rejects_bad_arguments_and_hyperparameters_in_one_line(self):
        for argv, message in [
            (["--C", "0"], "--C must be a number greater than 0, got 0.0\n"),
            (["--solver", "adam"], "--solver must be one of lbfgs, liblinear, newton-cg, newton-cholesky, sag, saga, got adam\n"),
            (["--max-iter", "0"], "--max-iter must be an integer of at least 1, got 0\n"),
            (["--problem-type", "regression"],
             "--problem-type must be one of binary, multiclass for a logistic regression, got regression\n"),
            (["--metric", "rmse"], "--metric must be one of accuracy, precision, recall, f0_5, f1, f2, auc, au_prc, "
                                   "true_positive_rate, true_negative_rate, false_positive_rate, false_negative_rate "
                                   "for problem type binary, got rmse\n"),
            (["--features", "feature1,target"], "--features must not list the label 'target'\n"),
            (["--features", "feature1,feature1"],
             "--features must list distinct feature columns, comma-separated, got feature1,feature1\n"),
            (["--features", "feature1,clicks"], "column 'clicks' is missing in the train channel\n"),
        ]:
            code, _, err = run_main(train, argv + ["--train", self.train_dir, "--model-dir", self.model_dir])
            self.assertEqual((code, err), (2, message))

    def test_prints_the_requested_metric_and_ignores_the_tuning_jobs_extra_arguments(self):
        model_dir = os.path.join(self.tmp.name, "tuned")
        code, out, err = run_main(train, [
            "--C", "0.5", "--solver", "liblinear", "--max_iter", "50", "--metric", "auc",
            "--_tuning_objective_metric", "validation:auc", "--train", self.train_dir, "--test", self.train_dir,
            "--model-dir", model_dir])
        self.assertEqual(code, 0, err)
        self.assertIn("ignoring arguments: --_tuning_objective_metric validation:auc", err)
        self.assertRegex(out, r"^validation:auc=0\.[0-9]{6}\n$")
        self.assertGreater(float(out.split("=")[1]), 0.8)
        classifier = train.model_fn(model_dir).named_steps["classifier"]
        self.assertEqual((classifier.C, classifier.solver, classifier.max_iter), (0.5, "liblinear", 50))

    def test_binary_metrics_from_a_confusion_matrix(self):
        target = np.array([1, 1, 1, 0, 0, 0, 0, 0])
        predicted = np.array([1, 1, 0, 1, 0, 0, 0, 0])
        scores = np.array([0.9, 0.8, 0.4, 0.7, 0.3, 0.2, 0.1, 0.05])
        values = train.quality_metrics("binary", target, predicted, scores)
        self.assertEqual(sorted(values), sorted(train.QUALITY_METRICS["binary"]))
        self.assertAlmostEqual(values["accuracy"], 6 / 8)
        self.assertAlmostEqual(values["precision"], 2 / 3)
        self.assertAlmostEqual(values["recall"], 2 / 3)
        self.assertAlmostEqual(values["true_negative_rate"], 4 / 5)
        self.assertAlmostEqual(values["false_positive_rate"], 1 / 5)
        self.assertAlmostEqual(values["false_negative_rate"], 1 / 3)
        self.assertAlmostEqual(values["auc"], 14 / 15)  # one (positive, negative) pair of 15 ranked wrongly

    def test_multiclass_training_reports_weighted_metrics(self):
        tmp = os.path.join(self.tmp.name, "multiclass")
        rng = np.random.default_rng(5)
        x = rng.normal(size=(300, 2))
        label = np.digitize(x[:, 0] + 0.2 * x[:, 1], [-0.5, 0.5])  # classes 0, 1, 2
        os.makedirs(tmp)
        pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "k": label}).to_csv(os.path.join(tmp, "train.csv"), index=False)
        value = quiet_train(tmp, os.path.join(tmp, "model"), label="k", features=("a", "b"),
                            problem_type="multiclass", metric="weighted_f1")
        self.assertGreater(value, 0.85)

    def test_csv_in_csv_out(self):
        rows = train.input_fn(b"2.0,0.0\n-2.0,1.0\n", "text/csv; charset=utf-8")
        self.assertEqual(rows.shape, (2, 2))
        body, content_type = train.output_fn(train.predict_fn(rows, self.model), "text/csv")
        self.assertEqual((body, content_type), ("1\n0\n", "text/csv"))

    def test_csv_with_a_header_picks_the_feature_columns_by_name(self):
        rows = train.input_fn("user,feature2,feature1\nu1,0.0,2.0\nu2,1.0,-2.0\n", "text/csv")
        self.assertEqual(train.output_fn(train.predict_fn(rows, self.model), "text/csv"), ("1\n0\n", "text/csv"))

    def test_json_in_json_out(self):
        for body in ['{"instances": [[2.0, 0.0], [-2.0, 1.0]]}',
                     '[{"feature1": 2.0, "feature2": 0.0}, {"feature2": 1.0, "feature1": -2.0}]']:
            prediction = train.predict_fn(train.input_fn(body, "application/json"), self.model)
            self.assertEqual(train.output_fn(prediction, "application/json"),
                             ('{"predictions": [1, 0]}', "application/json"))

    def test_any_accept_type_gets_csv(self):
        self.assertEqual(train.output_fn([1], "*/*"), ("1\n", "text/csv"))

    def test_rejects_what_it_cannot_read(self):
        with self.assertRaisesRegex(ValueError, "unsupported content type application/x-npy"):
            train.input_fn(b"", "application/x-npy")
        with self.assertRaisesRegex(ValueError, r"each row needs 2 values \(feature1, feature2\), got 3"):
            train.predict_fn(train.input_fn("1,2,3\n", "text/csv"), self.model)
        with self.assertRaisesRegex(ValueError, "request is missing 'feature2'"):
            train.predict_fn(train.input_fn('[{"feature1": 1}]', "application/json"), self.model)
        with self.assertRaisesRegex(ValueError, "unsupported accept type text/html"):
            train.output_fn([1], "text/html")


class EvaluateArchiveTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.model_dir = os.path.join(self.tmp.name, "model")
        train_dir = os.path.join(self.tmp.name, "train")
        write_csv(os.path.join(train_dir, "train.csv"), rows=200, seed=4)
        quiet_train(train_dir, self.model_dir)
        self.test_dir = train_dir

    def tearDown(self):
        self.tmp.cleanup()

    def archive(self, *members):
        archive_dir = tempfile.mkdtemp(dir=self.tmp.name)
        with tarfile.open(os.path.join(archive_dir, "model.tar.gz"), "w:gz") as tar:
            for name, arcname in members:
                tar.add(os.path.join(self.model_dir, name), arcname=arcname)
        return archive_dir

    def test_scores_the_model_with_the_serving_code_shipped_in_the_archive(self):
        for prefix in ("", "./"):
            archive_dir = self.archive(("model.joblib", prefix + "model.joblib"),
                                       ("code/train.py", prefix + "code/train.py"))
            report = evaluate.evaluate(archive_dir, self.test_dir, os.path.join(self.tmp.name, "eval"),
                                       metric="auc")
            self.assertEqual(sorted(report["metrics"]), sorted(train.QUALITY_METRICS["binary"]))
            self.assertGreater(report["metrics"]["accuracy"]["value"], 0.7)

    def test_an_unpacked_model_directory_works_too(self):
        report = evaluate.evaluate(self.model_dir, self.test_dir, os.path.join(self.tmp.name, "eval"))
        self.assertGreater(report["metrics"]["auc"]["value"], 0.8)

    def test_bad_input_is_one_line(self):
        no_code = self.archive(("model.joblib", "model.joblib"))
        no_model = self.archive(("code/train.py", "code/train.py"))
        base = ["--test-dir", self.test_dir, "--output-dir", os.path.join(self.tmp.name, "eval")]
        for argv, message in [
            (["--model-dir", no_code], "the model holds no code/train.py (train.py ships it)"),
            (["--model-dir", self.test_dir], "no model.tar.gz or unpacked model in {}".format(self.test_dir)),
            (["--model-dir", self.model_dir, "--metric", "rmse"],
             "--metric must be one of accuracy, precision, recall, f0_5, f1, f2, auc, au_prc, true_positive_rate, "
             "true_negative_rate, false_positive_rate, false_negative_rate for problem type binary, got rmse"),
            (["--model-dir", self.model_dir, "--layout", "xgboost"], "--layout must be header for this model, got xgboost"),
            (["--model-dir", self.model_dir, "--label", "clicked"], "column 'clicked' is missing in {}".format(self.test_dir)),
        ]:
            self.assertEqual(run_main(evaluate, argv + base), (1, "", message + "\n"))
        code, _, err = run_main(evaluate, ["--model-dir", no_model] + base)
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("cannot load the model from "), err)
        self.assertEqual(err.count("\n"), 1)


if __name__ == "__main__":
    unittest.main()
