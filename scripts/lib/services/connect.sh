# Kafka Connect (standalone worker) with Debezium's PostgreSQL connector, both from Maven
# Central: the engine that can replace @cqrs/postgres's relay by reading the outbox table
# from PostgreSQL's write-ahead log. Tests register their own connectors over the REST API.
# shellcheck shell=bash

CONNECT_DIR="$SVC_HOME/connect"
CONNECT_DIST="$DIST_DIR/connect-$KAFKA_VERSION"
DEBEZIUM_DIST="$DIST_DIR/debezium-$DEBEZIUM_VERSION"
CONNECT_PID="$RUN_DIR/connect.pid"
CONNECT_LOG="$LOG_DIR/connect.log"
CONNECT_MARKER="ConnectStandalone $CONNECT_DIR/worker.properties"
CONNECT_URL="http://$HOST:$CONNECT_PORT"

# connect_fetch DIR LOG DEPENDENCY_XML [MAVEN ARGS...]: resolves the dependencies
# (runtime scope) into DIR/lib with a throwaway pom.
connect_fetch() {
  local out=$1 logfile=$2 deps=$3
  shift 3
  local tmp
  tmp=$(mktemp -d "$DIST_DIR/.connect.XXXXXX")
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cqrs-services</groupId>
  <artifactId>connect-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
$deps
  </dependencies>
</project>
EOF
  (cd "$tmp" && mvn_run dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib" "$@") \
    >>"$logfile" 2>&1 || { tail -n 30 "$logfile" >&2; rm -rf "$tmp"; return 1; }
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  mv "$tmp/lib" "$out"
  rm -rf "$tmp"
}

mvn_dep() {
  printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>\n' "$1" "$2" "$3"
}

connect_install() {
  local logfile="$LOG_DIR/install-connect.log"
  if [[ ! -f $CONNECT_DIST/.installed ]]; then
    log "downloading Kafka Connect $KAFKA_VERSION jars from Maven Central"
    connect_fetch "$CONNECT_DIST/lib" "$logfile" "$(
      mvn_dep org.apache.kafka connect-runtime "$KAFKA_VERSION"
      mvn_dep org.apache.kafka connect-json "$KAFKA_VERSION"
      mvn_dep org.apache.kafka connect-transforms "$KAFKA_VERSION"
      mvn_dep org.apache.logging.log4j log4j-slf4j-impl "$KAFKA_LOG4J_VERSION"
    )" || die "Maven could not fetch connect-runtime:$KAFKA_VERSION"
    [[ -f $CONNECT_DIST/lib/connect-runtime-$KAFKA_VERSION.jar ]] || die "connect-runtime-$KAFKA_VERSION.jar missing after download"
    touch "$CONNECT_DIST/.installed"
  fi
  if [[ ! -f $DEBEZIUM_DIST/.installed ]]; then
    log "downloading Debezium $DEBEZIUM_VERSION PostgreSQL connector from Maven Central"
    # The worker provides Kafka's own jars; the plugin folder holds only Debezium's.
    connect_fetch "$DEBEZIUM_DIST/debezium-connector-postgres" "$logfile" "$(
      mvn_dep io.debezium debezium-connector-postgres "$DEBEZIUM_VERSION"
    )" -DexcludeGroupIds=org.apache.kafka || die "Maven could not fetch debezium-connector-postgres:$DEBEZIUM_VERSION"
    [[ -f $DEBEZIUM_DIST/debezium-connector-postgres/debezium-connector-postgres-$DEBEZIUM_VERSION.jar ]] ||
      die "debezium-connector-postgres-$DEBEZIUM_VERSION.jar missing after download"
    touch "$DEBEZIUM_DIST/.installed"
  fi
}

connect_config() {
  mkdir -p "$CONNECT_DIR"
  cat >"$CONNECT_DIR/worker.properties" <<EOF
# Written by scripts/services; edits are overwritten on the next start.
bootstrap.servers=$HOST:$KAFKA_PORT
listeners=$CONNECT_URL
# What the outbox stores is what goes on the wire: string keys, raw bytes as values.
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
offset.storage.file.filename=$CONNECT_DIR/offsets.dat
offset.flush.interval.ms=1000
plugin.path=$DEBEZIUM_DIST
plugin.discovery=only_scan
EOF
  cat >"$CONNECT_DIR/log4j2.properties" <<'EOF'
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRefs = stdout
rootLogger.appenderRef.stdout.ref = STDOUT
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
EOF
}

# Ready when the REST API answers and lists Debezium's PostgreSQL connector among its plugins.
connect_probe() {
  node -e '
    const url = process.argv[1];
    fetch(url + "/connector-plugins", { signal: AbortSignal.timeout(5000) })
      .then(async (res) => {
        const body = await res.text();
        if (res.status !== 200) throw new Error("HTTP " + res.status);
        if (!body.includes("io.debezium.connector.postgresql.PostgresConnector")) throw new Error("PostgresConnector not loaded: " + body.slice(0, 200));
        console.log("connect " + url + ": GET /connector-plugins lists io.debezium.connector.postgresql.PostgresConnector");
      })
      .catch((error) => { console.log("not ready: " + error.message); process.exit(1); });
  ' "$CONNECT_URL"
}

connect_up() {
  if pid_alive "$CONNECT_PID" "$CONNECT_MARKER"; then revive connect "$(<"$CONNECT_PID")" connect_down connect_probe; fi
  if pid_alive "$CONNECT_PID" "$CONNECT_MARKER"; then
    log "already running (pid $(<"$CONNECT_PID"))"
  elif port_open "$CONNECT_PORT"; then
    if connect_probe >/dev/null 2>&1; then
      log "a Kafka Connect not started by this script already answers on $CONNECT_URL; using it"
      return 0
    fi
    die "port $CONNECT_PORT is in use by another process"
  else
    ensure_java
    connect_install
    connect_config
    # The worker needs Kafka (started in parallel) before it can start.
    wait_ready kafka "" "" "$KAFKA_LOG" kafka_probe >/dev/null
    log "starting Kafka Connect $KAFKA_VERSION with Debezium $DEBEZIUM_VERSION (log: $CONNECT_LOG)"
    launch "$CONNECT_DIR" "$CONNECT_PID" "$CONNECT_LOG" "$(java_bin)" -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$CONNECT_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$CONNECT_DIST/lib/*" org.apache.kafka.connect.cli.ConnectStandalone "$CONNECT_DIR/worker.properties"
  fi
  wait_ready connect "$CONNECT_PID" "$CONNECT_MARKER" "$CONNECT_LOG" connect_probe
}

connect_down() {
  stop_pid connect "$CONNECT_PID" "$CONNECT_MARKER" 30
}

connect_status() {
  if pid_alive "$CONNECT_PID" "$CONNECT_MARKER"; then
    STATUS_PID=$(<"$CONNECT_PID")
  fi
  connect_probe
}

connect_where() {
  echo "REST $CONNECT_URL, Debezium $DEBEZIUM_VERSION PostgreSQL connector"
}

connect_clean() {
  rm -rf "$CONNECT_DIR"
}
