# Apicurio Registry 3.x with in-memory storage, twice: an open instance and one that
# requires HTTP basic auth (Quarkus embedded users, no Keycloak needed).
# shellcheck shell=bash

REGISTRY_DIST="$DIST_DIR/apicurio-registry-$APICURIO_VERSION"
REGISTRY_DIR="$SVC_HOME/registry"

registry_install() {
  [[ -f $REGISTRY_DIST/.installed ]] && return 0
  log "downloading Apicurio Registry $APICURIO_VERSION (io.apicurio:apicurio-registry-app:tar.gz:all) from Maven Central"
  local tmp
  tmp=$(mktemp -d "$DIST_DIR/.apicurio.XXXXXX")
  (cd "$tmp" && mvn_run dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$tmp" -Dmdep.overWriteReleases=true) >>"$LOG_DIR/install-registry.log" 2>&1 ||
    { tail -n 30 "$LOG_DIR/install-registry.log" >&2; die "Maven could not fetch apicurio-registry-app $APICURIO_VERSION"; }
  mkdir -p "$tmp/app"
  tar -xzf "$tmp/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$tmp/app"
  [[ -f $tmp/app/quarkus-run.jar ]] || die "quarkus-run.jar missing from the Apicurio archive"
  rm -rf "$REGISTRY_DIST"
  mv "$tmp/app" "$REGISTRY_DIST"
  rm -rf "$tmp"
  # Maven keeps its own copy of the 150 MB archive; the unpacked application is enough.
  rm -f "$M2_REPO/io/apicurio/apicurio-registry-app/$APICURIO_VERSION/"*.tar.gz
  touch "$REGISTRY_DIST/.installed"
}

# registry_instance_vars NAME: sets the per-instance variables R_*.
registry_instance_vars() {
  R_NAME=$1
  R_PID="$RUN_DIR/$R_NAME.pid"
  R_LOG="$LOG_DIR/$R_NAME.log"
  R_WORK="$REGISTRY_DIR/$R_NAME"
  R_MARKER="-Dcqrs.services.instance=${SVC_INSTANCE:+$SVC_INSTANCE/}$R_NAME"
  if [[ $R_NAME == registry ]]; then
    R_PORT=$REGISTRY_PORT
    R_MGMT_PORT=$REGISTRY_MGMT_PORT
  else
    R_PORT=$REGISTRY_AUTH_PORT
    R_MGMT_PORT=$REGISTRY_AUTH_MGMT_PORT
  fi
}

registry_probe() {
  "${PROBE[@]}" http "http://$HOST:$REGISTRY_PORT/apis/ccompat/v7/subjects"
}

registry_auth_probe() {
  "${PROBE[@]}" http "http://$HOST:$REGISTRY_AUTH_PORT/apis/ccompat/v7/subjects" \
    --user "$REGISTRY_AUTH_USER:$REGISTRY_AUTH_PASSWORD" &&
    "${PROBE[@]}" http "http://$HOST:$REGISTRY_AUTH_PORT/apis/ccompat/v7/subjects" --expect 401 >/dev/null
}

# The readiness probe of registry instance NAME.
registry_probe_of() {
  if [[ $1 == registry ]]; then echo registry_probe; else echo registry_auth_probe; fi
}

# Stops the instance `registry_instance_vars` last selected.
registry_stop_instance() {
  stop_pid "$R_NAME" "$R_PID" "$R_MARKER" 30
}

registry_start_instance() {
  registry_instance_vars "$1"
  local probe
  probe=$(registry_probe_of "$R_NAME")
  if pid_alive "$R_PID" "$R_MARKER"; then
    log "$R_NAME already running (pid $(<"$R_PID"))"
    return 0
  fi
  if port_open "$R_PORT"; then
    if $probe >/dev/null 2>&1; then
      log "a registry not started by this script already answers on $HOST:$R_PORT; using it"
      rm -f "$R_PID"
      return 0
    fi
    die "port $R_PORT is in use by another process"
  fi
  local opts=(
    -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    "$R_MARKER"
    "-Dquarkus.http.host=$HOST" "-Dquarkus.http.port=$R_PORT"
    "-Dquarkus.management.host=$HOST" "-Dquarkus.management.port=$R_MGMT_PORT"
    -Dquarkus.http.access-log.enabled=false
    "-Dquarkus.log.console.format=%d{yyyy-MM-dd HH:mm:ss,SSS} %p [%c{3.}] (%t) %m%n"
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2
    -Dapicurio.rest.deletion.group.enabled=true
    -Dapicurio.rest.deletion.artifact.enabled=true
    -Dapicurio.rest.deletion.artifact-version.enabled=true
    -Dapicurio.storage.snapshot.location="$R_WORK"
  )
  if [[ $R_NAME != registry ]]; then
    opts+=(
      -Dquarkus.http.auth.basic=true
      -Dapicurio.authn.mechanism.priority=basic
      -Dquarkus.security.users.embedded.plain-text=true
      "-Dquarkus.security.users.embedded.users.$REGISTRY_AUTH_USER=$REGISTRY_AUTH_PASSWORD"
      "-Dquarkus.security.users.embedded.roles.$REGISTRY_AUTH_USER=sr-admin"
    )
  fi
  mkdir -p "$R_WORK"
  log "starting Apicurio Registry $APICURIO_VERSION as $R_NAME on $HOST:$R_PORT (log: $R_LOG)"
  launch "$R_WORK" "$R_PID" "$R_LOG" "$(java_bin)" "${opts[@]}" -jar "$REGISTRY_DIST/quarkus-run.jar"
}

registry_wait_instance() {
  registry_instance_vars "$1"
  local probe
  probe=$(registry_probe_of "$R_NAME")
  if [[ -s $R_PID ]]; then
    wait_ready "$R_NAME" "$R_PID" "$R_MARKER" "$R_LOG" $probe
  else
    wait_ready "$R_NAME" "" "" "$R_LOG" $probe
  fi
}

# The registry instances to run: an isolated instance has no basic-auth twin.
registry_names() {
  if [[ -n $SVC_INSTANCE ]]; then echo registry; else echo registry registry-auth; fi
}

registry_up() {
  local need_start=0 name
  for name in $(registry_names); do
    registry_instance_vars "$name"
    if pid_alive "$R_PID" "$R_MARKER"; then revive "$name" "$(<"$R_PID")" registry_stop_instance "$(registry_probe_of "$name")"; fi
    pid_alive "$R_PID" "$R_MARKER" || port_open "$R_PORT" || need_start=1
  done
  if [[ $need_start == 1 ]]; then
    ensure_java
    registry_install
  fi
  for name in $(registry_names); do registry_start_instance "$name"; done
  for name in $(registry_names); do registry_wait_instance "$name"; done
}

registry_down() {
  local name
  for name in $(registry_names); do
    registry_instance_vars "$name"
    stop_pid "$name" "$R_PID" "$R_MARKER" 30
  done
}

registry_status() {
  registry_instance_vars registry
  if pid_alive "$R_PID" "$R_MARKER"; then
    STATUS_PID=$(<"$R_PID")
    if [[ -z $SVC_INSTANCE ]]; then
      registry_instance_vars registry-auth
      pid_alive "$R_PID" "$R_MARKER" && STATUS_PID="$STATUS_PID,$(<"$R_PID")"
    fi
  fi
  if [[ -n $SVC_INSTANCE ]]; then
    registry_probe
  else
    registry_probe && registry_auth_probe
  fi
}

registry_where() {
  if [[ -n $SVC_INSTANCE ]]; then
    echo "http://$HOST:$REGISTRY_PORT/apis/ccompat/v7"
  else
    echo "http://$HOST:$REGISTRY_PORT/apis/ccompat/v7, basic auth ($REGISTRY_AUTH_USER) http://$HOST:$REGISTRY_AUTH_PORT/apis/ccompat/v7"
  fi
}

registry_clean() {
  rm -rf "$REGISTRY_DIR"
}

# registry_signal SIGNAL: to every registry JVM of this home.
registry_signal() {
  local name
  for name in $(registry_names); do
    registry_instance_vars "$name"
    pid_alive "$R_PID" "$R_MARKER" || die "$name is not running"
    signal_pids "$1" "$(<"$R_PID")"
  done
}
