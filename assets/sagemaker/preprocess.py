"""The platform's generic preprocessing step (SageMaker Processing job, scikit-learn container).

Used for every model whose scripts folder has no ``preprocess.py`` of its own, and always for built-in XGBoost::

    python3 preprocess.py --label L --features f1,f2[,...] --problem-type binary|multiclass|regression
        --layout header|xgboost [--categorical c1,c2] [--input-s3-uri URI]
        [--input-dir /opt/ml/processing/input/data] [--output-dir /opt/ml/processing/output]

Reads every ``*.csv`` below ``--input-dir`` (header row; other columns are ignored), checks the label and feature
columns, splits the rows 80/20 (``random_state=42``; stratified by the label for classification) and writes, below
``--output-dir``:

- ``train/train.csv`` and ``test/test.csv``: with ``--layout header``, a header row and the columns
  ``features..., label``; with ``--layout xgboost`` (the built-in XGBoost algorithm's CSV convention), NO header,
  the label FIRST, then the features, numbers only;
- ``baseline/baseline.csv``: the training features (header row, no label), the data-quality baseline, shaped like
  the endpoint's requests;
- ``manifest/manifest.json``: the dataset manifest, i.e. for every input object its S3 URI (or local path),
  S3 ``VersionId`` and ``ETag`` (from HeadObject when ``--input-s3-uri`` is given, null otherwise), size and
  SHA-256 of the bytes read, plus the train/test row counts and the split parameters;
- ``manifest/manifest-digest.json``: ``{"sha256": "<hex SHA-256 of manifest.json's bytes>"}``.

Checks (each stops the step with exit code 1 and ONE line on stderr naming the column): a missing column
(``column 'tenure' is missing in churn.csv``), an empty cell, a numeric feature that is not a finite number, a
binary label other than 0/1, a multiclass label that is not a class id 0, 1, ... in the xgboost layout, a
regression label that is not a number, a categorical feature in the xgboost layout (built-in XGBoost reads numbers
only), and a class too small to stratify. Categorical features (``--categorical``) are kept as text in the header
layout; the team's ``train.py`` encodes them.

Defaults follow the SageMaker Processing layout; every path can be overridden. boto3 is imported only when
``--input-s3-uri`` is given. Runs on Python 3.8+ with pandas, numpy and scikit-learn.
"""
import argparse
import hashlib
import io
import json
import os
import sys

import numpy as np
import pandas as pd

PROBLEM_TYPES = ("binary", "multiclass", "regression")
LAYOUTS = ("header", "xgboost")
TEST_SIZE = 0.2
RANDOM_STATE = 42
MANIFEST_SCHEMA_VERSION = 1


class DataError(Exception):
    """Bad arguments or input data; the message is the one line printed on stderr."""


class Schema(object):
    """The columns the step reads: the label, the features in order, which features are categorical."""

    def __init__(self, label, features, problem_type, layout, categorical=()):
        self.label = label
        self.features = tuple(features)
        self.problem_type = problem_type
        self.layout = layout
        self.categorical = frozenset(categorical)
        self.check()

    def check(self):
        """Raise DataError for a schema the step cannot write."""
        if not self.label:
            raise DataError("--label must name the label column")
        if not self.features or any(not name for name in self.features):
            raise DataError("--features must list the feature columns, comma-separated, got {!r}".format(
                ",".join(self.features)))
        seen = set()
        for name in self.features:
            if name in seen:
                raise DataError("--features lists '{}' twice".format(name))
            seen.add(name)
        if self.label in seen:
            raise DataError("--features must not list the label '{}'".format(self.label))
        if self.problem_type not in PROBLEM_TYPES:
            raise DataError("--problem-type must be one of {}, got {}".format(", ".join(PROBLEM_TYPES),
                                                                            self.problem_type))
        if self.layout not in LAYOUTS:
            raise DataError("--layout must be one of {}, got {}".format(", ".join(LAYOUTS), self.layout))
        for name in sorted(self.categorical - seen):
            raise DataError("--categorical names '{}', which is not one of the --features".format(name))
        for name in self.features:
            if name in self.categorical and self.layout == "xgboost":
                raise DataError("column '{}' is categorical: the xgboost layout holds numbers only "
                                "(encode it as numbers first)".format(name))

    @property
    def classification(self):
        return self.problem_type != "regression"

    def output_columns(self):
        """The column order of train.csv and test.csv."""
        if self.layout == "xgboost":
            return [self.label] + list(self.features)
        return list(self.features) + [self.label]


