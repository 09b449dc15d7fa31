"""Methods beyond COINr's own tests: hand calculations (shown in comments) and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from planmon.index import IndexInputError, run_index
from planmon.index.aggregate import Where, a_amean, a_genmean, a_gmean, a_hmean
from planmon.index.normalise import n_minmax, n_prank, n_rank, n_zscore
from planmon.index.run import rank_desc
from planmon.index.scorers import pca_score, topsis
from planmon.index.spec import parse_spec
from planmon.index.weights import ahp_priorities, critic_weights, entropy_weights
from tests.index.conftest import ASEM_SPEC

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
cols = arrays(np.float64, st.tuples(st.integers(3, 30), st.integers(1, 5)), elements=finite)


@settings(max_examples=60, deadline=None)
@given(cols)
def test_minmax_range_property(x: np.ndarray) -> None:
    spread = x.max(axis=0) > x.min(axis=0) + 1e-6 * np.maximum(1, np.abs(x).max(axis=0))
    y = n_minmax(x[:, spread], 2, 7)
    assert np.allclose(y.min(axis=0), 2) and np.allclose(y.max(axis=0), 7)
    # order is kept
    for j in range(y.shape[1]):
        assert (np.argsort(x[:, spread][:, j], kind="stable") == np.argsort(y[:, j], kind="stable")).all() or np.allclose(
            np.sort(y[:, j]), y[np.argsort(x[:, spread][:, j], kind="stable"), j])


@settings(max_examples=60, deadline=None)
@given(cols)
def test_zscore_property(x: np.ndarray) -> None:
    keep = x.std(axis=0) > 1e-3 * np.maximum(1, np.abs(x).max(axis=0))
    y = n_zscore(x[:, keep], 10, 2)
    assert np.allclose(y.mean(axis=0), 10) and np.allclose(y.std(axis=0, ddof=1), 2)


@settings(max_examples=60, deadline=None)
@given(cols)
def test_rank_properties(x: np.ndarray) -> None:
    r = n_rank(x)
    assert (r.min(axis=0) == 1).all() and (r.max(axis=0) <= x.shape[0]).all()
    p = n_prank(x)
    assert np.nanmin(p) >= 0 and np.nanmax(p) <= 1
    d = rank_desc(x[:, 0])
    assert d[np.argmax(x[:, 0])] == 1
    # ties share the lowest rank: equal values get equal ranks
    eq = x[:, 0][:, None] == x[:, 0][None, :]
    assert (d[:, None] == d[None, :])[eq].all()


def test_rank_ties_share_lowest() -> None:
    assert rank_desc(np.array([5.0, 7, 7, 1, np.nan])).tolist()[:4] == [3, 1, 1, 4]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 10), st.integers(2, 6)), elements=st.floats(0.01, 100)),
       arrays(np.float64, st.integers(2, 6), elements=st.floats(0.1, 5)))
def test_mean_inequality_property(x: np.ndarray, w: np.ndarray) -> None:
    k = min(x.shape[1], len(w))
    xb, wb = x[None, :, :k], w[None, :k, None]
    where = Where(np.arange(x.shape[0]).astype(str), [str(j) for j in range(k)])
    h, g, a = a_hmean(xb, wb, where), a_gmean(xb, wb, where), a_amean(xb, wb, where)
    q = a_genmean(xb, wb, where, p=2)
    assert (h <= g * (1 + 1e-9)).all() and (g <= a * (1 + 1e-9)).all() and (a <= q * (1 + 1e-9)).all()
    assert np.allclose(a_genmean(xb, wb, where, p=1), a)


def test_missing_child_renormalises_weights() -> None:
    # Σ w x / Σ w over what is there: (1·10 + 3·30)/(1 + 3) = 25
    x = np.array([[[10.0, np.nan, 30.0]]])
    w = np.array([1.0, 2.0, 3.0])[None, :, None]
    assert a_amean(x, w, Where(np.array(["u"]), list("abc")))[0, 0, 0] == pytest.approx(25)


@pytest.mark.parametrize(("fn", "value", "zh", "en"), [
    (a_gmean, 0.0, "几何平均要求正值：单位 u2 的 b 为 0", "geometric mean needs positive values: unit u2, b is 0"),
    (a_gmean, -3.0, "单位 u2 的 b 为 -3", "unit u2, b is -3"),
    (a_hmean, 0.0, "调和平均要求正值：单位 u2 的 b", "harmonic mean needs positive values: unit u2, b"),
])
def test_geometric_over_zero_is_an_error(fn, value: float, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    x = np.array([[[1.0, 2.0], [3.0, value]]])
    with pytest.raises(IndexInputError) as exc:
        fn(x, np.ones((1, 2, 1)), Where(np.array(["u1", "u2"]), ["a", "b"]))
    assert zh in exc.value.format("zh")[0] and en in exc.value.format("en")[0]


def test_entropy_hand_calculation() -> None:
    # col 1 = (0, 1, 2) → p = (0, 1/3, 2/3), e = 0.579380; col 2 = (1, 1, 4) → p = (0, 0, 1), e = 0
    # g = (0.420620, 1) → w = (0.296081, 0.703919)   [0·ln 0 = 0, i.e. shift 0]
    w, e = entropy_weights(np.array([[0, 1], [1, 1], [2, 4.0]]), shift=0.0)
    assert e == pytest.approx([0.579380, 0.0], abs=1e-6)
    assert w == pytest.approx([0.296081, 0.703919], abs=1e-5)
    w2, _ = entropy_weights(np.array([[0, 1], [1, 1], [2, 4.0]]), shift=0.0001)
    assert not np.allclose(w, w2)  # the shift variant differs (methods.md §5.1)


def test_critic_hand_calculation() -> None:
    # x1 = (0, .5, 1): sd 0.5; x2 = (0, 1, 0): sd 0.57735; r = 0 → C = (0.5, 0.57735) → w = (0.46410, 0.53590)
    assert critic_weights(np.array([[0, 0], [0.5, 1], [1, 0]])) == pytest.approx([0.46410, 0.53590], abs=1e-5)


def test_ahp_saaty_example() -> None:
    # Classic 3×3 example: w ≈ (0.637, 0.258, 0.105), λmax ≈ 3.0385, CR = CI/0.58 ≈ 0.033 (Saaty 1980 RI)
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    w, lam, ci, cr = ahp_priorities(a)
    assert w == pytest.approx([0.637, 0.258, 0.105], abs=1e-3)
    assert lam == pytest.approx(3.0385, abs=1e-3) and cr == pytest.approx(0.0332, abs=1e-3)
    _, _, _, cr_dd = ahp_priorities(a, ri="dd")
    assert cr_dd == pytest.approx(ci / 0.4914)


def test_ahp_inconsistent_matrix_is_rejected(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    # Sust has children Environ, Social, SusEcFin: a circular judgement (E > S > F > E) is inconsistent
    bad = [[1, 5, 1 / 5], [1 / 5, 1, 5], [5, 1 / 5, 1]]
    spec = {**parse_spec(ASEM_SPEC).raw, "weights": {1: "meta", 2: {"method": "ahp", "matrices": {"Sust": bad}}, 3: "meta"}}
    with pytest.raises(IndexInputError) as exc:
        run_index(*asem, spec)
    assert "Sust" in str(exc.value) and "CR=" in str(exc.value)
    good = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    spec["weights"][2] = {"method": "ahp", "matrices": {"Sust": good}, "ri": "saaty2005"}
    r = run_index(*asem, spec)
    assert r.weights["Environ"] == pytest.approx(0.637, abs=1e-3)


def test_topsis_hand_calculation() -> None:
    # best everywhere → 1, worst → 0, half-way → D+ = D− = 0.5 → 0.5
    c = topsis(np.array([[1, 1], [0, 0], [1, 0.0]]), np.array([1.0, 1.0]))
    assert c == pytest.approx([1, 0, 0.5])


def test_pca_score_sign_and_retention() -> None:
    rng = np.random.default_rng(0)
    f = rng.normal(size=200)
    x = np.c_[f + 0.1 * rng.normal(size=200), f + 0.1 * rng.normal(size=200), -0.0 * f + rng.normal(size=200)]
    s, info = pca_score(x)
    assert np.corrcoef(s, f)[0, 1] > 0.8  # signed so the indicators correlate positively
    assert info["retained"] >= 1 and sum(info["weights"]) == pytest.approx(1)


def test_every_weight_method_runs_on_asem(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    base = parse_spec(ASEM_SPEC).raw
    for w in ({"method": "equal"}, {"method": "entropy"}, {"method": "entropy", "scope": "global", "shift": 0.01},
              {"method": "critic"}, {"method": "pca"},
              {"method": "combined", "of": [{"method": "entropy"}, {"method": "critic"}], "alpha": 0.5}):
        r = run_index(*asem, {**base, "weights": {1: w, 2: "meta", 3: "meta"}})
        s = r.scores["Index"]
        assert s.notna().all() and s.between(0, 100).all()
        kids = r.tree.children("Physical")
        if w["method"] != "pca":
            assert all(r.weights[k] > 0 for k in kids)


def test_global_entropy_equals_the_flat_entropy_score(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    # With scope global the parents weigh the sum of their children, so the index is Σ_j w_j x_j of all indicators
    base = parse_spec(ASEM_SPEC).raw
    r = run_index(*asem, {**base, "weights": {"method": "entropy", "scope": "global"}})
    x = r.stages["Normalised"][r.tree.indicators].to_numpy()
    w = np.array([r.weights[c] for c in r.tree.indicators])
    assert np.allclose(r.scores["Index"], x @ w / w.sum())


def test_scorers_and_other_aggregations(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    base = parse_spec(ASEM_SPEC).raw
    r = run_index(*asem, {**base, "scorer": {"method": "topsis"}})
    assert r.scores["Index"].between(0, 1).all()
    r = run_index(*asem, {**base, "normalise": {"method": "minmax", "range": [1, 100]},
                          "aggregate": {2: "geometric", 3: "harmonic", 4: {"method": "genmean", "p": 2}}})
    assert r.scores["Index"].between(1, 100).all()
    r = run_index(*asem, {**base, "aggregate": {2: "arithmetic", 3: "arithmetic", 4: "copeland"}})
    assert r.ranks["Index"].min() == 1 and r.scores["Index"].max() <= 50


def test_spec_errors_name_step_and_key() -> None:
    with pytest.raises(IndexInputError) as exc:
        parse_spec({"treat": {"method": "winsorise", "winmx": 3}, "normalise": {"method": "minmax2"}, "colour": 1})
    text = str(exc.value)
    assert "winmx" in text and "minmax2" in text and "colour" in text


def test_strengths_weaknesses_and_json(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    r = run_index(*asem, ASEM_SPEC)
    sw = r.strengths_weaknesses(3).set_index("uCode")
    norm = r.stages["Normalised"].set_index("uCode")
    # CHE's best indicator is one where no other unit scores higher
    top = sw.loc["CHE", "strengths"][0]
    assert norm.loc["CHE", top] == norm[top].max()
    assert len(sw.loc["CHE", "weaknesses"]) == 3
    import json

    d = json.loads(r.to_json())
    assert d["data_hash"] == r.data_hash and len(d["scores"]) == 51 and d["log"][0]["step"] == "denominate"


def test_panel_pooled_and_per_period(shared) -> None:  # type: ignore[no-untyped-def]
    from planmon.index import read_coinr

    d, m = read_coinr(shared / "data/asem/ASEM_iData_p.csv", shared / "data/asem/ASEM_iMeta.csv")
    spec = {"impute": {"method": "linear"}, "normalise": {"method": "minmax", "range": [0, 100]}}
    times = sorted(d["Time"].unique())
    pooled = run_index(d, m, spec, period=times[0])
    per = run_index(d, m, {**spec, "normalise": {"method": "minmax", "range": [0, 100], "pooled": False}}, period=times[0])
    norm = per.stages["Normalised"]
    first = norm[norm["Time"] == times[0]][per.tree.indicators]
    assert np.allclose(first.min(), 0) and np.allclose(first.max(), 100)
    pn = pooled.stages["Normalised"][pooled.tree.indicators]
    assert np.allclose(pn.min(), 0) and np.allclose(pn.max(), 100)
    assert pooled.period == times[0] and len(pooled.scores) == (d["Time"] == times[0]).sum()


def test_missing_top_score_gives_no_rank(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    # a data threshold of 100 % at level 2 with one gap left by imputation "none" makes that unit's pillar missing
    d = asem[0].copy()
    d.loc[d["uCode"] == "AUT", ["LPI", "Flights", "Ship", "Bord", "Elec", "Gas", "ConSpeed", "Cov4G"]] = np.nan
    spec = {"normalise": {"method": "minmax", "range": [0, 100]},
            "aggregate": {"method": "arithmetic", "dat_thresh": {2: 1.0}}}
    r = run_index(d, asem[1], spec)
    rec = next(x for x in r.records() if x["uCode"] == "AUT")
    assert rec["Physical"] is None and rec["Conn"] is not None
    spec["aggregate"] = {2: {"method": "arithmetic", "dat_thresh": 1.0}, 3: {"method": "arithmetic", "dat_thresh": 1.0},
                         4: "arithmetic"}
    r = run_index(d, asem[1], spec)
    rec = next(x for x in r.records() if x["uCode"] == "AUT")
    assert rec["Conn"] is None and rec["Index"] is not None
    spec["aggregate"][4] = {"method": "arithmetic", "dat_thresh": 1.0}
    r = run_index(d, asem[1], spec)
    import json

    first = json.loads(r.to_json())["scores"][0]  # AUT is the first row: no "<NA>" strings, no rank
    assert first["uCode"] == "AUT" and first["Index"] is None and first["rank"] is None
    ranked = sorted(x["rank"] for x in r.records() if x["Index"] is not None)
    assert ranked[0] == 1 and all(isinstance(v, int | np.integer) for v in ranked)
    assert sum(x["rank"] is None for x in r.records()) == sum(x["Index"] is None for x in r.records())


def test_stats_flags(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    r = run_index(*asem, ASEM_SPEC)
    s = r.stats()
    raw = asem[0]
    flags = s["correlation_flags"]
    for _, f in flags.iterrows():  # every flagged pair shares a parent and correlates above 0.9 (numpy check)
        assert r.tree.parent[f["ind1"]] == r.tree.parent[f["ind2"]] == f["parent"]
        ok = raw[[f["ind1"], f["ind2"]]].dropna().to_numpy()
        assert np.corrcoef(ok.T)[0, 1] > 0.9
    dc = s["denominator_correlations"].set_index(["denominator", "indicator"])
    ok = raw[["Goods", "GDP"]].dropna().to_numpy()
    assert dc.loc[("GDP", "Goods"), "corr"] == pytest.approx(np.corrcoef(ok.T)[0, 1])
    ind = s["indicators"].set_index("iCode")
    assert ind.loc["Flights", "flag_skewkurt"] == "OUT" and ind.loc["LPI", "flag_skewkurt"] == "ok"


def test_entropy_per_period_is_the_mean_of_period_weights(shared) -> None:  # type: ignore[no-untyped-def]
    from planmon.index import read_coinr
    from planmon.index.weights import entropy_weights

    d, m = read_coinr(shared / "data/asem/ASEM_iData_p.csv", shared / "data/asem/ASEM_iMeta.csv")
    spec = {"impute": {"method": "linear"}, "normalise": {"method": "minmax", "range": [0, 1]},
            "weights": {1: {"method": "entropy", "periods": "per_period"}, 2: "meta", 3: "meta"}}
    r = run_index(d, m, spec)
    norm = r.stages["Normalised"]
    kids = r.tree.children("Physical")
    per = [entropy_weights(norm.loc[norm["Time"] == t, kids].to_numpy())[0] for t in sorted(norm["Time"].unique())]
    assert len(per) > 1
    assert [r.weights[k] for k in kids] == pytest.approx(list(np.mean(per, axis=0)))
    pooled = run_index(d, m, {**spec, "weights": {1: {"method": "entropy"}, 2: "meta", 3: "meta"}})
    assert [pooled.weights[k] for k in kids] == pytest.approx(list(entropy_weights(norm[kids].to_numpy())[0]))


def test_text_cell_is_an_error_naming_row_and_column(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d = asem[0].copy()
    d["LPI"] = d["LPI"].astype(object)
    d.loc[3, "LPI"] = "n/a"
    with pytest.raises(IndexInputError) as exc:
        run_index(d, asem[1], None)
    assert exc.value.format("en") == ["iData row 5, column LPI: 'n/a' is not a number"]
    assert "第 5 行 LPI 列" in exc.value.format("zh")[0]


def test_bad_imeta_reports_every_problem_with_row() -> None:
    from planmon.index.tree import build_tree

    meta = pd.DataFrame({"Level": [1, 1, 1, 2, 3], "iCode": ["a", "b", "a", "P", "TOP"], "Direction": [1, 2, 1, 1, 1],
                         "Weight": [1, 1, 1, 1, 1], "Parent": ["P", "Q", "P", "TOP", None],
                         "Type": ["Indicator", "Indicator", "Indicator", "Aggregate", "Aggregate"]})
    with pytest.raises(IndexInputError) as exc:
        build_tree(meta, ["uCode", "a"])
    en = exc.value.format("en")
    assert "iMeta row 3 Direction: direction of b must be 1 or -1" in en
    assert "iMeta row 4 iCode: duplicate code a" in en
    assert "iMeta: Parent 'Q' of b is not a level-2 node" in en
    assert "iData lacks indicator column b" in en
    assert any("第 4 行" in z for z in exc.value.format("zh"))
