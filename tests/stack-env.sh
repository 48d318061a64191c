# Sourced by tests/run.sh and tests/repeat.sh: the stack the integration tests run on.
# It is a stack of its own: its own service ports, its own Kafka (storage wiped every run) and a fresh
# database, so nothing that ran on this machine before (a `make up` stack left running, topics holding
# older events, an older test database) can change the outcome. PostgreSQL's cluster is shared.
# ANXIN_TEST_* pick other ports and another database, so that two checkouts can test side by side.
STACK=deploy/local/stack.sh
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

# test_stack_up: a fresh Kafka, a fresh database with every migration, the four services; all of it
# (PostgreSQL aside) stops when the calling script exits.
test_stack_up() {
  $STACK services-down
  deploy/local/kafka.sh stop
  rm -rf "$ANXIN_STATE/kafka"
  trap '$STACK services-down; deploy/local/kafka.sh stop' EXIT
  $STACK infra
  $STACK fresh-db
  $STACK migrate
  # Webhook retries on a test scale: 0, 1, 1, 1 seconds, and a 2-second request timeout.
  export ANXIN_NOTIFY_RETRY_SCHEDULE=0,1,1,1 ANXIN_NOTIFY_REQUEST_TIMEOUT_SECONDS=2
  # Abuse limits out of the tests' reach (many 401s from loopback, bursts of writes by one key);
  # tests/e2e/test_abuse_limits.py starts an instance with low ones.
  export ANXIN_AUTH_FAILURES_PER_ADDRESS=1000000
  export ANXIN_WRITE_LIMITS='{"source":[1000000,1000000],"agency":[1000000,1000000],"admin":[1000000,1000000]}'
  # Spans as JSON lines, so a test can follow one clue's trace across the services.
  export ANXIN_TRACE_EXPORTER=file ANXIN_TRACE_DIR="$ANXIN_STATE/traces"
  rm -rf "$ANXIN_TRACE_DIR"
  $STACK services-up
}

show_service_logs() {
  echo "== last service log lines"
  for svc in intake routing deadlines notify; do echo "-- $svc"; tail -n 40 "$ANXIN_STATE/log/$svc.log" || true; done
}
