#!/usr/bin/env bash
# Create (if missing) the venv of the cmsdials client test: the DIALS client as users install it, which needs
# urllib3 < 2 while selenium (in scripts/test-venv.sh's venv) needs urllib3 2, so the two cannot share one.
# Prints the venv path on its last line: VENV=$(scripts/cmsdials-venv.sh | tail -1)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${MLP_CMSDIALS_VENV:-.venv-cmsdials}"
PYTHON="${PYTHON:-python3}"
# The client, with pandas for its to_pandas(); their dependencies pinned to the set a clean install gave on
# Python 3.11, so a new release cannot change a test run.
PINS='cmsdials==2.4.1
pandas==3.1.1
annotated-types==0.8.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
idna==3.20
numpy==2.4.6
pydantic==2.14.4
pydantic_core==2.50.5
python-dateutil==4.0.0
requests==2.34.2
typing-inspection==0.4.5
typing_extensions==4.16.0
tzdata==2026.6
urllib3==1.26.20'

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV" >&2
fi
if ! "$VENV/bin/python" -c "import importlib.metadata as m; assert m.version('cmsdials') == '2.4.1' and m.version('pandas') == '3.1.1'" 2>/dev/null; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $PINS >&2
fi
cd "$VENV" && pwd
