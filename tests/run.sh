#!/usr/bin/env bash
# make test: lint, unit tests, then the real stack (Kafka, PostgreSQL, four services) on a fresh
# database and the integration and e2e tests against it. Fails on any failure or on no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
STACK=deploy/local/stack.sh
# The tests run on a stack of their own: their own service ports, their own Kafka (storage wiped every
# run) and a fresh database, so nothing that ran on this machine before (a `make up` stack left running,
# topics holding older events, an older test database) can change the outcome. PostgreSQL's cluster is
# shared. ANXIN_TEST_* pick other ports, so that two checkouts can test side by side.
export ANXIN_STATE="${ANXIN_TEST_STATE:-$PWD/.local/test}"
export ANXIN_PORT_BASE="${ANXIN_TEST_PORT_BASE:-18000}"
export KAFKA_PORT="${ANXIN_TEST_KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1))
export ANXIN_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
export ANXIN_DB="${ANXIN_TEST_DB:-anxin_test}"
export ANXIN_DATABASE_URL="postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/$ANXIN_DB?ssl=disable"
# Services default to production mode; the stack under test, and the extra instances tests start
# from this environment, run in development mode with loopback webhook receivers allowed.
export ANXIN_MODE=development ANXIN_NOTIFY_ALLOWED_CIDRS="127.0.0.0/8,::1/128"
# The operator CLI, as the tests run it, talks to this stack too.
export ANXIN_OPS_INTAKE_URL="http://127.0.0.1:$((ANXIN_PORT_BASE + 1))"
export ANXIN_OPS_ROUTING_URL="http://127.0.0.1:$((ANXIN_PORT_BASE + 2))"
export ANXIN_OPS_DEADLINES_URL="http://127.0.0.1:$((ANXIN_PORT_BASE + 3))"
export ANXIN_OPS_NOTIFY_URL="http://127.0.0.1:$((ANXIN_PORT_BASE + 4))"

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
$STACK services-down
deploy/local/kafka.sh stop
rm -rf "$ANXIN_STATE/kafka"
trap '$STACK services-down; deploy/local/kafka.sh stop' EXIT
$STACK infra
$STACK fresh-db
$STACK migrate
# Webhook retries on a test scale: 0, 1, 1, 1 seconds, and a 2-second request timeout.
export ANXIN_NOTIFY_RETRY_SCHEDULE=0,1,1,1 ANXIN_NOTIFY_REQUEST_TIMEOUT_SECONDS=2
# Spans as JSON lines, so a test can follow one clue's trace across the services.
export ANXIN_TRACE_EXPORTER=file ANXIN_TRACE_DIR="$ANXIN_STATE/traces"
rm -rf "$ANXIN_TRACE_DIR"
$STACK services-up
status=0
# Arguments, if any, choose the integration tests to run (e.g. one file while working on it).
.venv/bin/pytest -q -m "integration or e2e" -p no:cacheprovider "$@" || status=$?
if [[ $status -ne 0 ]]; then
  echo "== last service log lines"
  for svc in intake routing deadlines notify; do echo "-- $svc"; tail -n 40 "$ANXIN_STATE/log/$svc.log" || true; done
fi
# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
[[ $status -eq 5 ]] && echo "no integration tests ran" >&2
exit $status
