#!/usr/bin/env bash
# Stops the private Dovecot started by .ci/dovecot/start.sh (no error if not running).
set -euo pipefail

STATE="${IMAPSYNC_DOVECOT_DIR:-/tmp/imapsync-dovecot}"
PID_FILE="$STATE/run/master.pid"

[[ -s "$PID_FILE" ]] || exit 0
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
[[ "$pid" =~ ^[0-9]+$ ]] || exit 0
kill -0 "$pid" 2>/dev/null || exit 0
# Only signal a dovecot master (the pid file may be stale and the pid reused).
[[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dovecot ]] || exit 0

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 0.1
done
echo "dovecot/stop.sh: dovecot (pid $pid) did not stop within 10 s; killing" >&2
kill -KILL "$pid" 2>/dev/null || true