def split_list(value):
    """``"a, b,c"`` -> ``["a", "b", "c"]`` (empty items kept, so the schema check can name them)."""
    return [item.strip() for item in value.split(",")] if value else []


def parse_args(argv):
    """Parse the command line; every path has a SageMaker Processing default."""
    parser = argparse.ArgumentParser(description="Check and split a model's dataset and write its manifest")
    parser.add_argument("--label", required=True, help="the label column")
    parser.add_argument("--features", required=True, help="the feature columns, comma-separated, in model order")
    parser.add_argument("--problem-type", required=True, help=", ".join(PROBLEM_TYPES))
    parser.add_argument("--layout", default="header",
                        help="header: header row, features then label; xgboost: no header, label first, numbers only")
    parser.add_argument("--categorical", default="", help="the features holding categories, comma-separated")
    parser.add_argument("--input-dir", default="/opt/ml/processing/input/data",
                        help="directory holding the input CSV files (searched recursively)")
    parser.add_argument("--output-dir", default="/opt/ml/processing/output",
                        help="directory receiving train/, test/, baseline/ and manifest/")
    parser.add_argument("--input-s3-uri", default=None,
                        help="S3 prefix (or object) the input directory was downloaded from")
    return parser.parse_args(argv)


def list_csv_files(input_dir):
    """Return the paths of every ``*.csv`` below ``input_dir``, relative to it, sorted."""
    if not os.path.isdir(input_dir):
        raise DataError("input directory {} does not exist".format(input_dir))
    found = []
    for root, dirs, files in os.walk(input_dir):
        dirs.sort()
        for name in files:
            if name.lower().endswith(".csv"):
                found.append(os.path.relpath(os.path.join(root, name), input_dir))
    if not found:
        raise DataError("no *.csv file in {}".format(input_dir))
    return sorted(found)


def split_s3_uri(uri):
    """Split ``s3://bucket/key`` into ``(bucket, key)``."""
    if not uri.startswith("s3://"):
        raise DataError("--input-s3-uri must start with s3://, got {}".format(uri))
    bucket, _, key = uri[len("s3://"):].partition("/")
    if not bucket:
        raise DataError("--input-s3-uri must name a bucket, got {}".format(uri))
    return bucket, key


def s3_key_for(input_s3_uri, relative_path):
    """Return ``(bucket, key)`` of the object that SageMaker downloaded to ``relative_path``.

    A prefix (``s3://b/data/``, or ``s3://b/data`` naming a folder) maps ``x.csv`` to ``data/x.csv``; a URI whose
    last segment is the file's own name (a single-object input) is the object itself.
    """
    bucket, key = split_s3_uri(input_s3_uri)
    relative_key = relative_path.replace(os.sep, "/")
    if key and not key.endswith("/") and key.rsplit("/", 1)[-1] == relative_key:
        return bucket, key
    if key and not key.endswith("/"):
        key = key + "/"
    return bucket, key + relative_key


def make_s3_client():
    """Create the boto3 S3 client (imported here so local runs do not need boto3)."""
    import boto3  # pylint: disable=import-outside-toplevel

    return boto3.client("s3")


def describe_s3_object(s3_client, bucket, key, size_read):
    """Return ``(version_id, etag)`` of ``s3://bucket/key`` from HeadObject (``version_id`` None if unversioned).

    HeadObject describes the current version: when its size differs from the bytes read, the object was replaced
    after the download and the version id would be wrong, so the step stops instead of recording it.
    """
    head = s3_client.head_object(Bucket=bucket, Key=key)
    content_length = head.get("ContentLength")
    if content_length is not None and int(content_length) != size_read:
        raise DataError("s3://{}/{} changed after it was downloaded ({} bytes read, {} bytes now): run the step "
                        "again".format(bucket, key, size_read, content_length))
    version_id = head.get("VersionId")
    if version_id == "null":  # objects written before versioning was enabled
        version_id = None
    etag = head.get("ETag")
    return version_id, (etag.strip('"') if etag else None)


