#!/usr/bin/env bash
# HTTP API benchmark on loopback: GET /api/v1/th1/?page_size=50 against a running MLPlayground server.
#
#   bench/bench_api.sh http://127.0.0.1:8123
#
# 1. wrk, 2 threads / 64 connections for 20 s: the request rate at saturation.
# 2. hey at a constant 1,000 req/s for 20 s (50 workers x 20 req/s each; hey's -q is per worker): latency percentiles.
#    hey starts its 50 workers together, so its requests come in bursts of 50 every 50 ms.
# 3. bench/constant_rate.c (built here with cc) at 1,000 req/s for 20 s over 50 connections, requests evenly spaced
#    (one every millisecond) and latency counted from when each was due: the same rate without the bursts.
# The server is not started here; it should already hold indexed data (an empty list is a much cheaper request).
# Load generator and server share the machine's 2 cores, so the wrk figure is a floor for a dedicated server.
#
# Environment (optional): WRK_DURATION (20s), HEY_DURATION (20s), BENCH_PATH (/api/v1/th1/?page_size=50),
# BENCH_OUT (where the raw wrk/hey outputs are kept, default $TMPDIR/mlp-bench-api).
# Ends with three summary lines, each with the share of the machine's CPU time the hypervisor took (steal, from
# /proc/stat) while it ran: on a shared virtual machine that moves the latencies most.
#   wrk: N req/s, steal S %
#   hey @1000 req/s: p50 X ms, p99 Y ms, errors Z, steal S %
#   evenly spaced @1000 req/s: p50 X ms, p99 Y ms, errors Z, steal S %
set -euo pipefail

if [ $# -lt 1 ] || [ -z "${1:-}" ]; then
  echo "usage: $0 BASE_URL   (e.g. http://127.0.0.1:8123)" >&2
  exit 2
fi
BASE="${1%/}"
BENCH_PATH="${BENCH_PATH:-/api/v1/th1/?page_size=50}"
URL="$BASE$BENCH_PATH"
WRK_DURATION="${WRK_DURATION:-20s}"
HEY_DURATION="${HEY_DURATION:-20s}"
OUT="${BENCH_OUT:-${TMPDIR:-/tmp}/mlp-bench-api}"

# Load is only ever sent to this machine.
host="$(printf '%s' "$BASE" | sed -E 's#^[a-zA-Z]+://##; s#/.*$##; s#^\[([^]]*)\].*$#\1#; s#:[0-9]+$##')"
case "$host" in
  localhost|127.*|::1) ;;
  *) echo "bench_api: refusing to load $host: loopback addresses only (127.0.0.0/8, localhost, [::1])" >&2; exit 2 ;;
esac

for tool in wrk hey curl cc; do
  command -v "$tool" >/dev/null || { echo "bench_api: $tool not found (apt-get install wrk hey curl gcc)" >&2; exit 2; }
done

# One request first: benchmarking a 404 or a 500 would measure the wrong thing.
code="$(curl -s -o "$OUT.probe" -w '%{http_code}' --max-time 10 "$URL" || true)"
mkdir -p "$OUT"
mv -f "$OUT.probe" "$OUT/probe.json" 2>/dev/null || true
if [ "$code" != "200" ]; then
  echo "bench_api: GET $URL answered '${code:-no answer}', expected 200" >&2
  head -c 300 "$OUT/probe.json" >&2 2>/dev/null || true
  exit 1
fi
echo "bench_api: GET $URL -> 200, $(wc -c < "$OUT/probe.json") bytes"

# CPU time stolen by the hypervisor since the last call, as a percentage of all CPU time ("n/a" without /proc).
steal_mark=""
steal_since() {
  local now
  now="$(awk '/^cpu / { total = 0; for (i = 2; i <= 9; i++) total += $i; print $9, total }' /proc/stat 2>/dev/null || true)"
  if [ -n "$steal_mark" ] && [ -n "$now" ]; then
    awk -v a="$steal_mark" -v b="$now" 'BEGIN { split(a, x, " "); split(b, y, " ");
      d = y[2] - x[2]; printf "%.1f", (d > 0 ? 100 * (y[1] - x[1]) / d : 0) }'
  else
    printf "n/a"
  fi
  steal_mark="$now"
}

