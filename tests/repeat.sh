#!/usr/bin/env bash
# The multi-instance tests, N times in a row on one fresh stack (not part of make test):
#   tests/repeat.sh [N] [test files...]   (default: 10 runs of every test that starts a second instance)
# Prints one line a run and the tally; exits non-zero unless every run passed.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/stack-env.sh
runs="${1:-10}"; shift || true
files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=(
  tests/deadlines/integration/test_two_instances.py
  tests/resilience/e2e/test_two_instances.py
  tests/ops/integration/test_production_mode.py
)
$STACK setup
test_stack_up
passed=0
for run in $(seq 1 "$runs"); do
  started=$SECONDS
  if .venv/bin/pytest -q -p no:cacheprovider "${files[@]}" >"$ANXIN_STATE/log/repeat-$run.log" 2>&1; then
    passed=$((passed + 1)); outcome=passed
  else
    outcome="FAILED (see $ANXIN_STATE/log/repeat-$run.log)"
  fi
  echo "run $run of $runs: $outcome in $((SECONDS - started)) s: $(tail -n 1 "$ANXIN_STATE/log/repeat-$run.log")"
done
echo "$passed of $runs runs passed: ${files[*]}"
[[ $passed -eq $runs ]]
