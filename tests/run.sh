#!/usr/bin/env bash
# make test: lint, unit tests, then the real stack (Kafka, PostgreSQL, four services) on a fresh
# database and the integration and e2e tests against it. Fails on any failure or on no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
STACK=deploy/local/stack.sh
export ANXIN_DB=anxin_test

$STACK setup
echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .

echo "== unit tests"
.venv/bin/pytest -q -m unit -p no:cacheprovider

echo "== integration and e2e tests on a fresh stack"
$STACK infra
$STACK services-down
$STACK fresh-db
$STACK migrate
$STACK services-up
status=0
.venv/bin/pytest -q -m "integration or e2e" -p no:cacheprovider || status=$?
if [[ $status -ne 0 ]]; then
  echo "== last service log lines"
  for svc in intake routing deadlines notify; do echo "-- $svc"; tail -n 40 ".local/log/$svc.log" || true; done
fi
$STACK services-down
# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
[[ $status -eq 5 ]] && echo "no integration tests ran" >&2
exit $status
