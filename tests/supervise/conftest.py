"""A store with the built-in plan loaded, copied from one template per test session (SQLite):
``Store.init`` runs the migrations and the framework sync once instead of in every test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from planmon.store import Store


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "planmon.db"
    s = Store.open(f"sqlite:///{path}")
    s.init()
    s.engine.dispose()
    return path


@pytest.fixture
def store(template_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "planmon.db"
    shutil.copy(template_db, path)
    s = Store.open(f"sqlite:///{path}")
    yield s
    s.engine.dispose()
