#!/usr/bin/env bash
# make test: lint, unit tests, then the real stack (Kafka, PostgreSQL, four services) on a fresh
# database and the integration and e2e tests against it. Fails on any failure or on no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/stack-env.sh

$STACK setup
# The briefing page is checked in a real headless browser: Debian's Chromium.
if ! command -v chromium >/dev/null; then
  echo "== installing Chromium from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
.venv/bin/lint-imports --no-logo  # the layers (docs/architecture.md)

echo "== unit tests"
.venv/bin/pytest -q -m unit -p no:cacheprovider

echo "== integration and e2e tests on a fresh stack"
test_stack_up
status=0
# Arguments, if any, choose the integration tests to run (e.g. one file while working on it).
.venv/bin/pytest -q -m "integration or e2e" -p no:cacheprovider --durations=10 "$@" || status=$?
[[ $status -ne 0 ]] && show_service_logs
# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
[[ $status -eq 5 ]] && echo "no integration tests ran" >&2
exit $status
