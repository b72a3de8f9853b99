#!/usr/bin/env bash
# Makes sure /usr/bin/python3 can run the recommendation example's scripts (scikit-learn, pandas).
#
#   scripts/ensure-python.sh          exit 0 when the packages are there; otherwise install them with apt-get
#                                     when running as root (CI), else print ONE line saying how and exit 1.
#   scripts/ensure-python.sh --check  never installs: exit 0, or print the same one-line hint and exit 1.
#
# The example uses Debian's python3-sklearn and python3-pandas through /usr/bin/python3 on purpose: the
# `python3` first on PATH may be another interpreter without them. EXAMPLE_PYTHON names another interpreter
# (the local runner honours it too).
set -u

PYTHON="${EXAMPLE_PYTHON:-/usr/bin/python3}"
HINT="the recommendation example needs scikit-learn and pandas for $PYTHON: run 'sudo apt-get install -y python3-sklearn python3-pandas'"

have_packages() {
  [ -x "$PYTHON" ] && "$PYTHON" -c 'import sklearn, pandas, joblib' >/dev/null 2>&1
}

if have_packages; then
  exit 0
fi

if [ "${1:-}" != "--check" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing python3-sklearn and python3-pandas with apt-get ..." >&2
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >&2 \
    && have_packages; then
    exit 0
  fi
fi

echo "$HINT" >&2
exit 1
