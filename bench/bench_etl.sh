#!/usr/bin/env bash
# ETL benchmark: file → PostgreSQL for the ~100 MB bench file, side by side in one run with the original's
# PyROOT + CSV COPY pipeline (../shared/tools/anchors/pyroot_etl.py), which also times a raw COPY of its own rows;
# then, ROUNDS times (default 3), our ingest into a fresh database followed at once by a raw COPY of the rows it
# loaded (COPY FROM a file the server reads) for the "≥ 70 % of a raw COPY" comparison. Each round pairs the two
# in the same minute, because these shared machines drift by ±20 % over minutes; medians are reported.
# Uses a throwaway PostgreSQL (scripts/with-postgres.sh) and the venv / bench file of bench/bench_reader.sh.
#
#   bench/bench_etl.sh            (SKIP_BUILD=1 to reuse .build/release/mlplayground; ROUNDS=N)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${MLP_VENV:-$REPO/.venv-root}
BENCH_DIR=${MLP_BENCH_DIR:-/tmp/mlp-bench}
FILE=$BENCH_DIR/bench-100mb.root
ANCHOR=${ANCHOR_ETL:-$REPO/../shared/tools/anchors/pyroot_etl.py}
ROUNDS=${ROUNDS:-3}
[[ -f "$FILE" ]] || SKIP_BUILD=1 "$REPO/bench/bench_reader.sh" >/dev/null  # generates the bench file (and the venv)
"$VENV/bin/python" -c 'import psycopg2' 2>/dev/null || "$VENV/bin/pip" install -q psycopg2-binary
[[ "${SKIP_BUILD:-0}" == 1 ]] || (cd "$REPO" && swift build -c release --product mlplayground >&2)
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null

export REPO VENV BENCH_DIR FILE ANCHOR ROUNDS
"$REPO/scripts/with-postgres.sh" bash -c '
set -euo pipefail
MLP=$REPO/.build/release/mlplayground
SERVER=${MLP_TEST_POSTGRES_URL%/*}
STORE=$(mktemp -d "$BENCH_DIR/store.XXXX"); ln "$FILE" "$STORE/" 2>/dev/null || cp "$FILE" "$STORE/"
RAWDIR=$(mktemp -d); chmod 777 "$RAWDIR"  # the server process (user postgres) writes and reads these files
trap "rm -rf \"$STORE\" \"$RAWDIR\"" EXIT
echo "== anchor: PyROOT + pandas-style CSV COPY (the original ETL), then a raw COPY of its rows" >&2
ANCHOR_LINE=$("$VENV/bin/python" "$ANCHOR" "$MLP_TEST_POSTGRES_URL" "$FILE" 2>/dev/null | tail -1)
echo "$ANCHOR_LINE"
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" "BEGIN { printf \"%.2f\", b - a }"; }
ROUNDS_FILE=$(mktemp)
for round in $(seq "$ROUNDS"); do
  psql -qtA "$MLP_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS etl_bench" -c "CREATE DATABASE etl_bench" >/dev/null
  URL=$SERVER/etl_bench
  echo "== round $round: ours (index, then ingest: one transaction, COPY of shuffled-compressed contents)" >&2
  $MLP index --database "$URL" --storage "$STORE" >/dev/null
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/etl.time" $MLP ingest --pending --database "$URL" >/dev/null 2>&1
  read -r WALL RSS < "$BENCH_DIR/etl.time"
  MES=$(psql -qtA "$URL" -c "SELECT (SELECT count(*) FROM th1) + (SELECT count(*) FROM th2)")
  SIZE=$(psql -qtA "$URL" -c "SELECT pg_size_pretty(pg_total_relation_size('"'"'th1'"'"') + pg_total_relation_size('"'"'th2'"'"'))")
  echo "== round $round: raw COPY of our own rows from server-side files" >&2
  for t in th1 th2; do psql -qtA "$URL" -c "COPY $t TO '"'"'$RAWDIR/our_$t.copy'"'"'"; done
  # Two baselines: bare tables (columns only), and tables like ours (same indexes and column storage), which is the
  # fair one: our load pays for the same index upkeep.
  # LIKE … INCLUDING ALL copies indexes and column storage but not table options (toast_tuple_target): copied here.
  psql -qtA "$URL" -c "CREATE TABLE th1_raw (LIKE th1); CREATE TABLE th2_raw (LIKE th2);
    CREATE TABLE th1_same (LIKE th1 INCLUDING ALL); CREATE TABLE th2_same (LIKE th2 INCLUDING ALL);"
  for t in th1 th2; do
    OPTIONS=$(psql -qtA "$URL" -c "SELECT array_to_string(reloptions, '"'"', '"'"') FROM pg_class WHERE relname = '"'"'$t'"'"'")
    [[ -z "$OPTIONS" ]] || psql -qtA "$URL" -c "ALTER TABLE ${t}_same SET ($OPTIONS)" >/dev/null
  done
  for kind in same raw; do
    start=$(date +%s.%N)
    psql -qtA "$URL" -c "BEGIN; COPY th1_$kind FROM '"'"'$RAWDIR/our_th1.copy'"'"'; COPY th2_$kind FROM '"'"'$RAWDIR/our_th2.copy'"'"'; COMMIT;" >/dev/null
    if [[ $kind == same ]]; then SAME=$(seconds_since "$start"); else RAW=$(seconds_since "$start"); fi
  done
  echo "$WALL $RSS $SAME $RAW $MES $SIZE" | awk "{ printf \"%s %.1f\\n\", \$0, 100 * \$3 / \$1 }" >> "$ROUNDS_FILE"
done
psql -qtA "$MLP_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS etl_bench" >/dev/null
MEDIAN_PCT=$(awk "{ print \$8 }" "$ROUNDS_FILE" | sort -n | awk "{ v[NR] = \$1 } END { print v[int((NR + 1) / 2)] }")
sort -n "$ROUNDS_FILE" | awk -v anchor="$ANCHOR_LINE" -v median_pct="$MEDIAN_PCT" "
  { wall[NR] = \$1; rss[NR] = \$2; same[NR] = \$3; raw[NR] = \$4; mes = \$5; size = \$6 \" \" \$7
    rounds = rounds sprintf(\"%s%.2f s vs %.2f s (%.0f%%)\", NR > 1 ? \"; \" : \"\", \$1, \$3, \$8) }
  END {
    m = int((NR + 1) / 2); split(anchor, a, \" \"); at = a[3] + 0; maxrss = 0
    for (i = 1; i <= NR; i++) if (rss[i] > maxrss) maxrss = rss[i]
    printf \"| pipeline | wall s | MEs/s |\n|---|---:|---:|\n\";
    printf \"| PyROOT + CSV COPY (original ETL) | %.1f | %.0f |\n\", at, mes / at;
    printf \"| mlplayground ingest (2 cores; median of %d) | %.2f | %.0f |\n\", NR, wall[m], mes / wall[m];
    printf \"| raw COPY of our rows into bare tables (server-side file) | %.2f | %.0f |\n\", raw[m], mes / raw[m];
    printf \"| raw COPY of our rows into tables like ours (same indexes) | %.2f | %.0f |\n\", same[m], mes / same[m];
    printf \"\nratio to the original ETL: %.1fx (median run); our ETL vs a raw COPY of our rows into tables like ours, in the same round: median %.0f%% (rounds, fastest first: %s); peak RSS %.0f MB; tables %s\n\",
      at / wall[m], median_pct, rounds, maxrss / 1024, size }"
'
