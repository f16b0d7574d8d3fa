#!/usr/bin/env bash
# DFI rescan benchmark: `mlplayground index` over an unchanged tree of FILES (default 100,000) `.root` files in the
# CMS layout (hard links to copies of one small fixture, 100 per folder), on SQLite and on PostgreSQL, release build.
# Times the first indexing (reads every file's Indices, queues an ETL job per file) once, then the rescan of the
# unchanged tree (stat every file, compare with the catalog) three times. Target: rescan < 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES="${FILES:-100000}"
swift build -c release --product mlplayground >/dev/null
MLP="$PWD/.build/release/mlplayground"
WORK="${BENCH_WORK:-/tmp/mlp-rescan}"
SOURCE="$(find Tests/Fixtures/dqmio/store -name '*.root' -size -100k | head -1)"

if [ "$(find "$WORK/eos" -name '*.root' 2>/dev/null | wc -l)" -ne "$FILES" ]; then
  rm -rf "$WORK" && mkdir -p "$WORK"
  python3 - "$WORK/eos" "$SOURCE" "$FILES" <<'PY'
import os, sys, uuid
import shutil
root, source, count = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3])
# A file takes at most 65,000 links (ext4): link to private copies, 50,000 links each.
copies = [f"{os.path.dirname(os.path.abspath(root))}/source-{n}.root" for n in range(count // 50000 + 1)]
for copy in copies:
    shutil.copy2(source, copy)
for i in range(count):
    run = 380000 + i // 100
    folder = f"{root}/store/data/Run2024F/ZeroBias/DQMIO/PromptReco-v1/000/{run // 1000:03d}/{run % 1000:03d}/00000"
    os.makedirs(folder, exist_ok=True)
    os.link(copies[i // 50000], f"{folder}/{uuid.UUID(int=i).hex.upper()}.root")
PY
fi
echo "tree: $FILES files (hard links to $(basename "$SOURCE"), $(stat -c %s "$SOURCE") bytes) under $WORK/eos"

timed() { local start end; start=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1; end=$(date +%s.%N); awk -v a="$start" -v b="$end" "BEGIN { printf \"%.2f\", b - a }"; }

run_bench() {
  local name=$1 database=$2
  echo "== $name"
  echo "first indexing: $(timed "$MLP" index --database "$database" --storage "$WORK/eos") s  ($(tail -1 "$WORK/last.log"))"
  for i in 1 2 3; do
    echo "rescan $i: $(timed "$MLP" index --database "$database" --storage "$WORK/eos") s  ($(tail -1 "$WORK/last.log"))"
  done
}
export -f run_bench timed
export MLP WORK

rm -f "$WORK/catalog.sqlite"*
run_bench sqlite "sqlite://$WORK/catalog.sqlite"
scripts/with-postgres.sh bash -c 'psql "$MLP_TEST_POSTGRES_URL" -qc "CREATE DATABASE mlp_rescan" && run_bench postgresql "${MLP_TEST_POSTGRES_URL%/*}/mlp_rescan"'
