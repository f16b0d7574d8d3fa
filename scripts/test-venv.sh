#!/usr/bin/env bash
# Create (if missing) the Python venv used by the browser test and the API fuzzing script, and install the exact
# versions they were written against. Idempotent: a venv that already has them is left as it is.
#
#   scripts/test-venv.sh            # venv at ${MLP_TEST_VENV:-.venv-test} (relative to the repo root)
#   MLP_TEST_VENV=/tmp/v scripts/test-venv.sh
#
# Prints the venv path on its last line so callers can do: VENV=$(scripts/test-venv.sh | tail -1)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${MLP_TEST_VENV:-.venv-test}"
PYTHON="${PYTHON:-python3}"

# Pinned: the versions these scripts were verified with (schemathesis 4 CLI spelling, selenium 4 API).
PINS=(
  "schemathesis==4.32.5"
  "selenium==4.51.0"
  "pillow==13.0.0"
)

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV" >&2
fi

# Skip pip entirely when every pin is already satisfied (fast reruns, works offline once installed).
missing=0
for pin in "${PINS[@]}"; do
  name="${pin%%==*}"; want="${pin##*==}"
  have="$("$VENV/bin/python" -c "import importlib.metadata as m,sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: print('')" "$name")"
  if [ "$have" != "$want" ]; then missing=1; fi
done

# Their dependencies, pinned too (the set `pip freeze` showed after a clean install of the pins above on Python 3.11),
# so a new release of a dependency cannot change or break a test run. Used as constraints: only what is needed is
# installed.
CONSTRAINTS='
anyio==4.16.0
attrs==26.1.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
click==8.5.1
graphql-core==3.3.2
h11==0.16.0
harfile==0.6.0
hypothesis==6.170.17
hypothesis-graphql==0.13.5
idna==3.20
iniconfig==2.3.1
jsonschema_rs==0.60.3
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
outcome==1.3.0.post0
packaging==26.4
pluggy==1.7.0
Pygments==2.21.0
pyrate-limiter==4.5.1
PySocks==1.7.1
pytest==9.2.0
PyYAML==6.0.4
requests==2.34.2
rich==15.0.0
sniffio==1.3.1
sortedcontainers==2.4.0
trio==0.35.0
trio-websocket==0.12.2
typing_extensions==4.16.0
urllib3==2.8.0
websocket-client==1.9.2
Werkzeug==3.1.9
wsproto==1.3.2
'

if [ "$missing" = 1 ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c <(printf '%s\n' "$CONSTRAINTS") "${PINS[@]}" >&2
fi

# Absolute path, for callers that change directory.
cd "$VENV" && pwd
