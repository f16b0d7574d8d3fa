#!/usr/bin/env bash
# Reader benchmark: ROOT's C++ anchor (root_read.C, ACLiC +O) against `mlplayground dump FILE --summary`, all cores
# and one thread, on a ~100 MB DQMIO file (200 lumis x (1000 TH1F x 100 bins + 100 TH2F x 72x80 bins), ZSTD-5).
#
#   bench/bench_reader.sh [--big]
#
#   --big   also generate a ~1 GB file (2000 lumis, same shape) and run ours (all cores) on it, reporting peak RSS
#
# Environment:
#   SKIP_BUILD=1     do not run `swift build -c release --product mlplayground`
#   MLP_BIN=PATH     reader binary (default .build/release/mlplayground)
#   MLP_VENV=DIR     ROOT venv (default .venv-root in the repo; created with `pip install --pre ROOT numpy` if missing)
#   MLP_BENCH_DIR=D  where the generated files live (default /tmp/mlp-bench)
#   ANCHOR_C=FILE    ROOT anchor source (default shared/tools/anchors/root_read.C beside the repo, or /work/shared/...)
#   REPEATS=N        runs per reader, best wall time kept (default 3)
#
# Each run is measured with /usr/bin/time (wall, peak RSS). For ROOT the wall time is taken inside the process around
# root_read(FILE) (compilation and ROOT's start-up excluded; start-up is reported separately). Files are read from a
# warm page cache (best of REPEATS). Every reader must print the same `mes=N sum=S` line, and it must equal the line
# the generator computed; the script exits 1 otherwise.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${MLP_VENV:-$REPO/.venv-root}
BENCH_DIR=${MLP_BENCH_DIR:-/tmp/mlp-bench}
MLP_BIN=${MLP_BIN:-$REPO/.build/release/mlplayground}
REPEATS=${REPEATS:-3}
BIG=0

usage() { awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; }
for arg in "$@"; do
  case "$arg" in
    --big) BIG=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_reader: unknown argument $arg" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ -z "${ANCHOR_C:-}" ]]; then
  for c in "$REPO/../shared/tools/anchors/root_read.C" /work/shared/tools/anchors/root_read.C; do
    if [[ -f "$c" ]]; then ANCHOR_C=$c; break; fi
  done
fi
[[ -f "${ANCHOR_C:-}" ]] || { echo "bench_reader: root_read.C not found; set ANCHOR_C" >&2; exit 2; }

log() { echo "== $*" >&2; }

# --- prerequisites ---------------------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
  log "installing GNU time"
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if ! "$VENV/bin/python" -c 'import ROOT, numpy' >/dev/null 2>&1; then
  log "creating ROOT venv at $VENV (pip install --pre ROOT numpy)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --pre ROOT numpy
fi
PY="$VENV/bin/python"

# --- input files -------------------------------------------------------------------------------------------------
# Shape: 1000 TH1F x 100 bins + 100 TH2F x 72x80 bins per lumisection, ZSTD level 5. 200 lumis give ~104 MB
# (99.6 MiB), 2000 lumis ~1.04 GB. The generator also writes FILE.truth.txt, the line root_read.C prints.
TH2_BINS=72x80
SMALL="$BENCH_DIR/bench-100mb.root"
LARGE="$BENCH_DIR/bench-1gb.root"
mkdir -p "$BENCH_DIR"

generate() {  # generate PATH SEED LUMIS
  local out=$1 seed=$2 lumis=$3 truth=${1%.root}.truth.txt
  if [[ -f "$out" && -f "$truth" ]]; then return; fi
  log "generating $out ($lumis lumis x (1000 TH1F x 100 + 100 TH2F x $TH2_BINS), zstd-5)"
  local t0=$SECONDS
  "$PY" "$REPO/scripts/generate_dqmio.py" "$out.tmp" --seed "$seed" --lumis "$lumis" \
    --th1 1000 --th1-bins 100 --th2 100 --th2-bins "$TH2_BINS" --codec zstd --level 5 \
    --truth-summary "$truth.tmp" --quiet
  mv "$out.tmp" "$out"
  mv "$truth.tmp" "$truth"
  log "generated $out in $((SECONDS - t0)) s"
}
generate "$SMALL" 1 200
if ((BIG)); then generate "$LARGE" 2 2000; fi

# --- build -------------------------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "swift build -c release --product mlplayground"
  (cd "$REPO" && swift build -c release --product mlplayground)
fi
[[ -x "$MLP_BIN" ]] || { echo "bench_reader: $MLP_BIN not found or not executable" >&2; exit 2; }

log "compiling the ROOT anchor ($ANCHOR_C) with ACLiC +O"
ANCHOR_LIB=$("$PY" "$REPO/bench/root_anchor.py" compile "$ANCHOR_C" "$BENCH_DIR/anchor" 2>"$BENCH_DIR/anchor-compile.log" | tail -1) \
  || { cat "$BENCH_DIR/anchor-compile.log" >&2; exit 1; }

