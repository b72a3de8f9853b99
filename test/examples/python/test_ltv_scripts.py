"""Unit tests of the ltv example's scripts (run by jest through /usr/bin/python3): train.py's argument checks and
serving functions, evaluate.py's inputs. The end-to-end run (generic preprocessing -> train -> evaluate) is in
test/examples/ltv-pipeline.test.ts.
"""
import contextlib
import io
import json
import os
import tarfile
import tempfile
import unittest

from script_loader import load

evaluate = load("examples/ltv/evaluate.py", "ltv_evaluate")
generate_data = load("examples/ltv/generate_data.py", "ltv_generate_data")
train = load("examples/ltv/train.py", "ltv_train")

FEATURES = train.DEFAULT_FEATURES.split(",")


def run_main(module, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = module.main(argv)
    return code, out.getvalue(), err.getvalue()


class LtvTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data_dir = os.path.join(cls.tmp.name, "data")
        os.makedirs(cls.data_dir)
        with open(os.path.join(cls.data_dir, "data.csv"), "w") as handle:
            handle.write(generate_data.to_csv(generate_data.generate(300, 3)))
        cls.model_dir = os.path.join(cls.tmp.name, "model")
        code, cls.out, cls.err = run_main(train, ["--train", cls.data_dir, "--test", cls.data_dir,
                                                  "--model-dir", cls.model_dir, "--n-estimators", "50"])
        assert code == 0, cls.err
        cls.model = train.model_fn(cls.model_dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_prints_the_metric_and_ships_its_serving_code(self):
        self.assertRegex(self.out, r"^validation:rmse=[0-9]+\.[0-9]{6}\n$")
        with open(os.path.join(self.model_dir, "code", "train.py"), "rb") as shipped, \
                open(train.__file__, "rb") as source:
            self.assertEqual(shipped.read(), source.read())
        self.assertEqual(list(self.model.feature_names_in_), FEATURES)
        self.assertEqual(self.model.n_estimators, 50)

    def test_rejects_bad_arguments_in_one_line(self):
        for argv, message in [
            (["--problem-type", "binary"], "--problem-type must be regression for this model, got binary"),
            (["--metric", "auc"], "--metric must be one of mae, mse, rmse, r2, got auc"),
            (["--learning-rate", "0"], "--learning-rate must be greater than 0 and at most 1, got 0.0"),
            (["--n-estimators", "0"], "--n-estimators must be an integer of at least 1, got 0"),
            (["--max-depth", "0"], "--max-depth must be an integer of at least 1, got 0"),
            (["--features", "orders,value"], "--features must not list the label 'value'"),
            (["--features", "orders,visits"], "column 'visits' is missing in the train channel"),
        ]:
            code, _, err = run_main(train, argv + ["--train", self.data_dir, "--model-dir", self.tmp.name + "/x"])
            self.assertEqual((code, err), (2, message + "\n"))

    def test_serves_csv_and_json(self):
        row = [4, 9, 25.97, 14, 0, 0.36, 1, 0]
        csv_rows = train.input_fn(",".join(str(v) for v in row) + "\n", "text/csv")
        named = train.input_fn(json.dumps([dict(zip(reversed(FEATURES), reversed(row)))]), "application/json")
        header = train.input_fn("customer," + ",".join(FEATURES) + "\nc1," + ",".join(str(v) for v in row) + "\n",
                                "text/csv")
        predictions = [train.predict_fn(rows, self.model)[0] for rows in (csv_rows, named, header)]
        self.assertEqual(len(set(predictions)), 1)
        body, content_type = train.output_fn([predictions[0]], "application/json")
        self.assertEqual(content_type, "application/json")
        self.assertAlmostEqual(json.loads(body)["predictions"][0], predictions[0], places=3)
        with self.assertRaisesRegex(ValueError, "each row needs 8 values"):
            train.predict_fn(train.input_fn("1,2\n", "text/csv"), self.model)

    def test_evaluate_reads_the_archive_and_rejects_bad_input_in_one_line(self):
        archive_dir = os.path.join(self.tmp.name, "archive")
        os.makedirs(archive_dir)
        with tarfile.open(os.path.join(archive_dir, "model.tar.gz"), "w:gz") as tar:
            tar.add(self.model_dir, arcname=".")
        output = os.path.join(self.tmp.name, "eval")
        code, out, err = run_main(evaluate, ["--model-dir", archive_dir, "--test-dir", self.data_dir,
                                             "--output-dir", output])
        self.assertEqual((code, err), (0, ""))
        report = json.loads(out)
        self.assertEqual(sorted(report["metrics"]), ["mae", "mse", "r2", "rmse"])
        self.assertLess(report["metrics"]["rmse"]["value"], 12.5)
        base = ["--model-dir", archive_dir, "--test-dir", self.data_dir, "--output-dir", output]
        for argv, message in [
            (["--metric", "auc"], "--metric must be one of mae, mse, rmse, r2, got auc"),
            (["--features", "orders,tenure"], "--features must be the model's features {}, got orders,tenure".format(
                train.DEFAULT_FEATURES)),
            (["--label", "spend"], "column 'spend' is missing in {}".format(self.data_dir)),
        ]:
            self.assertEqual(run_main(evaluate, argv + base), (1, "", message + "\n"))


if __name__ == "__main__":
    unittest.main()
