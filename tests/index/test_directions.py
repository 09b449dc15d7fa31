"""Directions in every scorer × normalisation (issue #16).

Property: a cost criterion x is the same information as a benefit criterion −x. So flipping
a criterion's direction and negating its values (and, for goalposts and distance to target,
its posts and target) must give the same scores and ranks, whatever the normalisation and
whatever scores the top (arithmetic aggregation, TOPSIS on the normalised matrix, classic
vector TOPSIS, PCA composite). Before the fix, vector normalisation kept the raw sign and
TOPSIS was called without directions, so a cost criterion was treated as a benefit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planmon.index import run_index
from planmon.index.scorers import topsis

CODES = ["a", "b", "c", "d", "e"]
COST = "c"  # the criterion whose direction is flipped


def _tables(x: np.ndarray, directions: dict[str, int], target: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    idata = pd.DataFrame(x, columns=CODES)
    idata.insert(0, "uCode", [f"U{i:02d}" for i in range(len(x))])
    meta = pd.DataFrame({
        "Level": [1, 1, 1, 1, 1, 2, 2, 3], "iCode": [*CODES, "P1", "P2", "TOP"],
        "Direction": [directions.get(c, 1) for c in CODES] + [1, 1, 1],
        "Weight": [1, 2, 1, 1, 3, 1, 2, 1], "Parent": ["P1", "P1", "P1", "P2", "P2", "TOP", "TOP", None],
        "Type": ["Indicator"] * 5 + ["Aggregate"] * 3,
        "Target": [target.get(c, np.nan) for c in CODES] + [np.nan] * 3})
    return idata, meta


NORMALISATIONS: dict[str, dict[str, Any] | None] = {
    "minmax": {"method": "minmax", "range": [0, 100]}, "zscore": {"method": "zscore"},
    "scaled": {"method": "scaled", "lower": 0, "upper": 10, "scale_factor": 100},
    "dist2max": {"method": "dist2max"}, "fracmax": {"method": "fracmax"}, "rank": {"method": "rank"},
    "borda": {"method": "borda"}, "prank": {"method": "prank"}, "vector": {"method": "vector"},
    "goalposts": {"method": "goalposts", "posts": {}}, "dist2targ": {"method": "dist2targ", "targets": {}},
    "none": None,
}
SCORERS: dict[str, dict[str, Any] | None] = {
    "arithmetic": None, "topsis": {"method": "topsis"}, "topsis_vector": {"method": "topsis", "vector": True},
    "pca": {"method": "pca", "retain": {"rule": "fixed", "k": 2}},
}


def _spec(norm: str, scorer: str, lo: np.ndarray, hi: np.ndarray, tg: np.ndarray) -> dict[str, Any]:
    spec: dict[str, Any] = {"weights": {"method": "meta"}, "aggregate": {"method": "arithmetic"}}
    n = NORMALISATIONS[norm]
    if n is not None:
        n = dict(n)
        if norm == "goalposts":  # a cost criterion with posts [lo, hi] = a benefit criterion −x with posts [−hi, −lo]
            n["posts"] = {c: [float(lo[k]), float(hi[k])] for k, c in enumerate(CODES)}
        if norm == "dist2targ":  # … and with target t = a benefit criterion −x with target −t
            n["targets"] = {c: float(tg[k]) for k, c in enumerate(CODES)}
        spec["normalise"] = n
    if SCORERS[scorer] is not None:
        spec["scorer"] = SCORERS[scorer]
    return spec


def _both(x: np.ndarray, norm: str, scorer: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    lo, hi = x.min(axis=0) - 1, x.max(axis=0) + 1
    tg = x.max(axis=0) + 0.5
    j = CODES.index(COST)
    # A: c is a cost criterion with its raw values
    ra = run_index(*_tables(x, {COST: -1}, {}), _spec(norm, scorer, lo, hi, tg))
    # B: c is a benefit criterion with negated values
    xb = x.copy()
    xb[:, j] = -xb[:, j]
    rb = run_index(*_tables(xb, {}, {}), _spec_benefit(norm, scorer, lo, hi, tg))
    return ra.result_table(), rb.result_table()


def _spec_benefit(norm: str, scorer: str, lo: np.ndarray, hi: np.ndarray, tg: np.ndarray) -> dict[str, Any]:
    j = CODES.index(COST)
    lo_b, hi_b, tg_b = lo.copy(), hi.copy(), tg.copy()
    lo_b[j], hi_b[j], tg_b[j] = -hi[j], -lo[j], -tg[j]
    return _spec(norm, scorer, lo_b, hi_b, tg_b)


CASES = [(n, s) for s in SCORERS for n in NORMALISATIONS if not (n == "none" and s == "arithmetic")]


@pytest.mark.parametrize(("norm", "scorer"), CASES)
def test_flipping_direction_and_negating_values_changes_nothing(norm: str, scorer: str) -> None:
    rng = np.random.default_rng(16)
    x = rng.lognormal(mean=2.0, sigma=0.6, size=(14, 5))
    a, b = _both(x, norm, scorer)
    assert np.allclose(a["TOP"], b["TOP"], rtol=1e-9, atol=1e-9, equal_nan=True)
    assert (a["rank"] == b["rank"]).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1), st.sampled_from(["vector", "minmax", "none"]))
def test_topsis_direction_property_on_random_data(seed: int, norm: str) -> None:
    x = np.random.default_rng(seed).uniform(1, 50, size=(9, 5))
    for scorer in ("topsis", "topsis_vector"):
        a, b = _both(x, norm, scorer)
        assert np.allclose(a["TOP"], b["TOP"], rtol=1e-9, atol=1e-12)


def test_classic_topsis_picks_the_lowest_cost_as_ideal() -> None:
    # Hand calculation (Hwang & Yoon 1981 steps, methods.md §5.2): two alternatives, one benefit and one cost
    # criterion, equal weights. A = (4, 2), B = (2, 4): A is better on both → closeness 1 and 0.
    x = np.array([[4.0, 2.0], [2.0, 4.0]])
    c = topsis(x, np.array([1.0, 1.0]), vector=True, directions=np.array([1, -1]))
    assert c == pytest.approx([1.0, 0.0])
    # through the engine: normalise vector + topsis, and topsis vector: true without a normalise step
    idata = pd.DataFrame({"uCode": ["A", "B"], "price": [2.0, 4.0], "quality": [4.0, 2.0]})
    meta = pd.DataFrame({"Level": [1, 1, 2], "iCode": ["quality", "price", "TOP"], "Direction": [1, -1, 1],
                         "Weight": [1, 1, 1], "Parent": ["TOP", "TOP", None], "Type": ["Indicator", "Indicator", "Aggregate"]})
    for spec in ({"normalise": "vector", "scorer": "topsis"}, {"scorer": {"method": "topsis", "vector": True}}):
        r = run_index(idata, meta, spec)
        assert r.scores.set_index("uCode")["TOP"].to_dict() == pytest.approx({"A": 1.0, "B": 0.0})
