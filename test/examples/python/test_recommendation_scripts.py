"""Python-side unit tests of the recommendation example's scripts (run by jest through /usr/bin/python3).

Covers what the command-line runs in the jest tests cannot reach: the S3 VersionId path of preprocess.py with an
injected fake S3 client, the S3 key mapping, train.py's hyperparameter checks and serving functions on every
content type, and evaluate.py's model.tar.gz handling.
"""
import contextlib
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import unittest

EXAMPLE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "recommendation"))
sys.path.insert(0, EXAMPLE_DIR)

import evaluate  # noqa: E402
import generate_data  # noqa: E402
import preprocess  # noqa: E402
import train  # noqa: E402


class FakeS3Client(object):
    """Records head_object calls and answers with a version id derived from the key."""

    def __init__(self, input_dir, prefix, version_ids=None, sizes=None):
        self.calls = []
        self.input_dir = input_dir
        self.prefix = prefix
        self.version_ids = version_ids or {}
        self.sizes = sizes or {}

    def head_object(self, Bucket, Key):  # noqa: N803 (boto3's argument names)
        self.calls.append({"Bucket": Bucket, "Key": Key})
        local = os.path.join(self.input_dir, Key[len(self.prefix):])
        return {
            "VersionId": self.version_ids.get(Key, "v-" + Key.replace("/", "-")),
            "ETag": '"etag-{}"'.format(len(self.calls)),
            "ContentLength": self.sizes.get(Key, os.path.getsize(local)),
        }


def write_csv(path, rows=50, seed=1):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    feature1, feature2, target = generate_data.generate(rows, seed)
    with open(path, "w") as handle:
        handle.write(generate_data.to_csv(feature1, feature2, target))
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


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


