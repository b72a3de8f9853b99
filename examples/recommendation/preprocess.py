"""Preprocessing step of the recommendation example (SageMaker Processing job).

Reads every ``*.csv`` below ``--input-dir`` (columns ``feature1``, ``feature2`` numeric and ``target`` 0/1),
checks them, splits the rows 80/20 (``random_state=42``) and writes, below ``--output-dir``:

- ``train/train.csv`` and ``test/test.csv``: header row, columns ``feature1,feature2,target``;
- ``baseline/baseline.csv``: the training features (header ``feature1,feature2``), the data-quality baseline;
- ``manifest/manifest.json``: the dataset manifest, i.e. for every input object its S3 URI (or local path),
  S3 ``VersionId`` and ``ETag`` (from HeadObject when ``--input-s3-uri`` is given, null otherwise), size and
  SHA-256 of the bytes read, plus the train/test row counts and the split parameters;
- ``manifest/manifest-digest.json``: ``{"sha256": "<hex SHA-256 of manifest.json's bytes>"}``.

A CSV without one of the columns, or with values that are not numbers in them, stops the step with exit code 1
and ONE line on stderr naming the column, e.g. ``column 'feature2' is missing``.

Defaults follow the SageMaker Processing layout; every path can be overridden. boto3 is imported only when
``--input-s3-uri`` is given. Runs on Python 3.8+ with pandas and scikit-learn.
"""
import argparse
import hashlib
import io
import json
import os
import sys

import numpy as np
import pandas as pd

FEATURE_COLUMNS = ("feature1", "feature2")
TARGET_COLUMN = "target"
COLUMNS = FEATURE_COLUMNS + (TARGET_COLUMN,)
TEST_SIZE = 0.2
RANDOM_STATE = 42
MANIFEST_SCHEMA_VERSION = 1


class DataError(Exception):
    """Bad input data; the message is the one line printed on stderr."""


def parse_args(argv):
    """Parse the command line; every path has a SageMaker Processing default."""
    parser = argparse.ArgumentParser(description="Split the interaction data and write the dataset manifest")
    parser.add_argument("--input-dir", default="/opt/ml/processing/input/data",
                        help="directory holding the input CSV files (searched recursively)")
    parser.add_argument("--output-dir", default="/opt/ml/processing/output",
                        help="directory receiving train/, test/ and manifest/")
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


def check_columns(frame, source):
    """Check the required columns exist and hold numbers (target: 0 or 1); raise DataError naming the column."""
    for column in COLUMNS:
        if column not in frame.columns:
            raise DataError("column '{}' is missing in {}".format(column, source))
    for column in COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            row = int(bad.nonzero()[0][0])
            raw = frame[column].iloc[row]
            raise DataError("column '{}' has non-numeric values in {} (data row {}: {!r})".format(
                column, source, row + 1, "" if pd.isna(raw) else str(raw)))
    target = pd.to_numeric(frame[TARGET_COLUMN])
    bad = ~target.isin([0, 1])
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise DataError("column '{}' must hold 0 or 1 in {} (data row {}: {})".format(
            TARGET_COLUMN, source, row + 1, frame[TARGET_COLUMN].iloc[row]))


def read_input(path, source):
    """Read one CSV; return ``(frame with the three columns, raw bytes)``."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise DataError("{} is empty".format(source))
    except pd.errors.ParserError as error:
        raise DataError("{} is not a valid CSV: {}".format(source, str(error).strip().splitlines()[0]))
    frame.columns = [str(column).strip() for column in frame.columns]
    check_columns(frame, source)
    typed = pd.DataFrame({column: pd.to_numeric(frame[column]) for column in COLUMNS})
    typed[TARGET_COLUMN] = typed[TARGET_COLUMN].astype(int)
    return typed, data


def split(frame):
    """Split 80/20 with ``random_state=42``; return ``(train, test)``."""
    if len(frame) < 5:
        raise DataError("need at least 5 data rows to split 80/20, got {}".format(len(frame)))
    # Imported here so that rejecting a bad CSV does not pay for importing scikit-learn.
    from sklearn.model_selection import train_test_split  # pylint: disable=import-outside-toplevel

    train, test = train_test_split(frame, test_size=TEST_SIZE, random_state=RANDOM_STATE, shuffle=True)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def build_manifest(inputs, train_rows, test_rows):
    """Return the manifest dict for the input descriptions and the split's row counts."""
    return {
        "schemaVersion": MANIFEST_SCHEMA_VERSION,
        "inputs": inputs,
        "columns": list(COLUMNS),
        "rows": {"total": train_rows + test_rows, "train": train_rows, "test": test_rows},
        "split": {"testSize": TEST_SIZE, "randomState": RANDOM_STATE, "shuffle": True,
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


def run(input_dir, output_dir, input_s3_uri=None, s3_client=None):
    """Run the step; return the manifest dict. ``s3_client`` replaces boto3's client (tests inject a fake)."""
    if input_s3_uri is not None:
        split_s3_uri(input_s3_uri)  # fail on a bad URI before reading anything
    frames = []
    inputs = []
    for relative_path in list_csv_files(input_dir):
        path = os.path.join(input_dir, relative_path)
        frame, data = read_input(path, relative_path)
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
    train, test = split(data)
    write_file(os.path.join(output_dir, "train", "train.csv"), train.to_csv(index=False).encode("utf-8"))
    write_file(os.path.join(output_dir, "test", "test.csv"), test.to_csv(index=False).encode("utf-8"))
    # The data-quality baseline: the training features only, shaped like the endpoint's requests (no target).
    write_file(os.path.join(output_dir, "baseline", "baseline.csv"),
               train[list(FEATURE_COLUMNS)].to_csv(index=False).encode("utf-8"))
    manifest = build_manifest(inputs, len(train), len(test))
    body = manifest_bytes(manifest)
    write_file(os.path.join(output_dir, "manifest", "manifest.json"), body)
    digest = {"sha256": hashlib.sha256(body).hexdigest()}
    write_file(os.path.join(output_dir, "manifest", "manifest-digest.json"),
               (json.dumps(digest) + "\n").encode("utf-8"))
    return manifest


def main(argv=None, s3_client=None):
    """Command-line entry point; return the exit code (1 with one stderr line on bad data)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        manifest = run(args.input_dir, args.output_dir, args.input_s3_uri, s3_client)
    except DataError as error:
        sys.stderr.write("{}\n".format(error))
        return 1
    rows = manifest["rows"]
    print("preprocess: {} input file(s), {} rows -> train {} / test {}".format(
        len(manifest["inputs"]), rows["total"], rows["train"], rows["test"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
