"""IndexRun.to_excel: the whole build in one workbook, read back with pandas as it was written."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planmon.index import IndexInputError, IndexRun, run_index
from tests.index.conftest import ASEM_SPEC

SIXTEEN_DIGITS = 1e-15


@pytest.fixture(scope="module")
def run(asem: tuple[pd.DataFrame, pd.DataFrame]) -> IndexRun:
    return run_index(*asem, ASEM_SPEC)


@pytest.fixture(scope="module")
def book(run: IndexRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run.to_excel(tmp_path_factory.mktemp("xlsx") / "asem.xlsx")


def test_every_stage_reads_back_equal(run: IndexRun, book: Path) -> None:
    sheets = pd.read_excel(book, sheet_name=None)
    stages = list(run.stages)
    assert stages == ["Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated"]
    assert list(sheets)[: 1 + len(stages)] == ["About", *stages]
    for name in stages:
        # openpyxl writes a float with 16 significant digits ("%.16g"; Excel itself keeps 15): equal to
        # within one unit of the 16th digit; a missing value is an empty cell, read back as NaN
        pd.testing.assert_frame_equal(sheets[name], run.stages[name], check_dtype=False, rtol=SIXTEEN_DIGITS, atol=0)
    assert sheets["Raw"].isna().to_numpy().sum() == run.stages["Raw"].isna().to_numpy().sum() > 0
    pd.testing.assert_frame_equal(sheets["Scores"], run.scores, check_dtype=False, rtol=SIXTEEN_DIGITS, atol=0)
    pd.testing.assert_frame_equal(sheets["Ranks"], run.ranks, check_dtype=False, check_exact=True)


def test_weights_stats_and_log(run: IndexRun, book: Path) -> None:
    sheets = pd.read_excel(book, sheet_name=None)
    w = sheets["Weights"].set_index("code")
    eff = run.effective_weights()
    assert len(w) == len(run.weights)
    for code, v in run.weights.items():
        assert w.loc[code, "weight"] == v and w.loc[code, "effective_weight"] == pytest.approx(eff[code], rel=SIXTEEN_DIGITS)
    # ASEM: 49 indicators under equal weights in 8 pillars of 2 sub-indices: effective weights sum to 1 per level
    assert w[w["level"] == 1]["effective_weight"].sum() == pytest.approx(1.0)
    stats = run.stats()
    pd.testing.assert_frame_equal(sheets["Stats"], stats["indicators"], check_dtype=False)
    corr = sheets["Correlations"].set_index("code")
    corr.index.name = None
    pd.testing.assert_frame_equal(corr, stats["correlations"], check_dtype=False, check_names=False)
    cron = sheets["Cronbach"].set_index("code")["alpha"].to_dict()
    assert cron == pytest.approx(stats["cronbach"])
    log = sheets["Log"]
    assert list(log["step"]) == [e["step"] for e in run.log]
    assert [json.loads(t) for t in log["resolved"]] == [e["resolved"] for e in run.log]
    spec = dict(zip(sheets["Spec"]["key"], sheets["Spec"]["value"], strict=True))
    assert spec["impute.method"] == "group_mean" and spec["treat.winmax"] == 5


def test_text_cells_are_never_formulas(asem: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path) -> None:
    idata, imeta = asem
    hostile = idata.copy()
    hostile.loc[0, "uCode"] = '=HYPERLINK("http://x","y")'
    path = run_index(hostile, imeta, ASEM_SPEC).to_excel(tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), (ws.title, cell.coordinate)
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    assert wb["Raw"]["A2"].value == "'" + hostile.loc[0, "uCode"]


def test_only_xlsx(run: IndexRun, tmp_path: Path) -> None:
    with pytest.raises(IndexInputError, match=r"须为 \.xlsx.*must be an \.xlsx"):
        run.to_excel(tmp_path / "build.csv")
    assert not (tmp_path / "build.csv").exists()


def test_a_panel_with_gaps_round_trips(tmp_path: Path) -> None:
    """A small panel with a missing value, a Time column and an impute step left out: NaN survives."""
    idata = pd.DataFrame({"uCode": ["A", "B", "C", "A", "B", "C"], "Time": [2020, 2020, 2020, 2021, 2021, 2021],
                          "x1": [1.0, 2.0, np.nan, 2.0, 3.0, 4.0], "x2": [0.5, 0.25, 0.125, 1 / 3, 2 / 3, 1.0]})
    imeta = pd.DataFrame({"iCode": ["x1", "x2", "Idx"], "Level": [1, 1, 2], "Parent": ["Idx", "Idx", None],
                          "Weight": [1, 1, 1], "Direction": [1, 1, 1], "Type": ["Indicator", "Indicator", "Aggregate"]})
    r = run_index(idata, imeta, {"normalise": {"method": "minmax", "range": [0, 100]}, "aggregate": {"method": "arithmetic"}})
    back = pd.read_excel(r.to_excel(tmp_path / "p.xlsx"), sheet_name=None)
    for name in r.stages:
        pd.testing.assert_frame_equal(back[name], r.stages[name], check_dtype=False, rtol=SIXTEEN_DIGITS, atol=0)
    assert np.isnan(back["Raw"].loc[2, "x1"])
