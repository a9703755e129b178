#!/usr/bin/env bash
# supervise.sh NAME COMMAND...: runs COMMAND and starts it again when it dies, after a pause that doubles with
# each quick death (1 s up to 30 s, back to 1 s after a minute of good health). Exit 0 (a clean stop) and exit 78
# (EX_CONFIG: a process that refuses to start, such as a worker whose stored offsets do not fit the topics) are
# final: restarting would only fail the same way. SIGTERM stops the command and the supervisor. The command
# gets BPS_RESTART_COUNT, how often it was restarted so far (the web and worker export it as bps_process_restarts).
set -uo pipefail
name=$1; shift
delay_s=1
child=
restarts=0
stop() {
  [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null && wait "$child"
  exit 0
}
trap stop TERM INT
while true; do
  started_at=$SECONDS
  BPS_RESTART_COUNT=$restarts "$@" &
  child=$!
  wait "$child"
  code=$?
  child=
  if ((code == 0 || code == 78)); then
    echo "supervise: $name exited with $code; not restarting" >&2
    exit "$code"
  fi
  if ((SECONDS - started_at > 60)); then delay_s=1; fi
  echo "supervise: $name exited with $code; restarting in ${delay_s}s" >&2
  sleep "$delay_s" & wait $!
  restarts=$((restarts + 1))
  delay_s=$((delay_s * 2 > 30 ? 30 : delay_s * 2))
done
