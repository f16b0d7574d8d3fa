#!/usr/bin/env bash
# `make bench-export`: the export against the JSON ways users pull arrays today, release build, on PostgreSQL
# (scripts/with-postgres.sh), over the reader benchmark's generated file (1,000 TH1F × 100 bins and 100 TH2F × 72×80
# per LS, 200 LS; made with PyROOT on first use, as bench/bench_reader.sh does):
#  (a) one 100-bin TH1 ME over the 200 LS, (b) every TH2 of the file (115 M bins): the export, a JSON pull trimmed to
#      fields=run_number,ls_number,data, and cmsdials' list_all (for (b) over the first LIST_MES MEs; bins/s compared);
#  the server's peak RSS after (b); (b) against the database's floor, a binary COPY of the same rows' contents to
#  /dev/null; and a client leaving (b) after its first bytes, checked on pg_stat_activity.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${MLP_TEST_POSTGRES_URL:-}" ] || exec scripts/with-postgres.sh "$0" "$@"
BENCH_DIR="${MLP_BENCH_DIR:-/tmp/mlp-bench}"
VENV="${MLP_VENV:-$PWD/.venv-root}"
FILE="$BENCH_DIR/bench-100mb.root"
LIST_MES="${LIST_MES:-10}"
if [ ! -f "$FILE" ]; then
  [ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --pre ROOT numpy; }
  mkdir -p "$BENCH_DIR"
  "$VENV/bin/python" scripts/generate_dqmio.py "$FILE.tmp" --seed 1 --lumis 200 --th1 1000 --th1-bins 100 --th2 100 \
    --th2-bins 72x80 --codec zstd --level 5 --quiet && mv "$FILE.tmp" "$FILE"
fi
CMSDIALS_VENV="$(scripts/cmsdials-venv.sh | tail -1)"
swift build -c release --product mlplayground >/dev/null
MLP="$PWD/.build/release/mlplayground"
WORK="$(mktemp -d /tmp/mlp-bench-export.XXXXXX)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
STORE="$WORK/eos/store/data/Run2024Z/Bench/DQMIO/PromptReco-v1/000/380/000/00000"
# A hard link (the storage walk does not follow symbolic links), or a copy across file systems.
mkdir -p "$STORE" && { ln "$FILE" "$STORE/bench.root" 2>/dev/null || cp "$FILE" "$STORE/bench.root"; }
DB="${MLP_TEST_POSTGRES_URL%/*}/mlp_bench_export"
psql "$MLP_TEST_POSTGRES_URL" -qc "CREATE DATABASE mlp_bench_export"
"$MLP" index --database "$DB" --storage "$WORK/eos" >/dev/null
"$MLP" ingest --pending --database "$DB" --storage "$WORK/eos" >/dev/null
psql "$DB" -qc "VACUUM ANALYZE"
"$MLP" serve --port 0 --database "$DB" > "$WORK/server.log" 2>&1 &
PID=$!
URL=""
for _ in $(seq 100); do URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/server.log" | head -1 || true); [ -n "$URL" ] && break; sleep 0.1; done
ME=$(psql "$DB" -Atc "SELECT name FROM monitoring_elements WHERE dimension = 1 AND kind = 'TH1F' ORDER BY name LIMIT 1")

echo "== (b) every TH2 of the bench file"
"$CMSDIALS_VENV/bin/python" bench/bench_export.py "$URL" th2 '.' --list-mes "$LIST_MES" --float32
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$PID/status)"
copy_start=$(date +%s.%N)
psql "$DB" -qc "COPY (SELECT id, run_number, ls_number, entries, storage, contents FROM th2) TO STDOUT WITH (FORMAT binary)" > /dev/null
copy_end=$(date +%s.%N)
export_start=$(date +%s.%N)
curl -sf "$URL/api/v1/th2/export/" -o /dev/null
export_end=$(date +%s.%N)
awk -v c="$copy_start" -v C="$copy_end" -v e="$export_start" -v E="$export_end" \
  'BEGIN { printf "COPY of the contents: %.2f s; the export to /dev/null: %.2f s; export/COPY %.2f\n", C - c, E - e, (E - e) / (C - c) }'

echo "== (a) one 100-bin TH1 ME over 200 LS ($ME)"
"$CMSDIALS_VENV/bin/python" bench/bench_export.py "$URL" th1 "^$ME\$" --repeats 5

echo "== a client leaving the TH2 export after its first bytes"
"$CMSDIALS_VENV/bin/python" Tests/Client/export_test.py --base-url "$URL" --token none --disconnect-psql "$DB" --server-log "$WORK/server.log"
