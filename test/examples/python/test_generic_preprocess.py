"""Unit tests of the platform's generic preprocessing, assets/sagemaker/preprocess.py (run by jest through
/usr/bin/python3).

Covers what the command-line runs in the jest tests do not reach: the S3 VersionId path with an injected fake S3
client, the S3 key mapping, and every one-line rejection of bad arguments and bad data, for both layouts and the
three problem types.
"""
import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
import unittest

from script_loader import load

preprocess = load("assets/sagemaker/preprocess.py", "generic_preprocess")
generate_data = load("examples/recommendation/generate_data.py", "recommendation_generate_data")

RECOMMENDATION = ["--label", "target", "--features", "feature1,feature2", "--problem-type", "binary"]


def SCHEMA(layout="header"):  # noqa: N802 (reads like the constant above)
    return preprocess.Schema("target", ["feature1", "feature2"], "binary", layout)


def write_csv(path, rows=50, seed=1):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    feature1, feature2, target = generate_data.generate(rows, seed)
    with open(path, "w") as handle:
        handle.write(generate_data.to_csv(feature1, feature2, target))
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def run_main(module, argv, **kwargs):
    """Run ``module.main(argv)``; return ``(exit code, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = module.main(argv, **kwargs)
    return code, out.getvalue(), err.getvalue()


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
        code, _, err = run_main(preprocess, RECOMMENDATION + [
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
        preprocess.run(self.input_dir, self.output_dir, SCHEMA(), "s3://bucket/data/", s3_client=s3)
        manifest = json.loads(self.read_json("manifest", "manifest.json").decode("utf-8"))
        self.assertIsNone(manifest["inputs"][0]["versionId"])

    def test_an_object_replaced_after_the_download_stops_the_step(self):
        write_csv(os.path.join(self.input_dir, "a.csv"))
        size = os.path.getsize(os.path.join(self.input_dir, "a.csv"))
        s3 = FakeS3Client(self.input_dir, "data/", sizes={"data/a.csv": size + 10})
        code, _, err = run_main(preprocess, RECOMMENDATION + [
            "--input-dir", self.input_dir, "--output-dir", self.output_dir, "--input-s3-uri", "s3://bucket/data/"],
            s3_client=s3)
        self.assertEqual(code, 1)
        self.assertEqual(err, "s3://bucket/data/a.csv changed after it was downloaded ({} bytes read, {} bytes now): "
                              "run the step again\n".format(size, size + 10))
        self.assertFalse(os.path.exists(self.output_dir))

    def test_local_runs_never_call_s3(self):
        write_csv(os.path.join(self.input_dir, "a.csv"))
        s3 = FakeS3Client(self.input_dir, "")
        manifest = preprocess.run(self.input_dir, self.output_dir, SCHEMA(), None, s3_client=s3)
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
        code, _, err = run_main(preprocess, RECOMMENDATION + [
            "--input-dir", self.input_dir, "--output-dir", self.output_dir, "--input-s3-uri", "https://b/data/"],
            s3_client=FakeS3Client(self.input_dir, ""))
        self.assertEqual(code, 1)
        self.assertEqual(err, "--input-s3-uri must start with s3://, got https://b/data/\n")

    def test_an_empty_cell_is_a_non_numeric_value(self):
        os.makedirs(self.input_dir)
        with open(os.path.join(self.input_dir, "a.csv"), "w") as handle:
            handle.write("feature1,feature2,target\n1,2,0\n,2,1\n")
        code, _, err = run_main(preprocess, RECOMMENDATION + ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual((code, err), (1, "column 'feature1' has non-numeric values in a.csv (data row 2: '')\n"))

    def test_infinity_is_not_a_usable_number(self):
        os.makedirs(self.input_dir)
        with open(os.path.join(self.input_dir, "a.csv"), "w") as handle:
            handle.write("feature1,feature2,target\n1,inf,0\n")
        code, _, err = run_main(preprocess, RECOMMENDATION + ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual((code, err), (1, "column 'feature2' has non-numeric values in a.csv (data row 1: 'inf')\n"))

    def test_an_empty_input_directory_is_one_line(self):
        os.makedirs(self.input_dir)
        code, _, err = run_main(preprocess, RECOMMENDATION + ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual((code, err), (1, "no *.csv file in {}\n".format(self.input_dir)))

    def test_target_outside_zero_and_one_names_the_column(self):
        os.makedirs(self.input_dir)
        with open(os.path.join(self.input_dir, "a.csv"), "w") as handle:
            handle.write("feature1,feature2,target\n1,2,0\n1,2,7\n")
        code, _, err = run_main(preprocess, RECOMMENDATION + ["--input-dir", self.input_dir, "--output-dir", self.output_dir])
        self.assertEqual(code, 1)
        self.assertEqual(err, "column 'target' must hold 0 or 1 in a.csv (data row 2: 7)\n")




def read_rows(path):
    with open(path) as handle:
        return list(csv.reader(handle))


class SchemaAndLayoutTest(unittest.TestCase):
    """Arguments, both layouts, categorical features, the stratified split and the label checks."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.input_dir = os.path.join(self.tmp.name, "input")
        self.output_dir = os.path.join(self.tmp.name, "output")

    def tearDown(self):
        self.tmp.cleanup()

    def run_step(self, csv_text, *argv):
        shutil.rmtree(self.output_dir, ignore_errors=True)
        write_text(os.path.join(self.input_dir, "data.csv"), csv_text)
        return run_main(preprocess, list(argv) + ["--input-dir", self.input_dir, "--output-dir", self.output_dir])

    def fails(self, csv_text, argv, message):
        code, out, err = self.run_step(csv_text, *argv)
        self.assertEqual((code, out, err), (1, "", message + "\n"))
        self.assertFalse(os.path.exists(self.output_dir))

    def output(self, *parts):
        return read_rows(os.path.join(self.output_dir, *parts))

    def test_rejects_bad_arguments_in_one_line(self):
        data = "a,b,y\n1,2,0\n"
        base = ["--label", "y", "--problem-type", "binary"]
        for argv, message in [
            (["--features", "a,b,a"] + base, "--features lists 'a' twice"),
            (["--features", "a,,b"] + base, "--features must list the feature columns, comma-separated, got 'a,,b'"),
            (["--features", "a,y"] + base, "--features must not list the label 'y'"),
            (["--features", "a", "--label", "y", "--problem-type", "ranking"],
             "--problem-type must be one of binary, multiclass, regression, got ranking"),
            (["--features", "a", "--layout", "parquet"] + base, "--layout must be one of header, xgboost, got parquet"),
            (["--features", "a", "--categorical", "c"] + base, "--categorical names 'c', which is not one of the --features"),
            (["--features", "a,b", "--categorical", "b", "--layout", "xgboost"] + base,
             "column 'b' is categorical: the xgboost layout holds numbers only (encode it as numbers first)"),
        ]:
            self.fails(data, argv, message)

    def test_header_layout_writes_features_then_label_with_a_header_and_keeps_categories_as_text(self):
        rows = "".join("{},{},{},x,{}\n".format(i, "gold" if i % 2 else "basic", i % 2, i * 3) for i in range(20))
        code, out, err = self.run_step("tenure,plan,churned,ignored,other\n" + rows, "--label", "churned",
                                       "--features", "plan,tenure", "--categorical", "plan", "--problem-type", "binary")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out, "preprocess: 1 input file(s), 20 rows -> train 16 / test 4\n")
        train = self.output("train", "train.csv")
        self.assertEqual(train[0], ["plan", "tenure", "churned"])
        self.assertEqual(len(train), 17)
        for plan, tenure, label in train[1:]:
            self.assertEqual((plan, label), ("gold" if int(tenure) % 2 else "basic", str(int(tenure) % 2)))
        self.assertEqual(self.output("baseline", "baseline.csv")[0], ["plan", "tenure"])
        self.assertEqual([row[:2] for row in train], self.output("baseline", "baseline.csv"))

    def test_xgboost_layout_writes_no_header_the_label_first_and_numbers_only(self):
        rows = "".join("{},{},{}\n".format(i % 2, i, i * 0.5) for i in range(40))
        code, _, err = self.run_step("y,a,b\n" + rows, "--label", "y", "--features", "b,a", "--problem-type",
                                     "binary", "--layout", "xgboost")
        self.assertEqual((code, err), (0, ""))
        for name in ("train", "test"):
            lines = self.output(name, name + ".csv")
            self.assertEqual(len(lines), {"train": 32, "test": 8}[name])
            for label, b, a in lines:
                self.assertIn(label, ("0", "1"))
                self.assertEqual(float(b), float(a) * 0.5)
                self.assertEqual(int(float(a)) % 2, int(label))
        self.assertEqual(self.output("baseline", "baseline.csv")[0], ["b", "a"])
        with open(os.path.join(self.output_dir, "manifest", "manifest.json")) as handle:
            manifest = json.load(handle)
        self.assertEqual((manifest["columns"], manifest["layout"], manifest["label"], manifest["problemType"]),
                         (["y", "b", "a"], "xgboost", "y", "binary"))
        self.assertEqual(manifest["split"]["stratify"], "y")

    def test_classification_splits_are_stratified(self):
        # 90 rows of class 0, 10 of class 1: each split keeps the 9:1 ratio exactly.
        rows = "".join("{},{}\n".format(i, 1 if i < 10 else 0) for i in range(100))
        code, _, err = self.run_step("a,y\n" + rows, "--label", "y", "--features", "a", "--problem-type", "binary")
        self.assertEqual((code, err), (0, ""))
        test = self.output("test", "test.csv")[1:]
        train = self.output("train", "train.csv")[1:]
        self.assertEqual(sum(int(label) for _, label in test), 2)
        self.assertEqual(sum(int(label) for _, label in train), 8)

    def test_regression_is_not_stratified_and_keeps_decimal_labels(self):
        rows = "".join("{},{}\n".format(i, i * 1.25) for i in range(10))
        code, _, err = self.run_step("a,v\n" + rows, "--label", "v", "--features", "a", "--problem-type",
                                     "regression", "--layout", "xgboost")
        self.assertEqual((code, err), (0, ""))
        for label, a in self.output("train", "train.csv"):
            self.assertEqual(float(label), float(a) * 1.25)
        with open(os.path.join(self.output_dir, "manifest", "manifest.json")) as handle:
            self.assertIsNone(json.load(handle)["split"]["stratify"])

    def test_multiclass_labels(self):
        rows = "".join("{},{}\n".format(i, ("red", "green", "blue")[i % 3]) for i in range(30))
        code, _, err = self.run_step("a,colour\n" + rows, "--label", "colour", "--features", "a", "--problem-type",
                                     "multiclass")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(sorted({row[1] for row in self.output("test", "test.csv")[1:]}), ["blue", "green", "red"])
        self.fails("a,colour\n" + rows, ["--label", "colour", "--features", "a", "--problem-type", "multiclass",
                                         "--layout", "xgboost"],
                   "column 'colour' has non-numeric values in data.csv (data row 1: 'red')")
        self.fails("a,k\n1,0\n2,1.5\n", ["--label", "k", "--features", "a", "--problem-type", "multiclass",
                                          "--layout", "xgboost"],
                   "column 'k' must hold class ids 0, 1, 2, ... in the xgboost layout in data.csv (data row 2: 1.5)")

    def test_bad_data_is_one_line_naming_the_column(self):
        binary = ["--label", "y", "--features", "a,c", "--categorical", "c", "--problem-type", "binary"]
        for csv_text, argv, message in [
            ("a,y\n1,0\n", binary, "column 'c' is missing in data.csv"),
            ("a,c,y\n1,x,0\n2,,1\n", binary, "column 'c' has empty values in data.csv (data row 2)"),
            ("a,c,y\nten,x,0\n", binary, "column 'a' has non-numeric values in data.csv (data row 1: 'ten')"),
            ("a,c,y\n1,x,yes\n", binary, "column 'y' has non-numeric values in data.csv (data row 1: 'yes')"),
            ("a,v\n1,2\n2,n/a\n", ["--label", "v", "--features", "a", "--problem-type", "regression"],
             "column 'v' has non-numeric values in data.csv (data row 2: 'n/a')"),
            ("a,y\n" + "1,0\n" * 10, ["--label", "y", "--features", "a", "--problem-type", "binary"],
             "column 'y' holds one class only (0): classification needs at least 2"),
            ("a,y\n" + "1,0\n" * 10 + "2,1\n", ["--label", "y", "--features", "a", "--problem-type", "binary"],
             "column 'y' has class 1 in only 1 row: the stratified 80/20 split needs at least 2 rows per class"),
            ("a,y\n1,0\n2,1\n3,0\n", ["--label", "y", "--features", "a", "--problem-type", "binary"],
             "need at least 5 data rows to split 80/20, got 3"),
        ]:
            self.fails(csv_text, argv, message)

    def test_a_categorical_value_in_a_numeric_column_of_the_xgboost_layout_names_the_column(self):
        self.fails("a,plan,y\n1,gold,0\n", ["--label", "y", "--features", "a,plan", "--problem-type", "binary",
                                            "--layout", "xgboost"],
                   "column 'plan' has non-numeric values in data.csv (data row 1: 'gold')")


if __name__ == "__main__":
    unittest.main()
