"""compare(run_a, run_b) on COINr's ASEM example: arithmetic vs geometric mean at every level.

The reference is the two runs themselves: each unit's rank shift must be exactly its rank in the
geometric run minus its rank in the arithmetic run, each run ranked on its own (COINr's sign in
``compare_coins``: rank B − rank A). The score shift is bounded by the weighted AM–GM inequality:
a weighted geometric mean never exceeds the weighted arithmetic mean of the same positive values,
so no unit's top score can rise when every level switches to the geometric mean.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from planmon.index import IndexInputError, IndexRun, RunComparison, compare, run_index
from tests.index.conftest import DOCS

GEOMETRIC = DOCS / "asem_geometric.yaml"


@pytest.fixture(scope="module")
def runs(asem: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[IndexRun, IndexRun]:
    geo = run_index(*asem, GEOMETRIC)
    arith = run_index(*asem, {**geo.spec, "aggregate": {"method": "arithmetic"}})
    return arith, geo


def test_rank_shifts_are_those_of_the_two_separate_runs(runs: tuple[IndexRun, IndexRun]) -> None:
    a, b = runs
    c = compare(a, b)
    assert isinstance(c, RunComparison) and c.code == "Index"
    assert list(c.units.columns) == ["uCode", "score_a", "score_b", "rank_a", "rank_b", "rank_shift", "score_shift"]
    rank_a = dict(zip(a.ranks["uCode"], a.ranks["Index"], strict=True))
    rank_b = dict(zip(b.ranks["uCode"], b.ranks["Index"], strict=True))
    score_a = dict(zip(a.scores["uCode"], a.scores["Index"], strict=True))
    score_b = dict(zip(b.scores["uCode"], b.scores["Index"], strict=True))
    assert sorted(c.units["uCode"]) == sorted(rank_a) == sorted(rank_b) and len(c.units) == 51
    for r in c.units.itertuples():
        assert (r.rank_a, r.rank_b) == (rank_a[r.uCode], rank_b[r.uCode])
        assert r.rank_shift == rank_b[r.uCode] - rank_a[r.uCode]
        assert r.score_shift == pytest.approx(score_b[r.uCode] - score_a[r.uCode], abs=1e-12)
    # the geometric mean really changes the order (else the test would prove nothing) …
    assert (c.units["rank_shift"] != 0).sum() > 10
    # … and ranks are a permutation on both sides: the shifts sum to zero
    assert int(c.units["rank_shift"].sum()) == 0
    # weighted AM-GM: no unit scores higher with the geometric mean
    assert (c.units["score_shift"] <= 1e-9).all()
    # rows in A's rank order
    assert list(c.units["rank_a"]) == list(range(1, 52))
    assert list(c.moved["rank_shift"].abs()) == sorted(c.moved["rank_shift"].abs(), reverse=True)


def test_the_step_diff_names_only_the_aggregation(runs: tuple[IndexRun, IndexRun]) -> None:
    a, b = runs
    c = compare(a, b)
    assert c.changed_steps == ["aggregate"]
    agg = c.steps.set_index("step").loc["aggregate"]
    assert agg["a"]["2"]["method"] == "arithmetic" and agg["b"]["2"]["method"] == "geometric"
    assert "2.method: arithmetic → geometric" in agg["changes"]
    assert list(c.steps["step"]) == ["denominate", "impute", "screen", "treat", "normalise", "weights", "aggregate",
                                     "data", "period"]


def test_a_run_compared_with_itself_moves_nothing(runs: tuple[IndexRun, IndexRun]) -> None:
    a, _ = runs
    c = compare(a, a)
    assert c.changed_steps == [] and (c.units["rank_shift"] == 0).all() and (c.units["score_shift"] == 0).all()


def test_several_differences_and_a_pillar(asem: tuple[pd.DataFrame, pd.DataFrame], runs: tuple[IndexRun, IndexRun]) -> None:
    a, _ = runs
    spec: dict[str, Any] = {**a.spec, "normalise": {"method": "zscore"}, "impute": {"method": "mean"}}
    spec.pop("treat")
    b = run_index(*asem, spec)
    c = compare(a, b, code="Conn")
    assert c.changed_steps == ["impute", "treat", "normalise"]
    treat = c.steps.set_index("step").loc["treat"]
    assert treat["b"] is None and treat["changes"][0].endswith("→ —")
    assert c.code == "Conn"
    shifts = c.units.set_index("uCode")["rank_shift"]
    ra, rb = a.ranks.set_index("uCode")["Conn"], b.ranks.set_index("uCode")["Conn"]
    assert (shifts == (rb - ra).reindex(shifts.index)).all()


def test_weights_and_data_differences_are_named(asem: tuple[pd.DataFrame, pd.DataFrame],
                                                runs: tuple[IndexRun, IndexRun]) -> None:
    a, _ = runs
    idata, imeta = asem
    meta = imeta.copy()
    meta.loc[meta["iCode"] == "Conn", "Weight"] = 2.0
    b = run_index(idata, meta, a.spec)
    c = compare(a, b)
    assert c.changed_steps == ["weights", "data"]
    assert "Conn: 1.0 → 2.0" in c.steps.set_index("step").loc["weights", "changes"]


def test_units_of_one_run_only_are_kept(asem: tuple[pd.DataFrame, pd.DataFrame], runs: tuple[IndexRun, IndexRun]) -> None:
    a, _ = runs
    idata, imeta = asem
    b = run_index(idata[idata["uCode"] != "CHE"].reset_index(drop=True), imeta, a.spec)
    c = compare(a, b)
    che = c.units.set_index("uCode").loc["CHE"]
    assert che["rank_a"] == 1 and pd.isna(che["rank_b"]) and pd.isna(che["rank_shift"]) and pd.isna(che["score_b"])
    assert len(c.units) == 51 and "data" in c.changed_steps


def test_an_unknown_aggregate_is_refused_in_both_languages(runs: tuple[IndexRun, IndexRun]) -> None:
    a, b = runs
    with pytest.raises(IndexInputError) as err:
        compare(a, b, code="Nope")
    text = str(err.value)
    assert "没有聚合项 Nope" in text and "has no aggregate Nope" in text and "Conn" in text
