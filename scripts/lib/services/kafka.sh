# Apache Kafka in KRaft mode (one combined broker + controller), run from Maven Central jars.
# shellcheck shell=bash

KAFKA_DIR="$SVC_HOME/kafka"
KAFKA_DIST="$DIST_DIR/kafka-$KAFKA_VERSION"
KAFKA_PID="$RUN_DIR/kafka.pid"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_MARKER="kafka.Kafka $KAFKA_DIR/server.properties"
KAFKA_KEYSTORE_PASSWORD=cqrs-keystore

kafka_install() {
  [[ -f $KAFKA_DIST/.installed ]] && return 0
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central"
  local tmp
  tmp=$(mktemp -d "$DIST_DIR/.kafka.XXXXXX")
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cqrs-services</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <!-- slf4j 1.x binding for log4j2, as in the Kafka distribution -->
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$KAFKA_LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  (cd "$tmp" && mvn_run dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib") \
    >>"$LOG_DIR/install-kafka.log" 2>&1 ||
    { tail -n 30 "$LOG_DIR/install-kafka.log" >&2; die "Maven could not fetch kafka_2.13:$KAFKA_VERSION"; }
  [[ -f $tmp/lib/kafka_2.13-$KAFKA_VERSION.jar ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after download"
  rm -rf "$KAFKA_DIST"
  mkdir -p "$KAFKA_DIST"
  mv "$tmp/lib" "$KAFKA_DIST/lib"
  rm -rf "$tmp"
  touch "$KAFKA_DIST/.installed"
}

kafka_java() {
  "$(java_bin)" -cp "$KAFKA_DIST/lib/*" "$@"
}

# A CA and a broker certificate for 127.0.0.1/localhost, generated once and kept.
kafka_tls() {
  local dir="$KAFKA_DIR/tls"
  [[ -f $dir/broker.p12 && -f $dir/ca.pem ]] && return 0
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  log "generating a CA and broker certificate in $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout ca.key -out ca.pem -subj "/CN=cqrs-services local CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout broker.key -out broker.csr -subj "/CN=localhost"
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >broker.ext
    openssl x509 -req -sha256 -days 3650 -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -extfile broker.ext -out broker.pem
    openssl pkcs12 -export -name broker -in broker.pem -inkey broker.key -certfile ca.pem \
      -out broker.p12 -passout "pass:$KAFKA_KEYSTORE_PASSWORD"
    chmod 644 ca.pem
  ) >>"$LOG_DIR/install-kafka.log" 2>&1 || die "could not generate the Kafka certificates (see $LOG_DIR/install-kafka.log)"
}

kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  # An isolated instance listens on PLAINTEXT only: the fault tests need no TLS.
  local listeners="PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT"
  local advertised="PLAINTEXT://$HOST:$KAFKA_PORT"
  if [[ -n $KAFKA_SASL_PORT ]]; then
    listeners+=",SASL_SSL://$HOST:$KAFKA_SASL_PORT"
    advertised+=",SASL_SSL://$HOST:$KAFKA_SASL_PORT"
  fi
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Written by scripts/services; edits are overwritten on the next start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT

listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$KAFKA_DIR/tls/broker.p12
ssl.keystore.password=$KAFKA_KEYSTORE_PASSWORD
ssl.key.password=$KAFKA_KEYSTORE_PASSWORD
ssl.client.auth=none

log.dirs=$KAFKA_DIR/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<'EOF'
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRefs = stdout
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.requests.name = kafka.request.logger
logger.requests.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
logger.zstd.name = com.github.luben
logger.zstd.level = WARN
EOF
}

# Formats the KRaft storage once, creating the SCRAM user in the same step.
kafka_format() {
  [[ -f $KAFKA_DIR/data/meta.properties ]] && return 0
  local cluster_id
  cluster_id=$(openssl rand 16 | base64 | tr '+/' '-_' | tr -d '=\n')
  log "formatting KRaft storage (cluster id $cluster_id, SCRAM user $KAFKA_USER)"
  kafka_java -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" kafka.tools.StorageTool format \
    --config "$KAFKA_DIR/server.properties" --cluster-id "$cluster_id" \
    --add-scram "SCRAM-SHA-256=[name=$KAFKA_USER,password=$KAFKA_PASSWORD]" >>"$KAFKA_LOG" 2>&1 ||
    { tail -n 20 "$KAFKA_LOG" >&2; die "kafka storage format failed"; }
}

kafka_probe() {
  "${PROBE[@]}" kafka "$HOST:$KAFKA_PORT"
}

kafka_probe_sasl() {
  "${PROBE[@]}" kafka "$HOST:$KAFKA_SASL_PORT" --ca "$KAFKA_CA_FILE" --sasl "$KAFKA_USER:$KAFKA_PASSWORD"
}

kafka_probe_all() {
  if [[ -z $KAFKA_SASL_PORT ]]; then
    kafka_probe
  else
    kafka_probe && kafka_probe_sasl
  fi
}

kafka_up() {
  if pid_alive "$KAFKA_PID" "$KAFKA_MARKER"; then revive kafka "$(<"$KAFKA_PID")" kafka_down kafka_probe; fi
  if pid_alive "$KAFKA_PID" "$KAFKA_MARKER"; then
    log "already running (pid $(<"$KAFKA_PID"))"
  elif port_open "$KAFKA_PORT" || { [[ -n $KAFKA_SASL_PORT ]] && port_open "$KAFKA_SASL_PORT"; } || port_open "$KAFKA_CONTROLLER_PORT"; then
    if kafka_probe_all >/dev/null 2>&1; then
      log "a Kafka not started by this script already answers on $HOST:$KAFKA_PORT; using it"
      return 0
    fi
    die "ports $KAFKA_PORT/$KAFKA_CONTROLLER_PORT/${KAFKA_SASL_PORT:--} are in use by another process"
  else
    ensure_java
    kafka_install
    [[ -z $KAFKA_SASL_PORT ]] || kafka_tls
    kafka_config
    kafka_format
    log "starting Kafka $KAFKA_VERSION (log: $KAFKA_LOG)"
    launch "$KAFKA_DIR" "$KAFKA_PID" "$KAFKA_LOG" "$(java_bin)" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$KAFKA_DIST/lib/*" kafka.Kafka "$KAFKA_DIR/server.properties"
  fi
  wait_ready kafka "$KAFKA_PID" "$KAFKA_MARKER" "$KAFKA_LOG" kafka_probe
  [[ -z $KAFKA_SASL_PORT ]] || wait_ready kafka "$KAFKA_PID" "$KAFKA_MARKER" "$KAFKA_LOG" kafka_probe_sasl
}

kafka_down() {
  stop_pid kafka "$KAFKA_PID" "$KAFKA_MARKER" 60
}

kafka_status() {
  if pid_alive "$KAFKA_PID" "$KAFKA_MARKER"; then
    STATUS_PID=$(<"$KAFKA_PID")
  fi
  kafka_probe_all
}

kafka_where() {
  if [[ -z $KAFKA_SASL_PORT ]]; then
    echo "PLAINTEXT $HOST:$KAFKA_PORT, controller $HOST:$KAFKA_CONTROLLER_PORT"
  else
    echo "PLAINTEXT $HOST:$KAFKA_PORT, SASL_SSL/SCRAM-SHA-256 $HOST:$KAFKA_SASL_PORT ($KAFKA_USER), controller $HOST:$KAFKA_CONTROLLER_PORT"
  fi
}

kafka_clean() {
  rm -rf "$KAFKA_DIR"
}

# kafka_signal SIGNAL: to the broker's JVM.
kafka_signal() {
  pid_alive "$KAFKA_PID" "$KAFKA_MARKER" || die "kafka is not running"
  signal_pids "$1" "$(<"$KAFKA_PID")"
}