# --- measurement -------------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlp-bench-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# measure NAME CMD...: runs CMD REPEATS times; sets BEST_WALL (s, best run), MAX_RSS (KB, max over runs), LINE.
# If CMD writes `read_s=X` to stderr (the ROOT driver), X is taken as its wall time instead of the process's.
measure() {
  local name=$1; shift
  BEST_WALL="" MAX_RSS=0 LINE=""
  local i wall rss inner line
  for ((i = 1; i <= REPEATS; i++)); do
    if ! /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"; then
      echo "bench_reader: $name failed:" >&2; cat "$WORK/err" >&2; exit 1
    fi
    read -r wall rss <"$WORK/time"
    inner=$(grep -o 'read_s=[0-9.]*' "$WORK/err" | tail -1 | cut -d= -f2 || true)
    if [[ -n "$inner" ]]; then wall=$inner; fi
    line=$(grep -E '^mes=[0-9]+ sum=' "$WORK/out" | tail -1 || true)
    if [[ -z "$line" ]]; then
      echo "bench_reader: $name printed no 'mes=N sum=S' line; stdout:" >&2; head -20 "$WORK/out" >&2; exit 1
    fi
    if [[ -n "$LINE" && "$line" != "$LINE" ]]; then
      echo "bench_reader: $name printed different lines across runs: '$LINE' vs '$line'" >&2; exit 1
    fi
    LINE=$line
    if [[ -z "$BEST_WALL" ]] || awk -v a="$wall" -v b="$BEST_WALL" 'BEGIN { exit !(a < b) }'; then BEST_WALL=$wall; fi
    if ((rss > MAX_RSS)); then MAX_RSS=$rss; fi
    echo "   $name run $i: ${wall} s, $((rss / 1024)) MB" >&2
  done
}

ROWS=()
row() {  # row NAME FILE WALL RSS_KB ROOT_WALL
  local size_mb mes
  size_mb=$(awk -v b="$(stat -c %s "$2")" 'BEGIN { printf "%.1f", b / 1e6 }')
  mes=${LINE#mes=}; mes=${mes%% *}
  ROWS+=("$(awk -v n="$1" -v w="$3" -v m="$mes" -v s="$size_mb" -v r="$4" -v rw="$5" 'BEGIN {
    ratio = (rw == "" ? "-" : sprintf("%.2f", rw / w))
    printf "| %s | %.3f | %.0f | %.1f | %s | %.0f |", n, w, m / w, s / w, ratio, r / 1024 }')")
}

MISMATCH=0
check() {  # check NAME EXPECTED
  if [[ "$LINE" != "$2" ]]; then
    echo "MISMATCH: $1 printed '$LINE', expected '$2'" >&2; MISMATCH=1
  fi
}

SIZE_MB=$(awk -v b="$(stat -c %s "$SMALL")" 'BEGIN { printf "%.1f", b / 1e6 }')
TRUTH=$(cat "${SMALL%.root}.truth.txt")
log "benchmarking on $SMALL ($SIZE_MB MB, $(nproc) cores), best of $REPEATS"

/usr/bin/time -f '%e %M' -o "$WORK/base-time" "$PY" "$REPO/bench/root_anchor.py" baseline "$ANCHOR_LIB" 2>"$WORK/base-err"
read -r _ BASE_RSS <"$WORK/base-time"
BASE_STARTUP=$(grep -o 'startup_s=[0-9.]*' "$WORK/base-err" | cut -d= -f2)

measure "ROOT root_read.C" "$PY" "$REPO/bench/root_anchor.py" run "$ANCHOR_LIB" "$SMALL"
ROOT_WALL=$BEST_WALL ROOT_LINE=$LINE
check "ROOT root_read.C" "$TRUTH"
row "ROOT C++ root_read.C (+O, in-process)" "$SMALL" "$BEST_WALL" "$MAX_RSS" "$ROOT_WALL"

measure "mlplayground (all cores)" "$MLP_BIN" dump "$SMALL" --summary
check "mlplayground (all cores)" "$ROOT_LINE"
row "mlplayground dump --summary ($(nproc) cores)" "$SMALL" "$BEST_WALL" "$MAX_RSS" "$ROOT_WALL"

measure "mlplayground (1 thread)" "$MLP_BIN" dump "$SMALL" --summary --threads 1
check "mlplayground (1 thread)" "$ROOT_LINE"
row "mlplayground dump --summary --threads 1" "$SMALL" "$BEST_WALL" "$MAX_RSS" "$ROOT_WALL"

if ((BIG)); then
  BIG_MB=$(awk -v b="$(stat -c %s "$LARGE")" 'BEGIN { printf "%.1f", b / 1e6 }')
  log "benchmarking ours on $LARGE ($BIG_MB MB), best of $REPEATS"
  measure "mlplayground 1 GB (all cores)" "$MLP_BIN" dump "$LARGE" --summary
  check "mlplayground 1 GB (all cores)" "$(cat "${LARGE%.root}.truth.txt")"
  row "mlplayground dump --summary, 1 GB file ($(nproc) cores)" "$LARGE" "$BEST_WALL" "$MAX_RSS" ""
fi

echo
echo "File: $SMALL ($SIZE_MB MB): 200 lumis x (1000 TH1F x 100 bins + 100 TH2F x $TH2_BINS), ZSTD-5; $(nproc) cores."
echo "All readers print: $ROOT_LINE"
echo
echo "| reader | wall s | MEs/s | MB/s | ratio to ROOT | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "ROOT's wall time is measured inside the process around root_read(); its start-up (python + import ROOT + load"
echo "the compiled anchor) takes ${BASE_STARTUP} s and $((BASE_RSS / 1024)) MB RSS on its own, which its peak RSS includes."
if ((MISMATCH)); then echo "FAILED: the readers' mes/sum lines differ (see above)" >&2; exit 1; fi
