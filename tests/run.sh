#!/usr/bin/env bash
# make test: lint, unit tests, then the real stack (Kafka, PostgreSQL, four services) on a fresh
# database and the integration and e2e tests against it. Fails on any failure or on no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
STACK=deploy/local/stack.sh
export ANXIN_DB=anxin_test
export ANXIN_DATABASE_URL="postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/$ANXIN_DB?ssl=disable"

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

echo "== unit tests"
.venv/bin/pytest -q -m unit -p no:cacheprovider

echo "== integration and e2e tests on a fresh stack"
$STACK infra
$STACK services-down
$STACK fresh-db
$STACK migrate
# Webhook retries on a test scale: 0, 1, 1, 1 seconds, and a 2-second request timeout.
export ANXIN_NOTIFY_RETRY_SCHEDULE=0,1,1,1 ANXIN_NOTIFY_REQUEST_TIMEOUT_SECONDS=2
# Spans as JSON lines, so a test can follow one clue's trace across the services.
export ANXIN_TRACE_EXPORTER=file ANXIN_TRACE_DIR="$PWD/.local/traces"
rm -rf "$ANXIN_TRACE_DIR"
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
