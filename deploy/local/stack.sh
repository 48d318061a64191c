#!/usr/bin/env bash
# The whole local stack: virtualenv, Kafka, PostgreSQL, migrations and the four services.
# Usage: deploy/local/stack.sh setup|infra|migrate|up|down|run|status
#   ANXIN_DB=anxin_test selects another database (make test uses a fresh one).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HERE="$(dirname "${BASH_SOURCE[0]}")"
PY="$VENV/bin/python"
DB_NAME="${ANXIN_DB:-$PG_DB}"
# The cluster listens on loopback only, so the local stack skips TLS to its database.
export ANXIN_DATABASE_URL="${ANXIN_DATABASE_URL:-postgresql+asyncpg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME?ssl=disable}"
export ANXIN_KAFKA_BOOTSTRAP="${ANXIN_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}"
export ANXIN_MODE="${ANXIN_MODE:-development}"
# Webhooks reach only public addresses, in every mode; the local test receivers listen on loopback.
export ANXIN_NOTIFY_ALLOWED_CIDRS="${ANXIN_NOTIFY_ALLOWED_CIDRS:-127.0.0.0/8,::1/128}"
export ANXIN_KAFKA_PARTITIONS="$KAFKA_PARTITIONS"

setup() {
  local stamp="$VENV/.anxin-deps" want
  want="$(sha256sum "$REPO_ROOT/pyproject.toml" | cut -c1-16)"
  if [[ ! -x "$PY" ]]; then
    log "creating the virtualenv in $VENV"
    python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
  fi
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    log "installing Python dependencies (pip cache: ~/.cache/pip)"
    "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
    "$VENV/bin/pip" install -q -e "$REPO_ROOT[dev]"
    echo "$want" >"$stamp"
  fi
  local site; site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  printf '%s\n' "$REPO_ROOT" "$REPO_ROOT/services/intake" "$REPO_ROOT/services/routing" \
    "$REPO_ROOT/services/deadlines" "$REPO_ROOT/services/notify" >"$site/anxin-paths.pth"
}

infra() {
  "$HERE/kafka.sh" start
  "$HERE/postgres.sh" start
}

fresh_database() {
  log "recreating database $DB_NAME"
  PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME owner $PG_USER" >/dev/null
}

ensure_database() {
  local exists
  exists="$(runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -d postgres -qAt \
    -c "select 1 from pg_database where datname='$DB_NAME'")"
  [[ "$exists" == 1 ]] || fresh_database
}

migrate() {
  ensure_database
  for svc in "${SERVICES[@]}"; do
    (cd "$REPO_ROOT/services/$svc" && "$VENV/bin/alembic" -c alembic.ini upgrade head) \
      || die "migrations of $svc failed"
  done
  seal_audit_trail
  log "migrations applied to $DB_NAME"
}

# Routing's timeline: append-only, owned by a role the services cannot act as (deploy/sql).
seal_audit_trail() {
  runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -d "$DB_NAME" -qAt -v service_role="$PG_USER" \
    <"$REPO_ROOT/deploy/sql/seal_audit_trail.sql" >/dev/null || die "sealing the audit trail of $DB_NAME failed"
}

start_service() {
  local svc="$1" port pidfile
  port="$(service_port "$svc")"
  pidfile="$ANXIN_STATE/run/$svc.pid"
  if pid_alive "$pidfile"; then log "$svc already running (pid $(cat "$pidfile"))"; return; fi
  port_open "$port" && die "port $port is taken by another process; stop it (make down) before starting $svc"
  setsid nohup "$VENV/bin/uvicorn" "$svc.main:create_app" --factory --host 127.0.0.1 --port "$port" \
    --loop uvloop --http h11 --no-access-log ${ANXIN_RELOAD:+--reload --reload-dir "$REPO_ROOT/services/$svc" --reload-dir "$REPO_ROOT/shared"} \
    >>"$ANXIN_STATE/log/$svc.log" 2>&1 &
  echo $! >"$pidfile"
}

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/readyz"; }

services_up() {
  for svc in "${SERVICES[@]}"; do start_service "$svc"; done
  for svc in "${SERVICES[@]}"; do
    wait_until 120 "$svc (http://127.0.0.1:$(service_port "$svc")/docs)" ready "$(service_port "$svc")" \
      || die "$svc did not become ready; see $ANXIN_STATE/log/$svc.log"
  done
}

stop_service() {
  local pidfile="$ANXIN_STATE/run/$1.pid"
  if pid_alive "$pidfile"; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    log "$1 stopped"
  fi
  rm -f "$pidfile"
}

services_down() { for svc in "${SERVICES[@]}"; do stop_service "$svc"; done; }

up() {
  setup
  infra
  migrate
  services_up
  log "stack is up: intake :$(service_port intake), routing :$(service_port routing), deadlines :$(service_port deadlines), notify :$(service_port notify) (logs in $ANXIN_STATE/log)"
}

down() {
  services_down
  "$HERE/kafka.sh" stop
  "$HERE/postgres.sh" stop
}

run() {
  ANXIN_RELOAD=1 up
  trap 'echo; log "stopping"; down; exit 0' INT TERM
  for svc in "${SERVICES[@]}"; do
    printf '  %-10s http://127.0.0.1:%s/docs\n' "$svc" "$(service_port "$svc")"
  done
  log "Ctrl-C stops everything"
  tail -n 0 -F "$ANXIN_STATE"/log/{intake,routing,deadlines,notify}.log &
  wait
}

case "${1:-}" in
  setup) setup ;;
  infra) infra ;;
  migrate) migrate ;;
  fresh-db) fresh_database ;;
  services-up) services_up ;;
  services-down) services_down ;;
  start-service) start_service "$2" ;;
  stop-service) stop_service "$2" ;;
  up) up ;;
  down) down ;;
  run) run ;;
  *) die "usage: $0 setup|infra|migrate|fresh-db|services-up|services-down|start-service S|stop-service S|up|down|run" ;;
esac
