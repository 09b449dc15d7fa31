"""Sobol estimators on analytic test functions, and COINr's ASEM uncertainty analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planmon.index import IndexInputError, run_index
from planmon.index.sensitivity import ishigami, sobol
from planmon.index.uncertainty import run_uncertainty
from tests.index.conftest import ASEM_UA_SPEC


def test_sobol_ishigami() -> None:
    # Analytic (a=7, b=0.1): S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437) — methods.md §1.11.
    # Monte Carlo error at N = 2e5 is about 0.005; allow 0.015.
    res = sobol(ishigami, 3, 200_000, seed=7, nboot=10)
    assert res["Si"].to_numpy() == pytest.approx([0.3139, 0.4424, 0.0], abs=0.015)
    assert res["STi"].to_numpy() == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.015)
    assert (res["Si_q05"] <= res["Si"]).all() and (res["Si"] <= res["Si_q95"]).all()


def test_sobol_linear() -> None:
    # y = x1 + 2x2 + 3x3 on U(0,1): S = ST = (1, 4, 9)/14
    res = sobol(lambda x: x[:, 0] + 2 * x[:, 1] + 3 * x[:, 2], 3, 100_000, seed=3, nboot=10)
    want = np.array([1, 4, 9]) / 14
    assert res["Si"].to_numpy() == pytest.approx(want, abs=0.02)
    assert res["STi"].to_numpy() == pytest.approx(want, abs=0.01)


@pytest.fixture(scope="module")
def ua_run(asem: tuple[pd.DataFrame, pd.DataFrame]):  # type: ignore[no-untyped-def]
    return run_index(*asem, ASEM_UA_SPEC)


def test_asem_uncertainty_like_coinr(ua_run) -> None:  # type: ignore[no-untyped-def]
    # COINr sensitivity vignette (N = 100): CHE 1/1/1/1; AUT nominal 7, median 7, Q5 5.95, Q95 9.
    s = ua_run.uncertainty(100, seed=1).set_index("uCode")
    assert s.loc["CHE", ["nominal", "median", "q05", "q95"]].tolist() == [1, 1, 1, 1]
    res = run_uncertainty(ua_run, 100, seed=1)
    assert (res.ranks[:, list(ua_run.scores["uCode"]).index("CHE")] == 1).all()  # first in every replication
    aut = s.loc["AUT"]
    assert aut["nominal"] == 7 and aut["median"] == 7
    assert 5 <= aut["q05"] <= 6.5 and 8.5 <= aut["q95"] <= 10


def test_asem_uncertainty_large_n(ua_run) -> None:  # type: ignore[no-untyped-def]
    # With 10,000 replications AUT stays at median 7 within 5..9; CHE is first in > 99 % of them
    # (it drops to 2nd only under minmax [1, 100] + geometric mean with some weight draws).
    res = run_uncertainty(ua_run, 10_000, seed=2)
    s = res.summary.set_index("uCode")
    assert s.loc["AUT", "median"] == 7 and s.loc["AUT", "q05"] >= 5 and s.loc["AUT", "q95"] <= 9
    che = res.ranks[:, list(ua_run.scores["uCode"]).index("CHE")]
    assert (che == 1).mean() > 0.99
    assert res.ranks.shape == (10_000, 51)
    # every replication is a permutation-with-ties of 1..51
    assert (np.sort(res.ranks, axis=1)[:, 0] == 1).all()


def test_uncertainty_matches_a_plain_rebuild(asem: tuple[pd.DataFrame, pd.DataFrame], ua_run) -> None:  # type: ignore[no-untyped-def]
    """A replication of the batched engine equals run_index on the same choices (no noise input)."""
    specs = {"treat.winmax": [1, 3], "normalise": [{"method": "minmax", "range": [1, 100]}, {"method": "zscore", "mean": 10, "sd": 2}],
             "aggregate": ["arithmetic", "geometric"], "exclude": [None, "LPI"]}
    res = run_uncertainty(ua_run, 12, seed=5, specs=specs)
    for r in range(4):
        c = res.choices[r]
        spec = dict(ua_run.spec)
        spec.pop("uncertainty")
        spec["treat"] = {**spec["treat"], "winmax": [1, 3][c[0]]}
        spec["normalise"] = specs["normalise"][c[1]]
        spec["aggregate"] = {"method": ["arithmetic", "geometric"][c[2]]}
        if c[3] == 1:
            spec["weights"] = {1: {"method": "manual", "values": {"LPI": 0.0}}, 2: "meta", 3: "meta"}
        direct = run_index(*asem, spec).scores["Index"].to_numpy()
        assert np.allclose(res.scores[r], direct)


def test_sensitivity_no_effect_input_is_zero(ua_run) -> None:  # type: ignore[no-untyped-def]
    # test-sensitivity.R: a parameter with no effect gets Si = STi = 0 (screening after imputation removes nobody)
    out = ua_run.sensitivity(20, seed=1, specs={"screen.min_availability": [0.5, 0.9], "aggregate": ["arithmetic", "geometric"],
                                                     "normalise": [{"method": "minmax", "range": [1, 100]}]},
                             nboot=20)
    row = out.set_index("input").loc["screen.min_availability"]
    assert row["Si"] == 0 and row["STi"] == 0
    assert out.set_index("input").loc["aggregate", "STi"] > 0.5


def test_sensitivity_columns(ua_run) -> None:  # type: ignore[no-untyped-def]
    out = ua_run.sensitivity(30, seed=2, nboot=30)
    assert list(out.columns) == ["input", "Si", "Si_q05", "Si_q95", "STi", "STi_q05", "STi_q95"]
    assert list(out["input"]) == ["weights", "treat.winmax", "normalise", "aggregate"]
    # COINr vignette: the aggregation choice has the largest total effect (0.618)
    assert out.set_index("input")["STi"].idxmax() == "aggregate"


def test_bad_uncertainty_input(ua_run) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IndexInputError) as exc:
        ua_run.uncertainty(10, specs={"exclude": ["NOPE"]})
    assert "NOPE" in str(exc.value)


def test_rank_quantiles_equal_numpy() -> None:
    from planmon.index.uncertainty import rank_quantiles

    rng = np.random.default_rng(9)
    r = rng.integers(1, 8, size=(537, 7)).astype(float)
    r[rng.random(r.shape) < 0.1] = np.nan
    ps = [0.5, 0.05, 0.95, 0.0, 1.0, 0.333]
    assert np.allclose(rank_quantiles(r, ps), np.nanquantile(r, ps, axis=0))