echo "bench_api: wrk -t2 -c64 -d$WRK_DURATION ..."
steal_since >/dev/null
wrk -t2 -c64 -d"$WRK_DURATION" --latency "$URL" > "$OUT/wrk.txt" 2>&1 || { cat "$OUT/wrk.txt" >&2; exit 1; }
wrk_rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$OUT/wrk.txt")"
wrk_non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$OUT/wrk.txt")"
wrk_sock="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$OUT/wrk.txt")"
wrk_p99="$(awk '$1 == "99%" { print $2 }' "$OUT/wrk.txt")"
wrk_steal="$(steal_since)"
echo "  $(grep -E '^ +[0-9]+ requests in' "$OUT/wrk.txt" | sed 's/^ *//'); p99 at saturation $wrk_p99;" \
     "non-2xx ${wrk_non2xx:-0}, socket errors ${wrk_sock:-0}"

# Let the server settle (close wrk's connections, finish queued work) before the latency run.
sleep 2

echo "bench_api: hey -z $HEY_DURATION -q 20 -c 50 ..."
steal_since >/dev/null
hey -z "$HEY_DURATION" -q 20 -c 50 "$URL" > "$OUT/hey.txt" 2>&1 || { cat "$OUT/hey.txt" >&2; exit 1; }
hey_steal="$(steal_since)"
# hey reports seconds ("  99% in 0.0021 secs"); print milliseconds.
pct() { awk -v p="$1%" '$1 == p && $2 == "in" { printf "%.2f", $3 * 1000; found = 1 } END { if (!found) printf "n/a" }' "$OUT/hey.txt"; }
hey_p50="$(pct 50)"
hey_p99="$(pct 99)"
hey_rps="$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$OUT/hey.txt")"
# Errors: transport errors (Error distribution) plus any answer other than 200.
# Lines look like "  [200]	19999 responses" and "  [3]	Get ...: connection refused"; POSIX awk (Debian's is mawk).
hey_errors="$(awk '
  /^Status code distribution:/ { s = 1; e = 0; next }
  /^Error distribution:/        { e = 1; s = 0; next }
  /^[^ \t]/                     { s = 0; e = 0 }
  s && $1 ~ /^\[[0-9]+\]$/ && $3 == "responses" { if ($1 != "[200]") n += $2; next }
  e && $1 ~ /^\[[0-9]+\]/ { c = $1; gsub(/[^0-9]/, "", c); n += c; next }
  END { print n + 0 }' "$OUT/hey.txt")"
echo "  achieved $hey_rps req/s (target 1000); raw outputs in $OUT/"

sleep 2
echo "bench_api: constant_rate 1000 req/s, 50 connections, $HEY_DURATION ..."
cc -O2 -pthread -o "$OUT/constant_rate" "$(dirname "$0")/constant_rate.c"
port="$(printf '%s' "$BASE" | sed -E 's#^.*:([0-9]+)$#\1#')"
steal_since >/dev/null
"$OUT/constant_rate" "$host" "$port" "$BENCH_PATH" 1000 "${HEY_DURATION%s}" 50 > "$OUT/constant_rate.txt" 2>&1 || true
even_steal="$(steal_since)"
cat "$OUT/constant_rate.txt"
even_p50="$(awk '/^latency/ { gsub(",", ""); print $4 }' "$OUT/constant_rate.txt")"
even_p99="$(awk '/^latency/ { gsub(",", ""); print $8 }' "$OUT/constant_rate.txt")"
even_errors="$(awk '/^requests/ { gsub(",", ""); print $6 }' "$OUT/constant_rate.txt")"

echo "wrk: ${wrk_rps:-n/a} req/s, steal $wrk_steal %"
echo "hey @1000 req/s: p50 $hey_p50 ms, p99 $hey_p99 ms, errors $hey_errors, steal $hey_steal %"
echo "evenly spaced @1000 req/s: p50 ${even_p50:-n/a} ms, p99 ${even_p99:-n/a} ms, errors ${even_errors:-n/a}, steal $even_steal %"
