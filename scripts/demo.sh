#!/usr/bin/env bash
# The main job on the embedded default: SQLite, the built-in plan, its overview.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/planmon init
