#!/usr/bin/env bash
# Execute docs/notebooks/analyst.ipynb by hand, exactly as CI does (tests/docs/test_notebook.py: nbclient, a fresh
# python3 kernel on this checkout's src, cwd a temp dir). The executed notebook and every figure (PNG) land in
# build/notebook/. Open the source in Jupyter instead with: .venv/bin/python -m jupyter lab docs/notebooks/ (not installed by default).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/pytest -p no:cacheprovider -n 0 -q -s tests/docs/test_notebook.py "$@"
