#!/usr/bin/env bash
# Makes sure /usr/bin/python3 can run the examples' and the platform's scripts (scikit-learn, pandas, xgboost).
#
#   scripts/ensure-python.sh          exit 0 when the packages are there; otherwise install them with apt-get
#                                     when running as root (CI), else print ONE line saying how and exit 1.
#   scripts/ensure-python.sh --check  never installs: exit 0, or print the same one-line hint and exit 1.
#
# The examples use Debian's python3-sklearn, python3-pandas and python3-xgboost (1.7, the version of SageMaker's
# XGBoost 1.7-1 image) through /usr/bin/python3 on purpose: the `python3` first on PATH may be another interpreter
# without them. EXAMPLE_PYTHON names another interpreter (the local runner honours it too).
set -u

PYTHON="${EXAMPLE_PYTHON:-/usr/bin/python3}"
PACKAGES="python3-sklearn python3-pandas python3-xgboost"
HINT="the examples need scikit-learn, pandas and xgboost for $PYTHON: run 'sudo apt-get install -y $PACKAGES'"

have_packages() {
  [ -x "$PYTHON" ] && "$PYTHON" -c 'import sklearn, pandas, joblib, xgboost' >/dev/null 2>&1
}

if have_packages; then
  exit 0
fi

if [ "${1:-}" != "--check" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $PACKAGES with apt-get ..." >&2
  # shellcheck disable=SC2086 # the package list is meant to split
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >&2 \
    && have_packages; then
    exit 0
  fi
fi

echo "$HINT" >&2
exit 1
