#!/usr/bin/env bash
# The whole test suite: set up, start services, lint, type-check, test (SQLite, PostgreSQL, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# shellcheck source=scripts/services.sh
source scripts/services.sh
.venv/bin/ruff check src tests bench
.venv/bin/mypy
# pytest exits 5 when no test ran: that is a failure too (set -e).
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" -p no:cacheprovider "$@"
