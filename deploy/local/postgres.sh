#!/usr/bin/env bash
# PostgreSQL 15 for the local stack: a cluster of the project's own, started as the postgres user,
# with one database and one login role. Each service creates its own schema through Alembic.
# Usage: deploy/local/postgres.sh start|stop|status|url
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"

as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_admin() { PGOPTIONS="-c client_min_messages=warning" as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

cluster_exists() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c' | grep -q .; }
cluster_online() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; }

start() {
  [[ -x "$PG_BIN/postgres" ]] || die "PostgreSQL $PG_VERSION is not installed ($PG_BIN); on Debian: apt-get install postgresql-$PG_VERSION"
  [[ "$(id -u)" == 0 ]] || die "run as root (the cluster is created and started as the postgres user)"
  if ! cluster_exists; then
    port_open "$PG_PORT" && die "port $PG_PORT is taken by another process; stop it or set PG_PORT"
    log "creating PostgreSQL $PG_VERSION cluster '$PG_CLUSTER' on 127.0.0.1:$PG_PORT"
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    local conf="/etc/postgresql/$PG_VERSION/$PG_CLUSTER"
    cat >>"$conf/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
max_connections = 300
shared_buffers = 256MB
fsync = on
CONF
    # The local stack trusts loopback connections; production uses real credentials (see README).
    sed -i 's/^host\(.*\)127.0.0.1\/32\(.*\)scram-sha-256/host\1127.0.0.1\/32\2trust/' "$conf/pg_hba.conf"
  fi
  if cluster_online; then
    log "PostgreSQL cluster '$PG_CLUSTER' already running"
  else
    port_open "$PG_PORT" && die "port $PG_PORT is taken by another process; stop it or set PG_PORT"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  wait_until 60 "PostgreSQL" psql_admin -o /dev/null -c "select 1" || die "PostgreSQL did not answer on $PG_PORT"
  if [[ "$(psql_admin -c "select 1 from pg_roles where rolname='$PG_USER'")" != 1 ]]; then
    psql_admin -c "create role $PG_USER login password '$PG_PASSWORD'"
  fi
  if [[ "$(psql_admin -c "select 1 from pg_database where datname='$PG_DB'")" != 1 ]]; then
    psql_admin -c "create database $PG_DB owner $PG_USER"
  fi
}

stop() {
  if cluster_online; then pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop; log "PostgreSQL stopped"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) cluster_online && echo "postgres running" || { echo "postgres stopped"; exit 1; } ;;
  url) echo "postgresql+asyncpg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB" ;;
  *) die "usage: $0 start|stop|status|url" ;;
esac