def _first_bad_row(bad):
    """Index of the first True in a boolean array."""
    return int(np.asarray(bad).nonzero()[0][0])


def _cell(frame, column, row):
    raw = frame[column].iloc[row]
    return "" if pd.isna(raw) else str(raw)


def numbers(frame, column, source):
    """Return ``frame[column]`` as numbers; raise DataError naming the column at the first non-finite value."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        row = _first_bad_row(bad)
        raise DataError("column '{}' has non-numeric values in {} (data row {}: {!r})".format(
            column, source, row + 1, _cell(frame, column, row)))
    return values


def label_values(frame, schema, source):
    """Return the checked label column: 0/1 (binary), class ids or text (multiclass), numbers (regression)."""
    column = schema.label
    if schema.problem_type == "multiclass" and schema.layout == "header":
        empty = frame[column].isna().to_numpy()
        if empty.any():
            raise DataError("column '{}' has empty values in {} (data row {})".format(
                column, source, _first_bad_row(empty) + 1))
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.notna().all() and (values == values.round()).all():
            return values.astype(np.int64)
        return frame[column].astype(str)
    values = numbers(frame, column, source)
    if schema.problem_type == "binary":
        bad = ~values.isin([0, 1]).to_numpy()
        if bad.any():
            row = _first_bad_row(bad)
            raise DataError("column '{}' must hold 0 or 1 in {} (data row {}: {})".format(
                column, source, row + 1, _cell(frame, column, row)))
        return values.astype(np.int64)
    if schema.problem_type == "multiclass":
        bad = ~((values >= 0) & (values == values.round())).to_numpy()
        if bad.any():
            row = _first_bad_row(bad)
            raise DataError("column '{}' must hold class ids 0, 1, 2, ... in the xgboost layout in {} (data row {}: "
                            "{})".format(column, source, row + 1, _cell(frame, column, row)))
        return values.astype(np.int64)
    return values


def feature_values(frame, column, schema, source):
    """Return a checked feature column: numbers, or non-empty text for a categorical feature."""
    if column not in schema.categorical:
        return numbers(frame, column, source)
    empty = frame[column].isna().to_numpy()
    if empty.any():
        raise DataError("column '{}' has empty values in {} (data row {})".format(
            column, source, _first_bad_row(empty) + 1))
    return frame[column].astype(str)


def check_frame(frame, schema, source):
    """Check the schema's columns exist and hold usable values; return them typed, in output order."""
    for column in list(schema.features) + [schema.label]:
        if column not in frame.columns:
            raise DataError("column '{}' is missing in {}".format(column, source))
    typed = {column: feature_values(frame, column, schema, source) for column in schema.features}
    typed[schema.label] = label_values(frame, schema, source)
    return pd.DataFrame({column: typed[column] for column in schema.output_columns()})


def read_input(path, source, schema):
    """Read one CSV; return ``(checked frame in output column order, raw bytes)``."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise DataError("{} is empty".format(source))
    except pd.errors.ParserError as error:
        raise DataError("{} is not a valid CSV: {}".format(source, str(error).strip().splitlines()[0]))
    frame.columns = [str(column).strip() for column in frame.columns]
    return check_frame(frame, schema, source), data


def check_classes(frame, schema):
    """A classification split needs two classes or more and, to stratify, two rows or more in each class."""
    counts = frame[schema.label].value_counts(sort=False)
    if len(counts) < 2:
        raise DataError("column '{}' holds one class only ({}): classification needs at least 2".format(
            schema.label, counts.index[0]))
    rare = sorted((str(value) for value, count in counts.items() if count < 2))
    if rare:
        raise DataError("column '{}' has class {} in only 1 row: the stratified 80/20 split needs at least 2 rows "
                        "per class".format(schema.label, rare[0]))


def split(frame, schema):
    """Split 80/20 with ``random_state=42`` (stratified by the label for classification); return ``(train, test)``."""
    if len(frame) < 5:
        raise DataError("need at least 5 data rows to split 80/20, got {}".format(len(frame)))
    if schema.classification:
        check_classes(frame, schema)
    # Imported here so that rejecting a bad CSV does not pay for importing scikit-learn.
    from sklearn.model_selection import train_test_split  # pylint: disable=import-outside-toplevel

    stratify = frame[schema.label] if schema.classification else None
    try:
        train, test = train_test_split(frame, test_size=TEST_SIZE, random_state=RANDOM_STATE, shuffle=True,
                                       stratify=stratify)
    except ValueError as error:  # e.g. fewer test rows than classes
        raise DataError("cannot split {} rows 80/20 by column '{}': {}".format(
            len(frame), schema.label, str(error).strip().splitlines()[0]))
    return train.reset_index(drop=True), test.reset_index(drop=True)


def build_manifest(inputs, schema, train_rows, test_rows):
    """Return the manifest dict for the input descriptions, the schema and the split's row counts."""
    return {
        "schemaVersion": MANIFEST_SCHEMA_VERSION,
        "inputs": inputs,
        "columns": schema.output_columns(),
        "label": schema.label,
        "problemType": schema.problem_type,
        "layout": schema.layout,
        "rows": {"total": train_rows + test_rows, "train": train_rows, "test": test_rows},
        "split": {"testSize": TEST_SIZE, "randomState": RANDOM_STATE, "shuffle": True,
                  "stratify": schema.label if schema.classification else None,
                  "method": "sklearn.model_selection.train_test_split"},
    }


