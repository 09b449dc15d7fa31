"""Runs to draw: COINr's ASEM example (read in place from ../shared/data/asem) and the built-in plan with the
demo data (its provincial composite index, its national and provincial assessments)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from planmon.index import IndexRun, run_index
from tests.index.conftest import ASEM_UA_SPEC, asem, asem_paths  # noqa: F401  (fixtures)
from tests.report.conftest import demo_store


@pytest.fixture(scope="session")
def asem_run(asem: tuple[pd.DataFrame, pd.DataFrame]) -> IndexRun:  # noqa: F811
    return run_index(*asem, ASEM_UA_SPEC)


@pytest.fixture(scope="session")
def asem_ua(asem_run: IndexRun) -> pd.DataFrame:
    # COINr's sensitivity vignette: N = 100, the test of tests/index/test_uncertainty.py (seed 1)
    return asem_run.uncertainty(100, seed=1)


@pytest.fixture(scope="session")
def asem_sa(asem_run: IndexRun) -> pd.DataFrame:
    return asem_run.sensitivity(20, seed=1, nboot=20)


@dataclass
class Demo:
    store: Any
    snap: Any
    run: IndexRun
    ua: pd.DataFrame
    sa: pd.DataFrame


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The built-in plan and the demo data as of 2024: the snapshot and the provincial index run it ranks on."""
    from planmon.index.store_input import from_observations
    from planmon.ranking import _for_data
    from planmon.snapshot import Snapshot

    store = demo_store(Path(tmp_path_factory.mktemp("plots")) / "planmon.db")
    snap = Snapshot(store, as_of="2024")
    idata, imeta = from_observations(snap.framework, snap.observations, snap.comparison.period, "provinces",
                                     denominators=store)
    run = run_index(idata, imeta, _for_data(snap.index_spec, idata))
    return Demo(store, snap, run, run.uncertainty(60, seed=1), run.sensitivity(12, seed=1, nboot=20))
