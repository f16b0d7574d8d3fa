#!/usr/bin/env bash
# Two builds of the server side by side under `bench/bench_api.sh`'s load, in one run, on the same catalog data:
# a change's cost as a ratio, with the machine's noise (steal) shared by both. Rounds alternate A, B, A, B, …
#
#   bench/bench_api_compare.sh BINARY_A PATH_A BINARY_B PATH_B [ROUNDS]
#   e.g. bench/bench_api_compare.sh /work/old/.build/release/mlplayground '/api/v1/th1?page_size=50' \
#                                   .build/release/mlplayground '/api/v1/th1/?page_size=50' 3
#
# Each binary fills its own catalog from a copy of the fixture tree (its own schema version) and serves it: on SQLite,
# or with COMPARE_POSTGRES=1 on a PostgreSQL that scripts/with-postgres.sh starts (one database each, over TCP).
# Prints each round's summary lines, then the medians of wrk's rate and of the evenly spaced p50/p99, and B/A.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 4 ] || { echo "usage: $0 BINARY_A PATH_A BINARY_B PATH_B [ROUNDS]" >&2; exit 2; }
ROUNDS="${5:-3}"
if [ "${COMPARE_POSTGRES:-}" = 1 ] && [ -z "${MLP_TEST_POSTGRES_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
WORK="$(mktemp -d /tmp/mlp-bench-compare.XXXXXX)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

# database NAME: the catalog's URL.
database() {
  if [ -n "${MLP_TEST_POSTGRES_URL:-}" ]; then echo "${MLP_TEST_POSTGRES_URL%/*}/bench_$(echo "$1" | tr 'A-Z' 'a-z')"
  else echo "sqlite://$WORK/$1/catalog.sqlite"; fi
}

# prepare NAME BINARY: a catalog of the fixture tree for that binary.
prepare() {
  mkdir -p "$WORK/$1" && cp -r Tests/Fixtures/dqmio "$WORK/$1/eos"
  if [ -n "${MLP_TEST_POSTGRES_URL:-}" ]; then psql "$MLP_TEST_POSTGRES_URL" -qc "CREATE DATABASE bench_$(echo "$1" | tr 'A-Z' 'a-z')"; fi
  "$2" index --database "$(database "$1")" --storage "$WORK/$1/eos" >/dev/null
  "$2" ingest --pending --database "$(database "$1")" --storage "$WORK/$1/eos" >/dev/null 2>&1 || true
}

# round NAME BINARY PATH: serve, load, stop; the summary lines go to $WORK/NAME.results.
round() {
  "$2" serve --port 0 --database "$(database "$1")" > "$WORK/$1/server.log" 2>&1 &
  PID=$!
  local url=""
  for _ in $(seq 100); do url=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/$1/server.log" | head -1 || true); [ -n "$url" ] && break; sleep 0.1; done
  BENCH_PATH="$3" BENCH_OUT="$WORK/$1/out" bench/bench_api.sh "$url" | tail -3 | tee -a "$WORK/$1.results"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

prepare A "$1"
prepare B "$3"
for r in $(seq "$ROUNDS"); do
  echo "== round $r: A ($1 $2)"; round A "$1" "$2"
  echo "== round $r: B ($3 $4)"; round B "$3" "$4"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
summary() {
  local rps p50 p99
  rps=$(grep '^wrk:' "$WORK/$1.results" | awk '{ print $2 }' | median)
  p50=$(grep '^evenly spaced' "$WORK/$1.results" | sed -E 's/.*p50 ([0-9.]+) ms.*/\1/' | median)
  p99=$(grep '^evenly spaced' "$WORK/$1.results" | sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' | median)
  echo "$rps $p50 $p99"
}
read -r a_rps a_p50 a_p99 <<< "$(summary A)"
read -r b_rps b_p50 b_p99 <<< "$(summary B)"
echo "medians over $ROUNDS rounds: A wrk $a_rps req/s, p50 $a_p50 ms, p99 $a_p99 ms; B wrk $b_rps req/s, p50 $b_p50 ms, p99 $b_p99 ms"
awk -v a="$a_rps" -v b="$b_rps" -v c="$a_p50" -v d="$b_p50" -v e="$a_p99" -v f="$b_p99" \
  'BEGIN { printf "B/A: rate %.2f, p50 %.2f, p99 %.2f\n", b / a, d / c, f / e }'
