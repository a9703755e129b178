# Shared by scripts/up.sh, down.sh and test.sh: start and stop the project's own background processes
# with pid files under .data/run and logs under .data/logs. Sourced, not run.

root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
run_dir="$root/.data/run"
logs_dir="$root/.data/logs"

process_pid() {
  local pid_file="$run_dir/$1.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid=$(cat "$pid_file")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# start_process NAME COMMAND...: runs COMMAND detached in its own session, so a later Ctrl-C elsewhere
# does not reach it and stop_process can end its whole process group (npm → tsx → node).
start_process() {
  local name=$1; shift
  mkdir -p "$run_dir" "$logs_dir"
  if pid=$(process_pid "$name"); then echo "$name: already running (pid $pid)" >&2; return 0; fi
  setsid "$@" >>"$logs_dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/$name.pid"
}

stop_process() {
  local name=$1 timeout_s=${2:-15} pid
  if ! pid=$(process_pid "$name"); then rm -f "$run_dir/$name.pid"; return 0; fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then kill -KILL -- "-$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
  rm -f "$run_dir/$name.pid"
  echo "$name: stopped" >&2
}

# The worker processes that have a pid file, whether running or not: worker-1 … worker-N (npm run up's
# WORKER_COUNT), and plain `worker`, the name from before there could be several.
worker_names() {
  local pid_file
  for pid_file in "$run_dir"/worker.pid "$run_dir"/worker-*.pid; do
    [[ -e "$pid_file" ]] && basename "$pid_file" .pid
  done
  return 0
}

# stop_workers NAME...: stops the named workers together, so that the group rebalances once rather than once per
# worker. Waits for those stops only: a bare `wait` would also wait for the processes start_process started.
stop_workers() {
  local name stops=()
  for name in "$@"; do
    stop_process "$name" &
    stops+=($!)
  done
  ((${#stops[@]} == 0)) || wait "${stops[@]}"
}

# stop_workers_beyond N: stops the workers an earlier up started beyond worker-N (and a plain `worker`), so that
# an up with a smaller WORKER_COUNT leaves exactly N running.
stop_workers_beyond() {
  local count=$1 name extra=()
  for name in $(worker_names); do
    if [[ "$name" == worker ]] || ((${name#worker-} > count)); then extra+=("$name"); fi
  done
  stop_workers "${extra[@]}"
}

# Installs dependencies only when package-lock.json changed since the last install, so a warm start stays fast.
install_dependencies() {
  local lock_hash stamp="$root/node_modules/.bps-lock-hash"
  lock_hash=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then return 0; fi
  (cd "$root" && npm ci --no-audit --no-fund)
  echo "$lock_hash" > "$stamp"
}

# Builds the Next app and the compiled process entries (dist/) only when their inputs changed since the last build.
build_if_changed() {
  local sources_hash stamp="$root/.next/.bps-sources-hash"
  sources_hash=$(cd "$root" && find app components server prisma/schema.prisma next.config.js postcss.config.mjs package-lock.json tsconfig.json scripts/build-server.ts \
    -type f -not -path 'server/db/generated/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sources_hash" && -f "$root/dist/web.mjs" ]]; then return 0; fi
  (cd "$root" && npm run --silent build)
  echo "$sources_hash" > "$stamp"
}

# The command a package.json start script runs, without its leading VAR=value words, so that up.sh starts
# the very same `node … dist/<entry>.mjs` as `npm run start:<name>` without npm and sh in between.
start_script_command() {
  (cd "$root" && node -p "require('./package.json').scripts['start:$1'].split(/\s+/).filter((word, index, words) => !words.slice(0, index + 1).every((earlier) => /^[A-Z_]+=/.test(earlier))).join(' ')")
}
