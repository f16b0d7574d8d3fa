#!/usr/bin/env bash
# Property-based API test of a running MLPlayground server with schemathesis: generates requests from the server's
# own OpenAPI document and checks every answer against it. The server is not started here.
#
#   scripts/schemathesis.sh BASE_URL [TOKEN]
#   scripts/schemathesis.sh http://127.0.0.1:8123 "$MLP_TOKEN"
#
# Tests the GET operations of BASE_URL/openapi.yaml with at most SCHEMATHESIS_MAX_EXAMPLES (30) cases each, checks:
# no 5xx, documented status codes, documented content types, bodies matching the response schemas. With a TOKEN,
# every request carries "Authorization: Bearer TOKEN" (write operations need it; set SCHEMATHESIS_METHODS="GET POST"
# to include them). Exits non-zero on any failure or error.
#
# Environment (all optional): MLP_TEST_VENV (venv, see scripts/test-venv.sh), SCHEMATHESIS_MAX_EXAMPLES (30),
# SCHEMATHESIS_METHODS ("GET"), SCHEMATHESIS_SEED (1: the same cases every run; "random" for a new seed),
# SCHEMATHESIS_REPORT_DIR (where the JUnit report goes, default $TMPDIR/mlp-schemathesis).
set -euo pipefail

if [ $# -lt 1 ] || [ -z "${1:-}" ]; then
  echo "usage: $0 BASE_URL [TOKEN]" >&2
  exit 2
fi
BASE="${1%/}"
TOKEN="${2:-}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

VENV="$(cd "$ROOT" && scripts/test-venv.sh | tail -1)"
ST="$VENV/bin/schemathesis"

MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
METHODS="${SCHEMATHESIS_METHODS:-GET}"
SEED="${SCHEMATHESIS_SEED:-1}"
REPORT_DIR="${SCHEMATHESIS_REPORT_DIR:-${TMPDIR:-/tmp}/mlp-schemathesis}"
mkdir -p "$REPORT_DIR" && REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"  # absolute: schemathesis runs from inside it
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

args=(
  run "$BASE/openapi.yaml"
  # The requests go to BASE's scheme, host and port, whatever the document's `servers` says; a base path there
  # (e.g. servers: [{url: /api/v1}]) is kept.
  --origin "$BASE"
  --checks "$CHECKS"
  --max-examples "$MAX_EXAMPLES"
  --workers 2                     # the machines have 2 cores, and the server shares them
  --request-timeout 10
  --wait-for-schema 30            # tolerate a server that is still starting
  --generation-database none      # no example database kept between runs (the seed makes runs repeatable)
  --report junit --report-junit-path "$REPORT_DIR/junit.xml"
  --no-color
)
for m in $METHODS; do
  args+=(--include-method "$m")
done
if [ "$SEED" != "random" ]; then
  args+=(--seed "$SEED")
fi
if [ -n "$TOKEN" ]; then
  args+=(-H "Authorization: Bearer $TOKEN")
fi

echo "schemathesis $("$ST" --version | awk '{print $NF}'): $BASE/openapi.yaml, methods: $METHODS," \
     "max $MAX_EXAMPLES examples/operation, seed $SEED, checks: $CHECKS"
# Run inside the report directory: schemathesis and hypothesis write .schemathesis/ (the crash cache `st replay`
# reads) and .hypothesis/ into the current directory, and they do not belong in the work tree.
set +e
(cd "$REPORT_DIR" && "$ST" "${args[@]}")
rc=$?
set -e
echo "JUnit report: $REPORT_DIR/junit.xml"
if [ "$rc" -ne 0 ]; then
  echo "schemathesis: FAILED (exit $rc); replay a case with: (cd $REPORT_DIR && $VENV/bin/st replay ID)" >&2
else
  echo "schemathesis: passed"
fi
exit "$rc"