def manifest_bytes(manifest):
    """Serialise the manifest deterministically (sorted keys, 2-space indent, trailing newline)."""
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_file(path, data):
    """Write ``data`` (bytes) to ``path``, creating its directory."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def split_csv(frame, schema):
    """Render train/test rows: a header row in the header layout, none in the xgboost layout."""
    return frame.to_csv(index=False, header=schema.layout == "header").encode("utf-8")


def run(input_dir, output_dir, schema, input_s3_uri=None, s3_client=None):
    """Run the step; return the manifest dict. ``s3_client`` replaces boto3's client (tests inject a fake)."""
    if input_s3_uri is not None:
        split_s3_uri(input_s3_uri)  # fail on a bad URI before reading anything
    frames = []
    inputs = []
    for relative_path in list_csv_files(input_dir):
        path = os.path.join(input_dir, relative_path)
        frame, data = read_input(path, relative_path, schema)
        entry = {
            "localPath": relative_path.replace(os.sep, "/"),
            "uri": os.path.abspath(path),
            "versionId": None,
            "eTag": None,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(frame),
        }
        if input_s3_uri is not None:
            if s3_client is None:
                s3_client = make_s3_client()
            bucket, key = s3_key_for(input_s3_uri, relative_path)
            entry["uri"] = "s3://{}/{}".format(bucket, key)
            entry["versionId"], entry["eTag"] = describe_s3_object(s3_client, bucket, key, len(data))
        frames.append(frame)
        inputs.append(entry)
    data = pd.concat(frames, ignore_index=True)
    train, test = split(data, schema)
    write_file(os.path.join(output_dir, "train", "train.csv"), split_csv(train, schema))
    write_file(os.path.join(output_dir, "test", "test.csv"), split_csv(test, schema))
    # The data-quality baseline: the training features only, shaped like the endpoint's requests (no label).
    write_file(os.path.join(output_dir, "baseline", "baseline.csv"),
               train[list(schema.features)].to_csv(index=False).encode("utf-8"))
    manifest = build_manifest(inputs, schema, len(train), len(test))
    body = manifest_bytes(manifest)
    write_file(os.path.join(output_dir, "manifest", "manifest.json"), body)
    digest = {"sha256": hashlib.sha256(body).hexdigest()}
    write_file(os.path.join(output_dir, "manifest", "manifest-digest.json"),
               (json.dumps(digest) + "\n").encode("utf-8"))
    return manifest


def main(argv=None, s3_client=None):
    """Command-line entry point; return the exit code (1 with one stderr line on bad arguments or data)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        schema = Schema(args.label.strip(), split_list(args.features), args.problem_type, args.layout,
                        split_list(args.categorical))
        manifest = run(args.input_dir, args.output_dir, schema, args.input_s3_uri, s3_client)
    except DataError as error:
        sys.stderr.write("{}\n".format(error))
        return 1
    rows = manifest["rows"]
    print("preprocess: {} input file(s), {} rows -> train {} / test {}".format(
        len(manifest["inputs"]), rows["total"], rows["train"], rows["test"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
