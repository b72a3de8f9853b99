#!/usr/bin/env bash
# `npm test`: the example's Python packages (scripts/ensure-python.sh), then the type-check of the whole project
# (`tsc --noEmit`) and jest side by side: the type-check takes one core for tens of seconds, jest's workers the rest.
# Fails when either fails; the type-check's errors are printed after jest's report. Arguments go to jest.
set -u
cd "$(dirname "$0")/.."
bash scripts/ensure-python.sh || exit 1

tsc_output="$(mktemp)"
trap 'rm -f "$tsc_output"' EXIT
node_modules/.bin/tsc --noEmit >"$tsc_output" 2>&1 &
tsc_pid=$!

node_modules/.bin/jest "$@"
jest_status=$?

wait "$tsc_pid"
tsc_status=$?
if [ "$tsc_status" -ne 0 ]; then
  cat "$tsc_output"
  echo "tsc --noEmit failed (exit $tsc_status)" >&2
fi
[ "$jest_status" -eq 0 ] && [ "$tsc_status" -eq 0 ]
