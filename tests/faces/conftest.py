"""A demo database shared by the tests of the faces (CLI, catalogue, report text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planmon.demo import load_demo
from planmon.store import Store


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faces") / "planmon.db"
    store = Store.open(f"sqlite:///{path}")
    store.init()
    load_demo(store)
    store.engine.dispose()
    return path
