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
# Each timed load starts from a quiet server: autovacuum off (it would analyze the tables one load just filled
# while the next runs) and a CHECKPOINT before each (so no load pays for writing out the pages the previous load left).
psql -qtA "$MLP_TEST_POSTGRES_URL" -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
quiet() { psql -qtA "$MLP_TEST_POSTGRES_URL" -c "CHECKPOINT" >/dev/null; }
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" "BEGIN { printf \"%.2f\", b - a }"; }
ROUNDS_FILE=$(mktemp)
for round in $(seq "$ROUNDS"); do
  psql -qtA "$MLP_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS etl_bench" -c "CREATE DATABASE etl_bench" >/dev/null
  URL=$SERVER/etl_bench
  echo "== round $round: ours (index, then ingest: one transaction, COPY of packed or compressed contents)" >&2
  $MLP index --database "$URL" --storage "$STORE" >/dev/null
  quiet
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/etl.time" $MLP ingest --pending --database "$URL" >/dev/null 2>&1
  read -r WALL RSS < "$BENCH_DIR/etl.time"
  MES=$(psql -qtA "$URL" -c "SELECT (SELECT count(*) FROM th1) + (SELECT count(*) FROM th2)")
  SIZE=$(psql -qtA "$URL" -c "SELECT pg_size_pretty(pg_total_relation_size('"'"'th1'"'"') + pg_total_relation_size('"'"'th2'"'"'))")
  echo "== round $round: raw COPYs of our own rows" >&2
  for t in th1 th2; do psql -qtA "$URL" -c "COPY $t TO '"'"'$RAWDIR/our_$t.copy'"'"'"; done
  # Three baselines, each a raw COPY of the rows our load stored:
  # - file:  tables like ours (same indexes, column storage and table options), from a file the server reads (no
  #          client, no protocol): the strictest;
  # - stdin: tables like ours, COPY FROM STDIN sent by psql from a file, the way the raw COPY anchor of the original
  #          (pyroot_etl.py: copy_expert from a CSV file) is measured: the like-for-like one;
  # - bare:  tables without indexes, from a server-side file: the floor.
  # LIKE … INCLUDING ALL copies indexes and column storage but not table options (toast_tuple_target): copied here.
  psql -qtA "$URL" -c "CREATE TABLE bare_th1 (LIKE th1); CREATE TABLE bare_th2 (LIKE th2);
    CREATE TABLE file_th1 (LIKE th1 INCLUDING ALL); CREATE TABLE file_th2 (LIKE th2 INCLUDING ALL);
    CREATE TABLE stdin_th1 (LIKE th1 INCLUDING ALL); CREATE TABLE stdin_th2 (LIKE th2 INCLUDING ALL);"
  for t in th1 th2; do
    OPTIONS=$(psql -qtA "$URL" -c "SELECT array_to_string(reloptions, '"'"', '"'"') FROM pg_class WHERE relname = '"'"'$t'"'"'")
    [[ -z "$OPTIONS" ]] || psql -qtA "$URL" -c "ALTER TABLE file_$t SET ($OPTIONS)" -c "ALTER TABLE stdin_$t SET ($OPTIONS)" >/dev/null
  done
  for kind in file stdin bare; do
    quiet
    start=$(date +%s.%N)
    if [[ $kind == stdin ]]; then
      psql -qtA "$URL" -c "BEGIN" -c "\\copy stdin_th1 FROM '"'"'$RAWDIR/our_th1.copy'"'"'" \
        -c "\\copy stdin_th2 FROM '"'"'$RAWDIR/our_th2.copy'"'"'" -c "COMMIT" >/dev/null
    else
      psql -qtA "$URL" -c "BEGIN; COPY ${kind}_th1 FROM '"'"'$RAWDIR/our_th1.copy'"'"'; COPY ${kind}_th2 FROM '"'"'$RAWDIR/our_th2.copy'"'"'; COMMIT;" >/dev/null
    fi
    case $kind in file) FILE_S=$(seconds_since "$start") ;; stdin) STDIN_S=$(seconds_since "$start") ;; bare) BARE_S=$(seconds_since "$start") ;; esac
  done
  echo "$WALL $RSS $FILE_S $STDIN_S $BARE_S $MES $SIZE" >> "$ROUNDS_FILE"
done
psql -qtA "$MLP_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS etl_bench" >/dev/null
# Medians of each column, and of the ratios of each round (a round pairs our load with the baselines of the same minute).
awk -v anchor="$ANCHOR_LINE" "
  function median(values, count,   i, j, t) {
    for (i = 2; i <= count; i++) for (j = i; j > 1 && values[j - 1] > values[j]; j--) { t = values[j]; values[j] = values[j - 1]; values[j - 1] = t }
    return values[int((count + 1) / 2)]
  }
  { n++; wall[n] = \$1; rss = \$2 > rss ? \$2 : rss; file[n] = \$3; stdin[n] = \$4; bare[n] = \$5; mes = \$6; size = \$7 \" \" \$8
    rf[n] = 100 * \$3 / \$1; rs[n] = 100 * \$4 / \$1
    rounds = rounds sprintf(\"%s%.2f s: %.0f%% / %.0f%%\", n > 1 ? \"; \" : \"\", \$1, rf[n], rs[n]) }
  END {
    split(anchor, a, \" \"); at = a[3] + 0
    w = median(wall, n); f = median(file, n); s = median(stdin, n); b = median(bare, n)
    printf \"| pipeline (medians of %d rounds) | wall s | MEs/s |\n|---|---:|---:|\n\", n
    printf \"| PyROOT + CSV COPY (original ETL) | %.1f | %.0f |\n\", at, mes / at
    printf \"| mlplayground ingest | %.2f | %.0f |\n\", w, mes / w
    printf \"| raw COPY of our rows, tables like ours, FROM STDIN by psql (as the anchor measures it) | %.2f | %.0f |\n\", s, mes / s
    printf \"| raw COPY of our rows, tables like ours, from a server-side file | %.2f | %.0f |\n\", f, mes / f
    printf \"| raw COPY of our rows, bare tables, from a server-side file | %.2f | %.0f |\n\", b, mes / b
    printf \"\nratio to the original ETL: %.1fx; our ETL vs a raw COPY of our rows into tables like ours, same round, median: %.0f%% FROM STDIN, %.0f%% from a server-side file (rounds, ours then file / stdin: %s); peak RSS %.0f MB; tables %s\n\",
      at / w, median(rs, n), median(rf, n), rounds, rss / 1024, size }
" "$ROUNDS_FILE"

'
