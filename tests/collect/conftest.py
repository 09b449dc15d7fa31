"""Fixtures of the collection tests: an initialised store on SQLite (and PostgreSQL through db_url)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from planmon.store import Store


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    s = Store.open(sqlite_url)
    s.init()
    yield s
    s.engine.dispose()


@pytest.fixture
def any_store(db_url: str) -> Iterator[Store]:
    """The same test on SQLite and on PostgreSQL."""
    s = Store.open(db_url)
    s.init()
    yield s
    s.engine.dispose()
