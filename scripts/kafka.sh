#!/usr/bin/env bash
# Local Apache Kafka for development and tests: a single-node KRaft broker+controller run from Maven Central jars.
#   scripts/kafka.sh fetch    resolve the broker's jars into the cache (outside git)
#   scripts/kafka.sh start    use $KAFKA_BROKERS if it answers; otherwise fetch, format and start ours, and wait until ready
#   scripts/kafka.sh stop     stop the broker this script started (SIGTERM, then SIGKILL after a grace period)
#   scripts/kafka.sh status   say whether a broker answers and whether it is ours
#   scripts/kafka.sh libs     print the folder of the cached jars (for Kafka's own tools)
# BPS_KAFKA_PORT (default 9092; the controller listens on the next port) and BPS_KAFKA_DATA (default .data/kafka)
# give a broker of its own to the tests, the benchmark and the chaos run, which stop and restart theirs freely.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$root/kafka/pom.xml")
cache_dir=${BPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/book-purchase-streams}
libs_dir="$cache_dir/kafka-$kafka_version/libs"
data_dir=${BPS_KAFKA_DATA:-$root/.data/kafka}
pid_file="$data_dir/broker.pid"
log_file="$data_dir/broker.log"
listen_host=127.0.0.1
listen_port=${BPS_KAFKA_PORT:-9092}
controller_port=$((listen_port + 1))
ready_timeout_s=${KAFKA_READY_TIMEOUT_S:-90}
stop_timeout_s=${KAFKA_STOP_TIMEOUT_S:-30}

say() { echo "kafka: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

our_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid=$(cat "$pid_file")
  # The pid must still be our JVM, not a recycled number.
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

# The first host:port of $KAFKA_BROKERS, when it is set and answers.
external_broker_answers() {
  [[ -n "${KAFKA_BROKERS:-}" ]] || return 1
  local first=${KAFKA_BROKERS%%,*}
  port_open "${first%:*}" "${first##*:}"
}

fetch() {
  if [[ -f "$libs_dir/kafka_2.13-$kafka_version.jar" && -f "$libs_dir/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch Kafka's jars: apt-get install -y maven"; exit 1; }
  command -v java >/dev/null || { say "Java 17+ is needed to run Kafka: apt-get install -y openjdk-17-jre-headless"; exit 1; }
  say "fetching Apache Kafka $kafka_version jars from Maven Central into $libs_dir"
  rm -rf "$libs_dir.partial"
  mvn -q -B -Dstyle.color=never -f "$root/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$libs_dir.partial" -DincludeScope=runtime
  rm -rf "$libs_dir"
  mv "$libs_dir.partial" "$libs_dir"
  touch "$libs_dir/.complete"
}

java_command=(java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j2.configurationFile="$root/kafka/log4j2.yaml" -cp "$libs_dir/*")

format_storage() {
  mkdir -p "$data_dir"
  # log.dirs must be absolute and the storage tool has no override flag, so the effective config is written here.
  # Later keys win in a Java properties file: the listeners follow this broker's port.
  { cat "$root/kafka/server.properties"
    echo "log.dirs=$data_dir/logs"
    echo "listeners=PLAINTEXT://$listen_host:$listen_port,CONTROLLER://$listen_host:$controller_port"
    echo "advertised.listeners=PLAINTEXT://$listen_host:$listen_port"
    echo "controller.quorum.voters=1@$listen_host:$controller_port"
  } > "$data_dir/server.properties"
  if [[ -f "$data_dir/logs/meta.properties" ]]; then return 0; fi
  local cluster_id
  cluster_id=$("${java_command[@]}" kafka.tools.StorageTool random-uuid | tail -n 1)
  "${java_command[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$data_dir/server.properties" >/dev/null
}

wait_ready() {
  local pid=$1 deadline=$((SECONDS + ready_timeout_s))
  # "Kafka Server started" follows unfencing, so clients can produce and join groups from then on.
  until grep -q "Kafka Server started" "$log_file" 2>/dev/null && port_open "$listen_host" "$listen_port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "the broker exited during start-up; last lines of $log_file:"; tail -n 30 "$log_file" >&2; exit 1
    fi
    if ((SECONDS >= deadline)); then say "not ready after ${ready_timeout_s}s; see $log_file"; exit 1; fi
    sleep 0.2
  done
}

start() {
  if pid=$(our_pid); then say "already running (pid $pid) on $listen_host:$listen_port"; return 0; fi
  if external_broker_answers; then say "using the broker at $KAFKA_BROKERS; starting nothing"; return 0; fi
  if port_open "$listen_host" "$listen_port"; then
    say "something else listens on $listen_host:$listen_port; set KAFKA_BROKERS=$listen_host:$listen_port to use it, or stop it"; exit 1
  fi
  fetch
  format_storage
  local started_at=$SECONDS
  : > "$log_file"
  # setsid detaches the broker from this shell's process group, so Ctrl-C on a later command does not kill it.
  setsid "${java_command[@]}" kafka.Kafka "$data_dir/server.properties" >>"$log_file" 2>&1 < /dev/null &
  echo $! > "$pid_file"
  wait_ready "$!"
  say "ready on $listen_host:$listen_port in $((SECONDS - started_at))s (pid $(cat "$pid_file"), log $log_file)"
}

stop() {
  local pid
  if ! pid=$(our_pid); then rm -f "$pid_file"; say "not running (nothing of ours to stop)"; return 0; fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + stop_timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then say "no clean exit after ${stop_timeout_s}s; killing"; kill -KILL "$pid"; break; fi
    sleep 0.2
  done
  rm -f "$pid_file"
  say "stopped"
}

status() {
  if pid=$(our_pid); then echo "kafka: running (ours, pid $pid) on $listen_host:$listen_port"; return 0; fi
  if external_broker_answers; then echo "kafka: using $KAFKA_BROKERS (not ours)"; return 0; fi
  if port_open "$listen_host" "$listen_port"; then echo "kafka: a broker not started by us answers on $listen_host:$listen_port"; return 0; fi
  echo "kafka: not running"; return 3
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  libs) echo "$libs_dir" ;;
  *) echo "usage: $0 fetch|start|stop|status|libs" >&2; exit 2 ;;
esac