class PreprocessS3Test(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.input_dir = os.path.join(self.tmp.name, "input")
        self.output_dir = os.path.join(self.tmp.name, "output")

    def tearDown(self):
        self.tmp.cleanup()

    def read_json(self, *parts):
        with open(os.path.join(self.output_dir, *parts), "rb") as handle:
            return handle.read()

    def test_records_the_version_id_of_every_object_read(self):
        sha_a = write_csv(os.path.join(self.input_dir, "a.csv"), seed=1)
        sha_b = write_csv(os.path.join(self.input_dir, "2024", "b.csv"), seed=2)
        s3 = FakeS3Client(self.input_dir, "datasets/recommendation/",
                          {"datasets/recommendation/a.csv": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"})
        code, _, err = run_main(preprocess, [
            "--input-dir", self.input_dir, "--output-dir", self.output_dir,
            "--input-s3-uri", "s3://data-bucket/datasets/recommendation/"], s3_client=s3)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(s3.calls, [
            {"Bucket": "data-bucket", "Key": "datasets/recommendation/2024/b.csv"},
            {"Bucket": "data-bucket", "Key": "datasets/recommendation/a.csv"},
        ])
        body = self.read_json("manifest", "manifest.json")
        manifest = json.loads(body.decode("utf-8"))
        by_uri = {entry["uri"]: entry for entry in manifest["inputs"]}
        self.assertEqual(sorted(by_uri), [
            "s3://data-bucket/datasets/recommendation/2024/b.csv",
            "s3://data-bucket/datasets/recommendation/a.csv",
        ])
        a = by_uri["s3://data-bucket/datasets/recommendation/a.csv"]
        self.assertEqual(a["versionId"], "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")
        self.assertEqual(a["sha256"], sha_a)
        self.assertTrue(a["eTag"].startswith("etag-"), a["eTag"])  # quotes stripped
        b = by_uri["s3://data-bucket/datasets/recommendation/2024/b.csv"]
        self.assertEqual(b["versionId"], "v-datasets-recommendation-2024-b.csv")
        self.assertEqual(b["sha256"], sha_b)
        self.assertEqual(b["localPath"], "2024/b.csv")
        self.assertEqual(manifest["rows"], {"total": 100, "train": 80, "test": 20})
        digest = json.loads(self.read_json("manifest", "manifest-digest.json").decode("utf-8"))
        self.assertEqual(digest, {"sha256": hashlib.sha256(body).hexdigest()})

    def test_unversioned_objects_have_a_null_version_id(self):
        write_csv(os.path.join(self.input_dir, "a.csv"))
        s3 = FakeS3Client(self.input_dir, "data/", {"data/a.csv": "null"})
        preprocess.run(self.input_dir, self.output_dir, "s3://bucket/data/", s3_client=s3)
        manifest = json.loads(self.read_json("manifest", "manifest.json").decode("utf-8"))
        self.assertIsNone(manifest["inputs"][0]["versionId"])

    def test_an_object_replaced_after_the_download_stops_the_step(self):
        write_csv(os.path.join(self.input_dir, "a.csv"))
        size = os.path.getsize(os.path.join(self.input_dir, "a.csv"))
        s3 = FakeS3Client(self.input_dir, "data/", sizes={"data/a.csv": size + 10})
        code, _, err = run_main(preprocess, [
            "--input-dir", self.input_dir, "--output-dir", self.output_dir, "--input-s3-uri", "s3://bucket/data/"],
            s3_client=s3)
        self.assertEqual(code, 1)
        self.assertEqual(err, "s3://bucket/data/a.csv changed after it was downloaded ({} bytes read, {} bytes now): "
                              "run the step again\n".format(size, size + 10))
        self.assertFalse(os.path.exists(self.output_dir))

    def test_local_runs_never_call_s3(self):
        write_csv(os.path.join(self.input_dir, "a.csv"))
        s3 = FakeS3Client(self.input_dir, "")
        manifest = preprocess.run(self.input_dir, self.output_dir, None, s3_client=s3)
        self.assertEqual(s3.calls, [])
        self.assertIsNone(manifest["inputs"][0]["versionId"])
        self.assertIsNone(manifest["inputs"][0]["eTag"])

    def test_maps_local_files_to_s3_keys(self):
        self.assertEqual(preprocess.s3_key_for("s3://b/data/", "x.csv"), ("b", "data/x.csv"))
        self.assertEqual(preprocess.s3_key_for("s3://b/data", "x.csv"), ("b", "data/x.csv"))
        self.assertEqual(preprocess.s3_key_for("s3://b/data/x.csv", "x.csv"), ("b", "data/x.csv"))
        self.assertEqual(preprocess.s3_key_for("s3://b", "sub/x.csv"), ("b", "sub/x.csv"))

    def test_a_bad_s3_uri_is_one_line(self):
        write_csv(os.path.join(self.input_dir, "a.csv"))
        code, _, err = run_main(preprocess, [
            "--input-dir", self.input_dir, "--output-dir", self.output_dir, "--input-s3-uri", "https://b/data/"],
            s3_client=FakeS3Client(self.input_dir, ""))
        self.assertEqual(code, 1)
        self.assertEqual(err, "--input-s3-uri must start with s3://, got https://b/data/\n")

    def test_an_empty_cell_is_a_non_numeric_value(self):
        os.makedirs(self.input_dir)
        with open(os.path.join(self.input_dir, "a.csv"), "w") as handle:
            handle.write("feature1,feature2,target\n1,2,0\n,2,1\n")
        code, _, err = run_main(preprocess, ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual((code, err), (1, "column 'feature1' has non-numeric values in a.csv (data row 2: '')\n"))

    def test_infinity_is_not_a_usable_number(self):
        os.makedirs(self.input_dir)
        with open(os.path.join(self.input_dir, "a.csv"), "w") as handle:
            handle.write("feature1,feature2,target\n1,inf,0\n")
        code, _, err = run_main(preprocess, ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual((code, err), (1, "column 'feature2' has non-numeric values in a.csv (data row 1: 'inf')\n"))

    def test_an_empty_input_directory_is_one_line(self):
        os.makedirs(self.input_dir)
        code, _, err = run_main(preprocess, ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual((code, err), (1, "no *.csv file in {}\n".format(self.input_dir)))

    def test_target_outside_zero_and_one_names_the_column(self):
        os.makedirs(self.input_dir)
        with open(os.path.join(self.input_dir, "a.csv"), "w") as handle:
            handle.write("feature1,feature2,target\n1,2,0\n1,2,7\n")
        code, _, err = run_main(preprocess, ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual(code, 1)
        self.assertEqual(err, "column 'target' must hold 0 or 1 in a.csv (data row 2: 7)\n")


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

    def test_rejects_bad_hyperparameters_in_one_line(self):
        for argv, message in [
            (["--C", "0"], "--C must be a number greater than 0, got 0.0\n"),
            (["--solver", "adam"], "--solver must be one of lbfgs, liblinear, newton-cg, newton-cholesky, sag, saga, got adam\n"),
            (["--max-iter", "0"], "--max-iter must be an integer of at least 1, got 0\n"),
        ]:
            code, _, err = run_main(train, argv + ["--train", self.train_dir, "--model-dir", self.model_dir])
            self.assertEqual((code, err), (2, message))

    def test_ignores_the_tuning_jobs_extra_arguments(self):
        model_dir = os.path.join(self.tmp.name, "tuned")
        code, out, err = run_main(train, [
            "--C", "0.5", "--solver", "liblinear", "--max_iter", "50", "--_tuning_objective_metric",
            "validation:accuracy", "--train", self.train_dir, "--test", self.train_dir, "--model-dir", model_dir])
        self.assertEqual(code, 0, err)
        self.assertIn("ignoring arguments: --_tuning_objective_metric validation:accuracy", err)
        self.assertRegex(out, r"(?m)^validation:accuracy=[0-9.]+$")
        classifier = train.model_fn(model_dir).named_steps["classifier"]
        self.assertEqual((classifier.C, classifier.solver, classifier.max_iter), (0.5, "liblinear", 50))

    def test_csv_in_csv_out(self):
        rows = train.input_fn(b"2.0,0.0\n-2.0,1.0\n", "text/csv; charset=utf-8")
        self.assertEqual(rows.shape, (2, 2))
        body, content_type = train.output_fn(train.predict_fn(rows, self.model), "text/csv")
        self.assertEqual((body, content_type), ("1\n0\n", "text/csv"))

    def test_csv_with_a_header_picks_the_feature_columns(self):
        rows = train.input_fn("user,feature2,feature1\nu1,0.0,2.0\n", "text/csv")
        self.assertEqual(rows.tolist(), [[2.0, 0.0]])

    def test_json_in_json_out(self):
        for body in ['{"instances": [[2.0, 0.0], [-2.0, 1.0]]}',
                     '[{"feature1": 2.0, "feature2": 0.0}, {"feature1": -2.0, "feature2": 1.0}]']:
            prediction = train.predict_fn(train.input_fn(body, "application/json"), self.model)
            self.assertEqual(train.output_fn(prediction, "application/json"),
                             ('{"predictions": [1, 0]}', "application/json"))

    def test_any_accept_type_gets_csv(self):
        self.assertEqual(train.output_fn([1], "*/*"), ("1\n", "text/csv"))

    def test_rejects_what_it_cannot_read(self):
        with self.assertRaisesRegex(ValueError, "unsupported content type application/x-npy"):
            train.input_fn(b"", "application/x-npy")
        with self.assertRaisesRegex(ValueError, r"each row needs 2 values \(feature1, feature2\), got 3"):
            train.input_fn("1,2,3\n", "text/csv")
        with self.assertRaisesRegex(ValueError, "record is missing 'feature2'"):
            train.input_fn('[{"feature1": 1}]', "application/json")
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

    def archive(self, arcname):
        archive_dir = os.path.join(self.tmp.name, "archive-" + arcname.replace("/", "_"))
        os.makedirs(archive_dir)
        with tarfile.open(os.path.join(archive_dir, "model.tar.gz"), "w:gz") as tar:
            tar.add(os.path.join(self.model_dir, "model.joblib"), arcname=arcname)
        return archive_dir

    def test_reads_model_tar_gz_with_or_without_a_dot_prefix(self):
        for arcname in ("model.joblib", "./model.joblib"):
            report = evaluate.evaluate(self.archive(arcname), self.test_dir, os.path.join(self.tmp.name, "eval"))
            self.assertGreater(report["metrics"]["accuracy"]["value"], 0.7)

    def test_an_archive_without_the_model_is_one_line(self):
        archive_dir = self.archive("other/model.joblib")
        code, _, err = run_main(evaluate, [
            "--model-dir", archive_dir, "--test-dir", self.test_dir, "--output-dir", self.tmp.name])
        self.assertEqual(code, 1)
        self.assertEqual(err, "{} holds no model.joblib\n".format(os.path.join(archive_dir, "model.tar.gz")))

    def test_a_missing_model_is_one_line(self):
        code, _, err = run_main(evaluate, [
            "--model-dir", self.test_dir, "--test-dir", self.test_dir, "--output-dir", self.tmp.name])
        self.assertEqual((code, err), (1, "no model.tar.gz or model.joblib in {}\n".format(self.test_dir)))


if __name__ == "__main__":
    unittest.main()
