#!/usr/bin/env bash
# End-to-end checks of the HTTP surfaces, run by `make test` (inside scripts/with-postgres.sh):
#  - schemathesis against /openapi.yaml of a running `mlplayground run`, on SQLite and on PostgreSQL
#    (GET and POST operations; zero server errors, every answer as documented);
#  - the official DIALS client, cmsdials 2.4.1 (Tests/Client/cmsdials_test.py), on SQLite and on PostgreSQL: every
#    call against ROOT's truth files;
#  - the export endpoints (Tests/Client/export_test.py, NumPy and pandas), on SQLite and on PostgreSQL: arrays against
#    ROOT's truth files and the list endpoint; on PostgreSQL also a client leaving a large export midway;
#  - the web UI in headless Chromium (Tests/Browser/ui_test.py): sign in, press Index now and see the job finish,
#    plots render (screenshots checked).
# Each server gets a private copy of the fixture tree, indexed and loaded by the CLI first.
set -euo pipefail
cd "$(dirname "$0")/.."
MLP="$PWD/.build/debug/mlplayground"
VENV="$(scripts/test-venv.sh | tail -1)"
CMSDIALS_VENV="$(scripts/cmsdials-venv.sh | tail -1)"
WORK="$(mktemp -d /tmp/mlp-http.XXXXXX)"
TOKEN="http-test-$RANDOM$RANDOM"
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

# start_server NAME DATABASE_URL [OPTIONS…]: fills the catalog from a fixture copy (or from $WORK/NAME/eos when
# that exists), starts `run`, sets URL.
start_server() {
  local name=$1 database=$2
  shift 2
  mkdir -p "$WORK/$name" && { [ -d "$WORK/$name/eos" ] || cp -r Tests/Fixtures/dqmio "$WORK/$name/eos"; }
  "$MLP" index --database "$database" --storage "$WORK/$name/eos" "$@" > "$WORK/$name/index.log"
  "$MLP" ingest --pending --database "$database" --storage "$WORK/$name/eos" "$@" > "$WORK/$name/ingest.log" 2>&1 || true
  "$MLP" run --port 0 --database "$database" --storage "$WORK/$name/eos" --token "$TOKEN" "$@" > "$WORK/$name/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/$name/server.log" | head -1 || true)
    [ -n "$URL" ] && return 0
    sleep 0.1
  done
  echo "server $name did not start:"; cat "$WORK/$name/server.log"; exit 1
}

stop_server() {
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  if grep -q "$TOKEN" "$WORK"/*/server.log; then echo "a token appeared in the server's output"; exit 1; fi
}

echo "== SQLite: schemathesis, cmsdials and the browser test"
# With workspaces (everything by default, and a narrow one the browser test picks).
start_server sqlite "sqlite://$WORK/catalog.sqlite" --workspaces Tests/Browser/workspaces.json
SCHEMATHESIS_METHODS="GET POST" scripts/schemathesis.sh "$URL" "$TOKEN"
"$CMSDIALS_VENV/bin/python" Tests/Client/cmsdials_test.py --base-url "$URL" --token "$TOKEN" --fixtures Tests/Fixtures/dqmio
"$CMSDIALS_VENV/bin/python" Tests/Client/export_test.py --base-url "$URL" --token "$TOKEN" --fixtures Tests/Fixtures/dqmio \
  --workspace pixel --workspace-prefix PixelPhase1/
"$VENV/bin/python" Tests/Browser/ui_test.py --base-url "$URL" --token "$TOKEN" --screenshot-dir "$WORK/screenshots" \
  --workspace pixel --workspace-prefix PixelPhase1/
stop_server

if [ -n "${MLP_TEST_POSTGRES_URL:-}" ]; then
  echo "== PostgreSQL: schemathesis and cmsdials"
  psql "$MLP_TEST_POSTGRES_URL" -qc "CREATE DATABASE mlp_http" >/dev/null
  start_server postgres "${MLP_TEST_POSTGRES_URL%/*}/mlp_http"
  SCHEMATHESIS_METHODS="GET POST" scripts/schemathesis.sh "$URL" "$TOKEN"
  "$CMSDIALS_VENV/bin/python" Tests/Client/cmsdials_test.py --base-url "$URL" --token "$TOKEN" --fixtures Tests/Fixtures/dqmio
  "$CMSDIALS_VENV/bin/python" Tests/Client/export_test.py --base-url "$URL" --token "$TOKEN" --fixtures Tests/Fixtures/dqmio
  stop_server
  echo "== PostgreSQL: a client leaving a large export (12 datasets of the 367094 fixture: a 40 MB CSV)"
  for k in $(seq 12); do
    mkdir -p "$WORK/postgres-large/eos/store/data/Run2023C"
    cp -r Tests/Fixtures/dqmio/store/data/Run2023C/JetMET0 "$WORK/postgres-large/eos/store/data/Run2023C/JetMET$k"
  done
  psql "$MLP_TEST_POSTGRES_URL" -qc "CREATE DATABASE mlp_http_large" >/dev/null
  start_server postgres-large "${MLP_TEST_POSTGRES_URL%/*}/mlp_http_large"
  "$CMSDIALS_VENV/bin/python" Tests/Client/export_test.py --base-url "$URL" --token "$TOKEN" \
    --disconnect-psql "${MLP_TEST_POSTGRES_URL%/*}/mlp_http_large" --server-log "$WORK/postgres-large/server.log"
  stop_server
elif [ "${MLP_REQUIRE_POSTGRES:-}" = 1 ]; then
  echo "MLP_REQUIRE_POSTGRES=1 but MLP_TEST_POSTGRES_URL is not set"; exit 1
fi
echo "HTTP end-to-end checks passed (screenshots in $WORK/screenshots)"
