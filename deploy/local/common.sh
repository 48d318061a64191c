# Shared settings for the local stack scripts. Sourced, never run.
# Downloads are cached outside the repo; runtime state lives in .local/ (git-ignored).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ANXIN_CACHE="${ANXIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/anxin}"
ANXIN_STATE="${ANXIN_STATE:-$REPO_ROOT/.local}"
KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_HOME="$ANXIN_CACHE/kafka-$KAFKA_VERSION"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-6}"
PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-anxin}"
PG_PORT="${PG_PORT:-5433}"
PG_DB="${PG_DB:-anxin}"
PG_USER="${PG_USER:-anxin}"
PG_PASSWORD="${PG_PASSWORD:-anxin}"
VENV="${VENV:-$REPO_ROOT/.venv}"
SERVICES=(intake routing deadlines notify)

mkdir -p "$ANXIN_STATE/log" "$ANXIN_STATE/run"

log() { printf '[anxin] %s\n' "$*" >&2; }
die() { printf '[anxin] error: %s\n' "$*" >&2; exit 1; }

# Services listen on ANXIN_PORT_BASE+1..4 (8001-8004 by default; make test uses its own base).
ANXIN_PORT_BASE="${ANXIN_PORT_BASE:-8000}"
service_port() {
  case "$1" in
    intake) echo $((ANXIN_PORT_BASE + 1)) ;; routing) echo $((ANXIN_PORT_BASE + 2)) ;;
    deadlines) echo $((ANXIN_PORT_BASE + 3)) ;; notify) echo $((ANXIN_PORT_BASE + 4)) ;;
    *) die "unknown service $1" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive FILE: the process recorded in FILE is running.
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.3
  done
  log "$what is ready"
}
