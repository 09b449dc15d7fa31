"""ASEM fixtures: COINr's example data, read in place from ../shared/data/asem."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planmon.index import read_coinr

DOCS = Path(__file__).resolve().parents[2] / "docs" / "index" / "examples"
ASEM_SPEC = DOCS / "asem.yaml"
ASEM_UA_SPEC = DOCS / "asem_uncertainty.yaml"


@pytest.fixture(scope="session")
def asem_paths(shared: Path) -> tuple[Path, Path]:
    return shared / "data" / "asem" / "ASEM_iData.csv", shared / "data" / "asem" / "ASEM_iMeta.csv"


@pytest.fixture(scope="session")
def asem(asem_paths: tuple[Path, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_coinr(*asem_paths)
