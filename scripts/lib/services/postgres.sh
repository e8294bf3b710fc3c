# PostgreSQL from Debian's packages, with its own cluster under SVC_HOME, run with pg_ctl
# (no systemd, and the package's own "main" cluster is left alone).
# shellcheck shell=bash

PG_DIR="$SVC_HOME/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
PG_LOG="$LOG_DIR/postgres.log"
PG_URL="postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@$HOST:$POSTGRES_PORT/$POSTGRES_DB"

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/pg_ctl ]] || return 1
  echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
pg_user() {
  if [[ $(id -u) -eq 0 ]]; then
    echo postgres
  else
    id -un
  fi
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_ctl_() {
  as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" "$@"
}

pg_running() {
  [[ -f $PG_DATA/postmaster.pid ]] && pg_bindir >/dev/null && pg_ctl_ status >/dev/null 2>&1
}

pg_pid() {
  head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null
}

pg_probe() {
  local out
  out=$(PGCONNECT_TIMEOUT=3 psql "$PG_URL" -XtAc 'select 1' 2>&1) || {
    echo "not ready: $out"
    return 1
  }
  [[ $out == 1 ]] || {
    echo "not ready: unexpected answer '$out'"
    return 1
  }
  echo "postgres $HOST:$POSTGRES_PORT: SELECT 1 as $POSTGRES_USER on database $POSTGRES_DB"
}

pg_init() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  local bin owner
  bin=$(pg_bindir)
  owner=$(pg_user)
  log "creating a PostgreSQL cluster in $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
  chown "$owner" "$PG_DIR" "$PG_DATA" "$PG_SOCKET_DIR"
  chmod 700 "$PG_DATA"
  local pwfile="$PG_DIR/.pw"
  printf 'postgres\n' >"$pwfile"
  chown "$owner" "$pwfile"
  as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 ||
    { rm -f "$pwfile"; tail -n 20 "$PG_LOG" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  echo "include_if_exists = 'cqrs-services.conf'" >>"$PG_DATA/postgresql.conf"
}

pg_config() {
  mkdir -p "$PG_SOCKET_DIR"
  chown "$(pg_user)" "$PG_SOCKET_DIR"
  cat >"$PG_DATA/cqrs-services.conf" <<EOF
# Written by scripts/services; edits are overwritten on the next start.
listen_addresses = '$HOST'
port = $POSTGRES_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
shared_buffers = 64MB
# A disposable test database: durability is traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
# Logical decoding for Debezium's connector (Kafka Connect, scripts/lib/services/connect.sh).
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
EOF
  chown "$(pg_user)" "$PG_DATA/cqrs-services.conf"
}

# Creates the role and database once, over the local socket (trust auth).
pg_bootstrap() {
  local psql_local=(as_pg psql -X -h "$PG_SOCKET_DIR" -p "$POSTGRES_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [[ $("${psql_local[@]}" -c "select 1 from pg_roles where rolname = '$POSTGRES_USER'") != 1 ]]; then
    "${psql_local[@]}" -c "create role \"$POSTGRES_USER\" login createdb replication password '$POSTGRES_PASSWORD'" >>"$PG_LOG" 2>&1
  fi
  # Debezium streams changes over a logical replication connection as this role.
  if [[ $("${psql_local[@]}" -c "select rolreplication from pg_roles where rolname = '$POSTGRES_USER'") != t ]]; then
    "${psql_local[@]}" -c "alter role \"$POSTGRES_USER\" replication" >>"$PG_LOG" 2>&1
  fi
  if [[ $("${psql_local[@]}" -c "select 1 from pg_database where datname = '$POSTGRES_DB'") != 1 ]]; then
    "${psql_local[@]}" -c "create database \"$POSTGRES_DB\" owner \"$POSTGRES_USER\"" >>"$PG_LOG" 2>&1
  fi
}

# A cluster started before wal_level=logical was configured gets it with one restart.
pg_ensure_logical() {
  local level
  level=$(as_pg psql -X -h "$PG_SOCKET_DIR" -p "$POSTGRES_PORT" -U postgres -d postgres -qtAc 'show wal_level' 2>/dev/null || true)
  [[ $level == logical ]] && return 0
  log "wal_level is '$level'; restarting PostgreSQL once with wal_level=logical"
  pg_config
  pg_ctl_ restart -m fast -w -t "$READY_TIMEOUT" -l "$PG_LOG" >/dev/null 9>&- ||
    { tail -n 30 "$PG_LOG" | sed 's/^/    /'; die "PostgreSQL did not restart"; }
}

postgres_up() {
  if pg_running; then revive postgres "$(pg_pid)" pg_stop_now pg_answers; fi
  if pg_running; then
    log "already running (pid $(pg_pid))"
    pg_ensure_logical
  elif port_open "$POSTGRES_PORT"; then
    if pg_probe >/dev/null 2>&1; then
      log "a PostgreSQL not started by this script already answers on $HOST:$POSTGRES_PORT; using it"
      return 0
    fi
    die "port $POSTGRES_PORT is in use by another process (the Debian 'main' cluster? stop it with pg_ctlcluster)"
  else
    pg_bindir >/dev/null || apt_install postgresql
    pg_bindir >/dev/null || die "PostgreSQL binaries not found under /usr/lib/postgresql"
    mkdir -p "$PG_DIR"
    touch "$PG_LOG"
    chown "$(pg_user)" "$PG_LOG"
    pg_init
    pg_config
    log "starting PostgreSQL $("$(pg_bindir)/postgres" --version | awk '{print $3}') (log: $PG_LOG)"
    pg_ctl_ start -w -t "$READY_TIMEOUT" -l "$PG_LOG" >/dev/null 9>&- ||
      { tail -n 30 "$PG_LOG" | sed 's/^/    /'; die "PostgreSQL did not start"; }
  fi
  pg_bootstrap
  wait_ready postgres "" "" "$PG_LOG" pg_probe
}

# The server takes connections (whatever roles and databases exist yet).
pg_answers() {
  "$(pg_bindir)/pg_isready" -q -h "$HOST" -p "$POSTGRES_PORT" -t 3
}

# An immediate stop, for a server that no longer answers: crash recovery on the next start.
pg_stop_now() {
  pg_ctl_ stop -m immediate -w -t 30 >/dev/null 2>&1 || kill -KILL "$(pg_pid)" 2>/dev/null || true
}

postgres_down() {
  if pg_running; then
    pg_ctl_ stop -m fast -w -t 60 >/dev/null
  fi
}

postgres_status() {
  pg_running && STATUS_PID=$(pg_pid)
  pg_probe
}

postgres_where() {
  echo "$PG_URL (superuser postgres/postgres)"
}

postgres_clean() {
  rm -rf "$PG_DIR"
}
