#!/usr/bin/env bash
# ETL benchmark: file → PostgreSQL for the ~100 MB bench file, side by side in one run with the original's
# PyROOT + CSV COPY pipeline (../shared/tools/anchors/pyroot_etl.py), which also times a raw COPY of its own rows;
# then a raw COPY of our own rows (COPY FROM a file the server reads) for the "≥ 70 % of a raw COPY" comparison.
# Uses a throwaway PostgreSQL (scripts/with-postgres.sh) and the venv / bench file of bench/bench_reader.sh.
#
#   bench/bench_etl.sh            (SKIP_BUILD=1 to reuse .build/release/mlplayground)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${MLP_VENV:-$REPO/.venv-root}
BENCH_DIR=${MLP_BENCH_DIR:-/tmp/mlp-bench}
FILE=$BENCH_DIR/bench-100mb.root
ANCHOR=${ANCHOR_ETL:-$REPO/../shared/tools/anchors/pyroot_etl.py}
[[ -f "$FILE" ]] || SKIP_BUILD=1 "$REPO/bench/bench_reader.sh" >/dev/null  # generates the bench file (and the venv)
"$VENV/bin/python" -c 'import psycopg2' 2>/dev/null || "$VENV/bin/pip" install -q psycopg2-binary
[[ "${SKIP_BUILD:-0}" == 1 ]] || (cd "$REPO" && swift build -c release --product mlplayground >&2)
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null

export REPO VENV BENCH_DIR FILE ANCHOR
"$REPO/scripts/with-postgres.sh" bash -c '
set -euo pipefail
MLP=$REPO/.build/release/mlplayground
URL=$MLP_TEST_POSTGRES_URL
STORE=$(mktemp -d "$BENCH_DIR/store.XXXX"); ln "$FILE" "$STORE/" 2>/dev/null || cp "$FILE" "$STORE/"
echo "== anchor: PyROOT + pandas-style CSV COPY (the original ETL), then a raw COPY of its rows" >&2
ANCHOR_LINE=$("$VENV/bin/python" "$ANCHOR" "$URL" "$FILE" 2>/dev/null | tail -1)
echo "$ANCHOR_LINE"
echo "== ours: index, then ingest (COPY of shuffled-zstd contents, one transaction)" >&2
$MLP index --database "$URL" --storage "$STORE" >/dev/null
/usr/bin/time -f "%e %M" -o "$BENCH_DIR/etl.time" $MLP ingest --pending --database "$URL" >/dev/null 2>&1
read -r WALL RSS < "$BENCH_DIR/etl.time"
MES=$(psql -qtA "$URL" -c "SELECT (SELECT count(*) FROM th1) + (SELECT count(*) FROM th2)")
SIZE=$(psql -qtA "$URL" -c "SELECT pg_size_pretty(pg_total_relation_size('"'"'th1'"'"') + pg_total_relation_size('"'"'th2'"'"'))")
echo "== raw COPY of our own rows from server-side files" >&2
RAWDIR=$(mktemp -d); chmod 777 "$RAWDIR"  # the server process (user postgres) writes and reads these files
for t in th1 th2; do psql -qtA "$URL" -c "COPY $t TO '"'"'$RAWDIR/our_$t.copy'"'"'"; done
# Two baselines: bare tables (columns only), and tables like ours (same indexes and column storage), which is the
# fair one: our load pays for the same index upkeep.
psql -qtA "$URL" -c "CREATE TABLE th1_raw (LIKE th1); CREATE TABLE th2_raw (LIKE th2);
  CREATE TABLE th1_same (LIKE th1 INCLUDING ALL); CREATE TABLE th2_same (LIKE th2 INCLUDING ALL);"
copy_seconds() {
  local start; start=$(date +%s.%N)
  psql -qtA "$URL" -c "BEGIN; COPY th1_$1 FROM '"'"'$RAWDIR/our_th1.copy'"'"'; COPY th2_$1 FROM '"'"'$RAWDIR/our_th2.copy'"'"'; COMMIT;" >/dev/null
  awk -v a="$start" -v b="$(date +%s.%N)" "BEGIN { printf \"%.2f\", b - a }"
}
RAW=$(copy_seconds raw)
SAME=$(copy_seconds same)
rm -rf "$STORE" "$RAWDIR"
awk -v w="$WALL" -v r="$RSS" -v m="$MES" -v raw="$RAW" -v same="$SAME" -v size="$SIZE" -v anchor="$ANCHOR_LINE" "BEGIN {
  split(anchor, a, \" \"); at = a[3] + 0;
  printf \"| pipeline | wall s | MEs/s |\n|---|---:|---:|\n\";
  printf \"| PyROOT + CSV COPY (original ETL) | %.1f | %.0f |\n\", at, m / at;
  printf \"| mlplayground ingest (2 cores) | %.2f | %.0f |\n\", w, m / w;
  printf \"| raw COPY of our rows into bare tables (server-side file) | %.2f | %.0f |\n\", raw, m / raw;
  printf \"| raw COPY of our rows into tables like ours (same indexes) | %.2f | %.0f |\n\", same, m / same;
  printf \"\nratio to the original ETL: %.1fx; our ETL vs raw COPY of our rows: %.0f%% (bare tables), %.0f%% (tables like ours); our peak RSS %.0f MB; tables %s\n\", at / w, 100 * raw / w, 100 * same / w, r / 1024, size }"
'
