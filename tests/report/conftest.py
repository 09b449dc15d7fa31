"""A store with the built-in plan and the demo data, and the full report written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from planmon.demo import load_demo
from planmon.report import ReportModel, build_model, write_report
from planmon.store import Store


def demo_store(path: Path) -> Store:
    store = Store.open(f"sqlite:///{path}")
    store.init()
    load_demo(store)
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return demo_store(tmp_path_factory.mktemp("db") / "planmon.db")


@pytest.fixture(scope="session")
def model(store: Store) -> ReportModel:
    return build_model(store, as_of="2024", lang="zh")


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory: pytest.TempPathFactory, model: ReportModel) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(model, out)
    return out
