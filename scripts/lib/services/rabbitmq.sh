# RabbitMQ from Debian's rabbitmq-server package, run directly (no systemd), with its
# own node name, data, config and Erlang cookie under SVC_HOME.
# shellcheck shell=bash

RABBITMQ_DIR="$SVC_HOME/rabbitmq"
RABBITMQ_PID="$RUN_DIR/rabbitmq.pid"
RABBITMQ_SBIN=/usr/lib/rabbitmq/bin
RABBITMQ_LOG="$LOG_DIR/rabbitmq.log"
RABBITMQ_NODE="cqrs${SVC_INSTANCE:+-$SVC_INSTANCE}@localhost"
RABBITMQ_MARKER="$RABBITMQ_SBIN/rabbitmq-server"

# The environment of this node, for the server and for rabbitmqctl.
RABBITMQ_ENV=(
  HOME="$RABBITMQ_DIR/home"
  RABBITMQ_NODENAME="$RABBITMQ_NODE"
  RABBITMQ_USE_LONGNAME=false
  RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf"
  RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_DIR/advanced.config"
  RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  RABBITMQ_LOG_BASE="$LOG_DIR"
  RABBITMQ_LOGS=-
  RABBITMQ_PID_FILE="$RABBITMQ_DIR/beam.pid"
  RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT"
  "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
  ERL_EPMD_ADDRESS=127.0.0.1
)

# For manual use: rabbitmqctl against this node.
rabbitmqctl_() {
  env "${RABBITMQ_ENV[@]}" "$RABBITMQ_SBIN/rabbitmqctl" "$@"
}

rabbitmq_config() {
  mkdir -p "$RABBITMQ_DIR/home" "$RABBITMQ_DIR/mnesia"
  chmod 700 "$RABBITMQ_DIR/home"
  if [[ ! -f $RABBITMQ_DIR/home/.erlang.cookie ]]; then
    (umask 077 && openssl rand -hex 20 | tr -d '\n' >"$RABBITMQ_DIR/home/.erlang.cookie")
  fi
  : >"$RABBITMQ_DIR/rabbitmq-env.conf"
  echo '[rabbitmq_management].' >"$RABBITMQ_DIR/enabled_plugins"
  cat >"$RABBITMQ_DIR/rabbitmq.conf" <<EOF
# Written by scripts/services; edits are overwritten on the next start.
listeners.tcp.local = $HOST:$RABBITMQ_PORT
management.tcp.ip = $HOST
management.tcp.port = $RABBITMQ_MGMT_PORT
# guest/guest may only connect from loopback, which is where the tests run.
loopback_users.guest = true
log.console = true
log.console.level = info
log.file = false
disk_free_limit.absolute = 50MB
# Connections and queues show up in the management API within a second.
collect_statistics_interval = 1000
EOF
}

rabbitmq_probe() {
  "${PROBE[@]}" amqp "$HOST:$RABBITMQ_PORT" "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" / &&
    "${PROBE[@]}" http "http://$HOST:$RABBITMQ_MGMT_PORT/api/overview" --user "$RABBITMQ_USER:$RABBITMQ_PASSWORD"
}

rabbitmq_up() {
  if pid_alive "$RABBITMQ_PID" "$RABBITMQ_MARKER"; then revive rabbitmq "$(<"$RABBITMQ_PID")" rabbitmq_down rabbitmq_probe; fi
  if pid_alive "$RABBITMQ_PID" "$RABBITMQ_MARKER"; then
    log "already running (pid $(<"$RABBITMQ_PID"))"
  elif port_open "$RABBITMQ_PORT" || port_open "$RABBITMQ_MGMT_PORT"; then
    if rabbitmq_probe >/dev/null 2>&1; then
      log "a RabbitMQ not started by this script already answers on $HOST:$RABBITMQ_PORT; using it"
      rm -f "$RABBITMQ_PID"
      return 0
    fi
    die "ports $RABBITMQ_PORT/$RABBITMQ_MGMT_PORT are in use by another process (a system rabbitmq-server?)"
  else
    apt_install rabbitmq-server
    command -v openssl >/dev/null 2>&1 || apt_install openssl
    rabbitmq_config
    log "starting RabbitMQ (node $RABBITMQ_NODE, log: $RABBITMQ_LOG)"
    # The pid recorded is the server script's, which turns SIGTERM into a clean stop.
    launch "$RABBITMQ_DIR" "$RABBITMQ_PID" "$RABBITMQ_LOG" env "${RABBITMQ_ENV[@]}" "$RABBITMQ_SBIN/rabbitmq-server"
  fi
  wait_ready rabbitmq "$RABBITMQ_PID" "$RABBITMQ_MARKER" "$RABBITMQ_LOG" rabbitmq_probe
}

# SIGTERM to the server script makes it stop the node cleanly (rabbitmqctl stop).
rabbitmq_down() {
  stop_pid rabbitmq "$RABBITMQ_PID" "$RABBITMQ_MARKER" 60
}

rabbitmq_status() {
  pid_alive "$RABBITMQ_PID" "$RABBITMQ_MARKER" && STATUS_PID=$(<"$RABBITMQ_PID")
  rabbitmq_probe
}

rabbitmq_where() {
  echo "amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@$HOST:$RABBITMQ_PORT, management http://$HOST:$RABBITMQ_MGMT_PORT"
}

rabbitmq_clean() {
  rm -rf "$RABBITMQ_DIR"
}

# rabbitmq_signal SIGNAL: to the Erlang VM, not the wrapper script, so SIGKILL is a crash
# (no clean stop) and SIGSTOP freezes the broker with its sockets open.
rabbitmq_signal() {
  pid_alive "$RABBITMQ_PID" "$RABBITMQ_MARKER" || die "rabbitmq is not running"
  local beam
  beam=$(pgrep -P "$(<"$RABBITMQ_PID")" beam.smp || true)
  [[ -n $beam ]] || die "rabbitmq's Erlang VM was not found under pid $(<"$RABBITMQ_PID")"
  signal_pids "$1" $beam
}
