#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1, from Maven Central jars.
# Usage: deploy/local/kafka.sh fetch|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_DATA="$ANXIN_STATE/kafka/data"
KAFKA_CONF="$ANXIN_STATE/kafka/server.properties"
KAFKA_PID="$ANXIN_STATE/run/kafka.pid"
KAFKA_LOG="$ANXIN_STATE/log/kafka.log"

fetch() {
  if [[ -f "$KAFKA_HOME/libs/.complete" ]]; then return; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Kafka from Maven Central"
  command -v java >/dev/null || die "Java 17 is needed to run Kafka"
  log "fetching Apache Kafka $KAFKA_VERSION into $KAFKA_HOME (Maven cache: ~/.m2)"
  rm -rf "$KAFKA_HOME/libs"
  (cd "$(dirname "${BASH_SOURCE[0]}")/kafka" &&
    mvn -B -q -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs")
  # Kafka pulls in slf4j 1.7 transitively; the log4j2 bridge needs the 2.x API declared in the pom.
  rm -f "$KAFKA_HOME"/libs/slf4j-api-1.*.jar
  touch "$KAFKA_HOME/libs/.complete"
}

kafka_java() { java -Xms256m -Xmx1g -cp "$KAFKA_HOME/libs/*" \
  -Dlog4j2.configurationFile="$(dirname "${BASH_SOURCE[0]}")/kafka/log4j2.properties" "$@"; }

write_config() {
  mkdir -p "$(dirname "$KAFKA_CONF")"
  cat >"$KAFKA_CONF" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=$KAFKA_PARTITIONS
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
}

start() {
  fetch
  if pid_alive "$KAFKA_PID"; then log "Kafka already running (pid $(cat "$KAFKA_PID"))"; return; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process; stop it or set KAFKA_PORT"
  port_open "$KAFKA_CONTROLLER_PORT" && die "port $KAFKA_CONTROLLER_PORT is taken; stop it or set KAFKA_CONTROLLER_PORT"
  write_config
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    log "formatting Kafka storage in $KAFKA_DATA"
    kafka_java kafka.tools.StorageTool format --standalone \
      -t "$(kafka_java kafka.tools.StorageTool random-uuid)" -c "$KAFKA_CONF" >>"$KAFKA_LOG" 2>&1 \
      || die "formatting Kafka storage failed, see $KAFKA_LOG"
  fi
  log "starting Kafka on 127.0.0.1:$KAFKA_PORT (log: $KAFKA_LOG)"
  setsid nohup java -Xms256m -Xmx1g -cp "$KAFKA_HOME/libs/*" \
    -Dlog4j2.configurationFile="$(dirname "${BASH_SOURCE[0]}")/kafka/log4j2.properties" \
    kafka.Kafka "$KAFKA_CONF" >>"$KAFKA_LOG" 2>&1 &
  echo $! >"$KAFKA_PID"
  wait_until 90 "Kafka" port_open "$KAFKA_PORT" || die "Kafka did not open port $KAFKA_PORT, see $KAFKA_LOG"
}

stop() {
  if pid_alive "$KAFKA_PID"; then
    local pid; pid="$(cat "$KAFKA_PID")"
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    log "Kafka stopped"
  fi
  rm -f "$KAFKA_PID"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) pid_alive "$KAFKA_PID" && echo "kafka running" || { echo "kafka stopped"; exit 1; } ;;
  *) die "usage: $0 fetch|start|stop|status" ;;
esac
