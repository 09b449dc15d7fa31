"""Shared fixtures: databases (SQLite always; PostgreSQL when scripts/test.sh started one)
and the path to ../shared (reference facts and real data, read in place, never copied)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# ../shared from the repository root; a git worktree one level deeper (wt/NAME) finds it one more level up
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail(f"../shared not found at {SHARED}")
    return SHARED


def _pg_admin_url() -> str | None:
    url = os.environ.get("PLANMON_TEST_PG")
    if not url and os.environ.get("CI"):
        raise RuntimeError("CI run without PLANMON_TEST_PG: scripts/test.sh must start PostgreSQL")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'planmon.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    admin = _pg_admin_url()
    if not admin:
        pytest.skip("PostgreSQL not available (run through scripts/test.sh)")
    import psycopg

    name = f"planmon_t_{uuid.uuid4().hex[:12]}"
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        from sqlalchemy.pool import NullPool  # noqa: F401  (engines are disposed by tests)

        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run a store test on both engines."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planmon.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url
