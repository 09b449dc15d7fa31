#!/usr/bin/env bash
# The main job: set up ./.venv, create the SQLite database, load the built-in plan and the
# illustrative provincial data (示意数据), write the full report to ./report/, then serve the
# web app when it is installed. Extra arguments go to `planmon demo` (e.g. --no-serve, --port 8001).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/planmon demo "$@"
