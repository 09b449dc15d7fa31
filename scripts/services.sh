#!/usr/bin/env bash
# Install and start what the tests need: a PostgreSQL server on loopback, Debian's chromium,
# poppler (pdftotext/pdftoppm) and a CJK font. Sourced by scripts/test.sh; exports PLANMON_TEST_PG.
set -euo pipefail

_need_apt=()
command -v chromium >/dev/null || _need_apt+=(chromium)
command -v pdftotext >/dev/null || _need_apt+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || _need_apt+=(postgresql)
if [ ${#_need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${_need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${_need_apt[@]}" >/dev/null
  else
    echo "missing ${_need_apt[*]} and cannot apt-get install (not root)" >&2
  fi
fi

if [ -z "${PLANMON_TEST_PG:-}" ]; then
  PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  PGPORT="${PLANMON_TEST_PG_PORT:-55432}"
  PGDATA="/tmp/planmon-test-pg-${PGPORT}"
  RUNAS=()
  if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); fi
  if ! "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q 2>/dev/null; then
    # nothing answers: lock files left by a server that was killed (a session's end) are stale
    rm -f "$PGDATA/postmaster.pid" "/tmp/.s.PGSQL.${PGPORT}" "/tmp/.s.PGSQL.${PGPORT}.lock"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      rm -rf "$PGDATA"; mkdir -p "$PGDATA"
      [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
      "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o \
      "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  fi
  export PLANMON_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:${PGPORT}/postgres"
fi
echo "PostgreSQL for tests: $PLANMON_TEST_PG"
