"""The ASEM example reproduces COINr's published results (COINr 1.1.14 build_example_coin;
the values are those of the issue #5 "Must show" list, from COINr's documentation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planmon.index import run_index
from tests.index.conftest import ASEM_SPEC


@pytest.fixture(scope="module")
def asem_run(asem: tuple[pd.DataFrame, pd.DataFrame]):  # type: ignore[no-untyped-def]
    return run_index(*asem, ASEM_SPEC)


def test_asem_top_six_and_india(asem_run) -> None:  # type: ignore[no-untyped-def]
    t = asem_run.result_table().sort_values("rank")
    top = [(u, round(float(s), 2)) for u, s in zip(t["uCode"][:6], t["Index"][:6], strict=True)]
    # COINr: CHE 68.38, NLD 64.82, DNK 64.80, NOR 64.47, BEL 63.54, SWE 63.00
    assert top == [("CHE", 68.38), ("NLD", 64.82), ("DNK", 64.80), ("NOR", 64.47), ("BEL", 63.54), ("SWE", 63.00)]
    ind = t[t["uCode"] == "IND"].iloc[0]
    assert round(float(ind["Index"]), 2) == 39.79 and int(ind["rank"]) == 45
    assert list(t["rank"][:3]) == [1, 2, 3]


def test_asem_structure_of_the_run(asem_run) -> None:  # type: ignore[no-untyped-def]
    r = asem_run
    assert list(r.scores.columns) == ["uCode", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ",
                                      "Social", "SusEcFin", "Conn", "Sust", "Index"]
    assert list(r.stages) == ["Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated"]
    assert [e["step"] for e in r.log] == ["denominate", "impute", "screen", "treat", "normalise", "weights", "aggregate"]
    assert len(r.scores) == 51 and len(r.data_hash) == 64
    # imputation leaves no gap, and the normalised indicators span exactly [0, 100]
    norm = r.stages["Normalised"][r.tree.indicators].to_numpy()
    assert not np.isnan(norm).any()
    assert np.allclose(norm.min(axis=0), 0) and np.allclose(norm.max(axis=0), 100)
    # Index = mean of Conn and Sust (equal weights, arithmetic)
    assert np.allclose(r.scores["Index"], (r.scores["Conn"] + r.scores["Sust"]) / 2)


def test_asem_treatment_matches_coinr_vignette(asem_run) -> None:  # type: ignore[no-untyped-def]
    # COINr Treat vignette: Flights winsorised by one point (MLT), no log transform needed on ASEM
    info = asem_run.log[3]["info"]
    assert info["winsorised_points"]["Flights"] == {"MLT": "winhi"}
    assert "log" not in " ".join(info["treated"].values())
