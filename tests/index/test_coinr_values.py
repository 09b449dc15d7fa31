"""Fixed values of COINr's own test suite and vignettes (methods.md §1.12, §1.6–§1.10).

Each expected number names its source: COINr 1.1.14 ``tests/testthat/<file>`` or the
vignette quoted in methods.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planmon.index import run_index
from planmon.index.aggregate import Where, a_amean, a_copeland, aggregate_level, outrank_summary
from planmon.index.context import StepContext
from planmon.index.impute import panel_fill
from planmon.index.moments import kurtosis, passes, skewness
from planmon.index.normalise import n_dist2targ, n_goalposts
from planmon.index.screen import screen
from planmon.index.stats import cagr, cronbach
from planmon.index.treat import treat_winsorise, winsorise
from planmon.index.tree import build_tree
from planmon.index.weights import effective_weights
from tests.index.conftest import ASEM_SPEC


# --- test-normalise.R -------------------------------------------------------------------------
@pytest.mark.parametrize(("x", "d", "want"), [(1, 1, 0.1), (11, 1, 1.0), (-1, 1, 0.0), (1, -1, 0.9), (-1, -1, 1.0), (11, -1, 0.0)])
def test_goalposts(x: float, d: int, want: float) -> None:
    assert float(n_goalposts(np.array([x], float), 0, 10, 1, d, True)[0]) == pytest.approx(want)


def test_dist2targ() -> None:
    assert np.allclose(n_dist2targ(np.array([0, 5, 11.0]), 10), [0, 0.5, 1.1])
    assert np.allclose(n_dist2targ(np.array([0, 5, 11.0]), 10, cap_max=True), [0, 0.5, 1])
    assert np.allclose(n_dist2targ(np.array([-1, 1, 10.0]), 0, -1), [1.1, 0.9, 0])
    assert np.allclose(n_dist2targ(np.array([-1, 1, 10.0]), 0, -1, cap_max=True), [1, 0.9, 0])


# --- test-treat.R and the Treat vignette --------------------------------------------------------
def _ctx(k: int, n: int) -> StepContext:
    meta = pd.DataFrame({"Level": [1] * k + [2], "iCode": [f"i{j}" for j in range(k)] + ["T"], "Direction": 1,
                         "Weight": 1, "Parent": ["T"] * k + [None], "Type": ["Indicator"] * k + ["Aggregate"]})
    units = np.array([f"u{i}" for i in range(n)])
    return StepContext(build_tree(meta), units, [f"i{j}" for j in range(k)], pd.DataFrame({"uCode": units}))


def test_skew_kurt_vignette_values() -> None:
    x = np.r_[np.arange(1, 11), 30, 100].astype(float)[:, None]
    assert skewness(x)[0] == pytest.approx(3.063241, abs=1e-6)
    assert kurtosis(x)[0] == pytest.approx(9.741391, abs=1e-6)
    w, tag = winsorise(x, winmax=2)
    assert w.max() == 30 and (tag != 0).sum() == 1
    assert skewness(w)[0] == pytest.approx(1.712038, abs=1e-6)
    assert kurtosis(w)[0] == pytest.approx(1.815781, abs=1e-6)


def test_winsorise_1_to_10_and_100() -> None:
    x = np.r_[np.arange(1, 11), 100].astype(float)[:, None]
    assert not passes(x)[0]
    w, _ = winsorise(x, winmax=5)
    assert w[-1, 0] == 10 and passes(w)[0]


def test_winmax_1_still_fails_then_log() -> None:
    x = np.r_[np.arange(1, 21), 100, 200].astype(float)[:, None]
    w, _ = winsorise(x, winmax=1)
    assert not passes(w)[0]
    out, info = treat_winsorise(x, _ctx(1, len(x)), winmax=1, fallback="log")
    assert np.allclose(out[:, 0], np.log(x[:, 0])) and info["treated"]["i0"] == "log"


def test_force_win_treats_exactly_winmax_points() -> None:
    x = np.arange(1, 21, dtype=float)[:, None]
    _, tag = winsorise(x, winmax=3, force=True)
    assert (tag != 0).sum() == 3


def test_asem_raw_moments(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d = asem[0]
    for code, s, k in [("Flights", 2.1032872, 4.5088794), ("Gas", 2.8294486, 10.3346494), ("LPI", -0.3042681, -0.6567514)]:
        v = d[code].to_numpy(float)[:, None]
        assert skewness(v)[0] == pytest.approx(s, abs=1e-6) and kurtosis(v)[0] == pytest.approx(k, abs=1e-6)


# --- test-aggregate.R ---------------------------------------------------------------------------
def test_outranking_matrix() -> None:
    x = np.array([[1, 3, 2], [2, 2, 3], [3, 1, 1], [4, 5, 4]], float)
    o, ndom, frac = outrank_summary(x, np.ones(3) / 3)
    assert o[1, 0] == pytest.approx(2 / 3) and o[2, 0] == pytest.approx(1 / 3) and o[3, 0] == 1
    assert ndom == 3 and frac == pytest.approx(3 / 6)


def test_copeland_two_units() -> None:
    x = np.array([[[1.0, 2.0], [2.0, 1.0]]])
    out = a_copeland(x, np.ones((1, 2, 1)), Where(np.array(["a", "b"]), ["x", "y"]))
    assert np.allclose(out[0, :, 0], [0, 0])


def test_data_threshold() -> None:
    x = np.array([[[1, 2, 3, 4, 5], [np.nan, np.nan, np.nan, np.nan, 5]]], float)
    w = np.arange(1, 6, dtype=float)[None, :, None]
    m = np.ones((5, 1))
    out = aggregate_level(x, w, m, a_amean, Where(np.array(["a", "b"]), list("abcde")), dat_thresh=0.5)
    assert out[0, 0, 0] == pytest.approx((1 + 4 + 9 + 16 + 25) / 15) and np.isnan(out[0, 1, 0])


# --- test-impute_panel.R ------------------------------------------------------------------------
def test_impute_panel_linear_and_constant() -> None:
    x = np.array([[3, np.nan, 7], [np.nan, 5, 8], [5, 6, np.nan]], float)  # rows 2020..2022; cols i2, i3, i4
    ui, ti, times = np.zeros(3, int), np.arange(3), np.array([2020.0, 2021, 2022])
    lin = panel_fill(x, ui, ti, times, "linear")
    assert np.allclose(lin[:, 0], [3, 4, 5]) and np.allclose(lin[:, 1], [5, 5, 6]) and np.allclose(lin[:, 2], [7, 8, 8])
    const = panel_fill(x, ui, ti, times, "constant")
    assert np.allclose(const[:, 0], [3, 3, 5])


# --- test-Screen.R (hand calculation) ----------------------------------------------------------
def test_screen_rules() -> None:
    x = np.array([[1, 2, 3], [np.nan, 0, 0], [0, np.nan, np.nan], [0, 0, 0]], float)
    ctx = _ctx(3, 4)
    keep, _ = screen(x, ctx, min_availability=0.6)  # availability 1, 2/3, 1/3, 1
    assert keep.tolist() == [True, True, False, True]
    keep, _ = screen(x, ctx, rule="byzeros", min_nonzero=0.05)  # non-zero 1, 0, 0, 0
    assert keep.tolist() == [True, False, False, False]
    keep, _ = screen(x, ctx, rule="byNAandzeros", min_availability=0.5, force={"u3": True})
    assert keep.tolist() == [True, False, False, True]


# --- test-trends.R ------------------------------------------------------------------------------
def test_cagr() -> None:
    y = np.array([2.0, 3, 3.5, 4, 5, 5.5, 6, 6.2, 7, 9])
    assert cagr(y, np.arange(2011, 2021)) == pytest.approx((9 / 2) ** (1 / 9) - 1)


# --- stats and weights vignettes ----------------------------------------------------------------
@pytest.fixture(scope="module")
def asem_run(asem: tuple[pd.DataFrame, pd.DataFrame]):  # type: ignore[no-untyped-def]
    return run_index(*asem, ASEM_SPEC)


def test_cronbach_p2p_raw(asem_run) -> None:  # type: ignore[no-untyped-def]
    # COINr get_cronbach, ASEM Raw, P2P group: 0.05126659
    x = asem_run.stages["Raw"][asem_run.tree.children("P2P")].to_numpy(float)
    assert cronbach(x) == pytest.approx(0.05126659, abs=1e-8)


def test_effective_weights(asem_run) -> None:  # type: ignore[no-untyped-def]
    eff = effective_weights(asem_run.tree)
    assert eff["Goods"] == pytest.approx(0.02) and eff["Renew"] == pytest.approx(1 / 30)
    assert sum(eff[c] for c in asem_run.tree.indicators) == pytest.approx(1.0)
    assert asem_run.effective_weights()["Goods"] == pytest.approx(0.02)


def test_pca_weights_level2(asem_run) -> None:  # type: ignore[no-untyped-def]
    # COINr PCA vignette, level-2 PCA weights on the Aggregated set (up to sign)
    pca = asem_run.stats()["pca"]
    want_conn = [0.5117970, 0.3049926, 0.3547671, 0.5081540, 0.5108455]
    assert np.allclose(np.abs(list(pca["Conn"]["loadings"].values())), want_conn, atol=1e-6)
    want_sust = [0.6513188, 0.7443677, 0.1473108]
    assert np.allclose(np.abs(list(pca["Sust"]["loadings"].values())), want_sust, atol=1e-6)


def test_balance_weights_level3(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    # COINr get_opt_weights vignette: level 3 → Conn 0.390, Sust 0.610; correlations 0.897 / 0.893
    spec = {**run_index(*asem, ASEM_SPEC).spec, "weights": {1: "meta", 2: "meta", 3: "balance"}}
    r = run_index(*asem, spec)
    assert r.weights["Conn"] == pytest.approx(0.3902439, abs=0.01)
    corr = r.log[-2]["info"]["3"]["correlations"]
    assert corr == pytest.approx([0.8971336, 0.8925119], abs=0.005)


def test_row_imputation_hand_calculation() -> None:
    # 3 units × 2 indicators under one parent, direction 1; unit u2 lacks i1.
    # i0 = (0, 10, 5) → scaled (0, 1, .5); i1 = (2, 4, NaN) → scaled (0, 1, NaN), min 2, span 2
    # u2's row mean of scaled values = 0.5 → i1 = 0.5·2 + 2 = 3
    from planmon.index.impute import impute_row

    x = np.array([[0, 2], [10, 4], [5, np.nan]], float)
    out, info = impute_row(x, _ctx(2, 3), level=2)
    assert out[2, 1] == pytest.approx(3.0) and info["imputed"] == 1
    assert np.array_equal(out[:2], x[:2])
