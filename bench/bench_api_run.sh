#!/usr/bin/env bash
# `make bench-api`: the th1 list endpoint under load, on PostgreSQL (production; through its socket, then over TCP)
# and SQLite, release build.
# Fills each catalog from BENCH_STORAGE (default: a copy of the fixture tree) with the CLI, serves it with
# `mlplayground serve`, and runs bench/bench_api.sh (wrk at saturation; hey, then evenly spaced requests, at
# 1,000 req/s).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product mlplayground >/dev/null
MLP="$PWD/.build/release/mlplayground"
WORK="$(mktemp -d /tmp/mlp-bench-api.XXXXXX)"
STORAGE="${BENCH_STORAGE:-}"
if [ -z "$STORAGE" ]; then STORAGE="$WORK/eos"; cp -r Tests/Fixtures/dqmio "$STORAGE"; fi
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

bench() {
  local name=$1 database=$2
  "$MLP" index --database "$database" --storage "$STORAGE" >/dev/null
  "$MLP" ingest --pending --database "$database" --storage "$STORAGE" >/dev/null 2>&1 || true
  "$MLP" serve --port 0 --database "$database" > "$WORK/$name.log" 2>&1 &
  PID=$!
  local url=""
  for _ in $(seq 100); do url=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/$name.log" | head -1 || true); [ -n "$url" ] && break; sleep 0.1; done
  echo "== $name ($(curl -s "$url/api/v1/th1/count-by-subsystem" | grep -o '"count":[0-9]*' | awk -F: '{s+=$2} END {print s}') TH1 rows)"
  bench/bench_api.sh "$url" | tail -3
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

export -f bench
export MLP WORK STORAGE
# PostgreSQL on this host: through its unix socket (as a same-host deployment, and psql, connect by default), then
# over TCP on loopback.
scripts/with-postgres.sh bash -c 'psql "$MLP_TEST_POSTGRES_URL" -qc "CREATE DATABASE mlp_bench" &&
  port="${MLP_TEST_POSTGRES_URL##*:}" && port="${port%%/*}" &&
  bench postgresql-socket "postgres://mlp@/mlp_bench?host=$MLP_TEST_POSTGRES_SOCKET_DIR&port=$port" &&
  bench postgresql-tcp "${MLP_TEST_POSTGRES_URL%/*}/mlp_bench"'
bench sqlite "sqlite://$WORK/catalog.sqlite"
