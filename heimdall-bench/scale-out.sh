#!/usr/bin/env bash
# Scale-out of a worker fleet: tasks per second with 1, 2 and 3 `heimdall worker` processes on one
# PostgreSQL, each process with THREADS worker threads, on a fresh database per run.
#
#   heimdall-bench/scale-out.sh                      # PostgreSQL binaries of the embedded server
#   PG_BIN=/usr/lib/postgresql/15/bin heimdall-bench/scale-out.sh   # a system PostgreSQL
#
# Settings (environment): TASKS (default 200), THREADS (worker threads per process, default 2),
# PROCESSES ("1 2 3"), PORT (55432), PG_BIN (default: the binaries embedded-postgres extracted under
# /tmp/embedded-pg). The server runs in a temporary directory and is stopped and deleted at the end;
# both kinds get the same server options. Needs the tool built:
#   mvnl -B -q package -pl heimdall-cli -am -DskipTests -Dmaven.javadoc.skip=true
# Throughput is measured by the database clock: tasks / (last completed_at - first started_at).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/heimdall-cli/target/heimdall.jar"
TASKS="${TASKS:-200}"
THREADS="${THREADS:-2}"
PROCESSES="${PROCESSES:-1 2 3}"
PORT="${PORT:-55432}"
PG_BIN="${PG_BIN:-$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1)}"
export ORT_DISABLE_TELEMETRY=1 # ONNX Runtime telemetry crashes JVMs with long command lines

[ -f "$jar" ] || { echo "scale-out: build the tool first ($jar is missing)" >&2; exit 1; }
[ -x "$PG_BIN/pg_ctl" ] || { echo "scale-out: no pg_ctl in PG_BIN='$PG_BIN'" >&2; exit 1; }

pg() { # initdb and pg_ctl refuse root: as root, run them in a user namespace where they are not
  if [ "$(id -u)" = 0 ]; then unshare -U "$PG_BIN/$1" "${@:2}"; else "$PG_BIN/$1" "${@:2}"; fi
}
sql() { psql -h 127.0.0.1 -p "$PORT" -U postgres -Atq "$@"; }
cpu_seconds() { # user + system CPU of a process so far
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

work="$(mktemp -d /tmp/heimdall-scale-out.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  pg pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pg initdb -D "$work/data" -A trust -U postgres -E UTF-8 >/dev/null
pg pg_ctl -D "$work/data" -l "$work/postgres.log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c max_connections=300 -c synchronous_commit=off" \
  start >/dev/null
version="$(sql -d postgres -c 'SHOW server_version')"
echo "PostgreSQL $version from $PG_BIN; $(nproc) cores; $TASKS tasks per run, $THREADS threads per worker process"
printf '%-10s %-10s %-10s %-14s %s\n' processes threads tasks/s "worker cpu s" "postgres cpu s"

for n in $PROCESSES; do
  db="scale_$n"
  sql -d postgres -c "CREATE DATABASE $db"
  url="jdbc:postgresql://127.0.0.1:$PORT/$db?user=postgres"
  java -jar "$jar" status --db-url "$url" >/dev/null 2>"$work/migrate.log" # migrate once, first
  pids=()
  for i in $(seq 1 "$n"); do
    java -jar "$jar" worker --db-url "$url" --workers "$THREADS" --lease 30s >"$work/worker-$n-$i.log" 2>&1 &
    pids+=("$!")
  done
  for i in $(seq 1 "$n"); do
    until grep -q "claiming from" "$work/worker-$n-$i.log"; do
      kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { cat "$work/worker-$n-$i.log" >&2; exit 1; }
      sleep 0.2
    done
  done
  postmaster="$(head -1 "$work/data/postmaster.pid")"
  pg_cpu0="$(awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { print s / hz }' \
    $(pgrep -P "$postmaster" | sed 's|.*|/proc/&/stat|') "/proc/$postmaster/stat")"
  cpu0=0
  for p in "${pids[@]}"; do cpu0="$(echo "$cpu0 + $(cpu_seconds "$p")" | bc -l)"; done
  java -jar "$jar" submit --db-url "$url" --simulate "$TASKS" >/dev/null
  until [ "$(sql -d "$db" -c "SELECT count(*) FROM tasks WHERE status IN ('completed','failed')")" = "$TASKS" ]; do
    sleep 0.2
  done
  cpu1=0
  for p in "${pids[@]}"; do cpu1="$(echo "$cpu1 + $(cpu_seconds "$p")" | bc -l)"; done
  pg_cpu1="$(awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { print s / hz }' \
    $(pgrep -P "$postmaster" | sed 's|.*|/proc/&/stat|') "/proc/$postmaster/stat")"
  rate="$(sql -d "$db" -c "SELECT round(count(*) / extract(epoch FROM max(completed_at) - min(started_at)), 1) FROM tasks")"
  failed="$(sql -d "$db" -c "SELECT count(*) FROM tasks WHERE status <> 'completed'")"
  for p in "${pids[@]}"; do kill -TERM "$p"; done
  for p in "${pids[@]}"; do wait "$p" || { echo "worker $p exited $?" >&2; exit 1; }; done
  pids=()
  printf '%-10s %-10s %-10s %-14.1f %.1f%s\n' "$n" "$THREADS" "$rate" "$(echo "$cpu1 - $cpu0" | bc -l)" \
    "$(echo "$pg_cpu1 - $pg_cpu0" | bc -l)" "$([ "$failed" = 0 ] || echo "  ($failed not completed)")"
done
