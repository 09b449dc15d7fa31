"""Weights and scorers against independent, maintained implementations (issue #16): same inputs,
same outputs to 1e-9. pymcdm 1.4.0 (entropy, CRITIC, TOPSIS, AHP) and scikit-learn (PCA), both in
the ``test`` extra; inputs are the real provincial panel (../shared/data/provinces)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pymcdm import normalizations
from pymcdm.methods import TOPSIS
from pymcdm.weights import critic_weights as pm_critic
from pymcdm.weights import entropy_weights as pm_entropy
from pymcdm.weights.subjective import AHP
from sklearn.decomposition import PCA

from planmon.index import run_index
from planmon.index.scorers import pca_score
from planmon.index.weights import ahp_priorities, critic_weights, entropy_weights

TOL = dict(rtol=1e-9, atol=1e-12)
CODES = [f"x{i}" for i in range(1, 23)]


@pytest.fixture(scope="module")
def raw(shared: Path) -> np.ndarray:
    d = pd.read_csv(shared / "data" / "provinces" / "digital_panel_2013_2022.csv")
    return d.loc[d["year"] == 2022, CODES].to_numpy(dtype=float)  # 31 provinces × 22 indicators, all positive


def _flat(x: np.ndarray, directions: list[int], weights: list[float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    k = x.shape[1]
    codes = [f"c{j}" for j in range(k)]
    idata = pd.DataFrame(x, columns=codes)
    idata.insert(0, "uCode", [f"U{i:02d}" for i in range(len(x))])
    meta = pd.DataFrame({"Level": [1] * k + [2], "iCode": [*codes, "TOP"], "Direction": [*directions, 1],
                         "Weight": [*(weights or [1.0] * k), 1.0], "Parent": ["TOP"] * k + [None],
                         "Type": ["Indicator"] * k + ["Aggregate"]})
    return idata, meta


def test_entropy_on_raw_shares_equals_pymcdm(raw: np.ndarray) -> None:
    w, _ = entropy_weights(raw, shift=0.0, standardise="none")
    assert np.allclose(w, pm_entropy(raw), **TOL)
    # through a spec: shares are scale-free, so shares of x/max (fracmax) are the raw shares
    run = run_index(*_flat(raw, [1] * 22), {"normalise": "fracmax",
                                            "weights": {"method": "entropy", "standardise": "none", "epsilon": 0}})
    got = np.array([run.weights[f"c{j}"] for j in range(22)])
    assert np.allclose(got, pm_entropy(raw), **TOL)


def test_critic_equals_pymcdm(raw: np.ndarray) -> None:
    assert np.allclose(critic_weights(raw), pm_critic(raw), **TOL)
    run = run_index(*_flat(raw, [1] * 22), {"normalise": {"method": "minmax", "range": [0, 1]},
                                            "weights": {"method": "critic", "scope": "global"}})
    got = np.array([run.weights[f"c{j}"] for j in range(22)])
    assert np.allclose(got, pm_critic(raw), **TOL)


@pytest.mark.parametrize("form", ["minmax", "vector_step", "vector_scorer"])
def test_topsis_with_cost_criteria_equals_pymcdm(raw: np.ndarray, form: str) -> None:
    x = raw[:, :8]
    types = np.array([1, -1, 1, 1, -1, 1, 1, -1])  # three criteria treated as costs
    w = np.array([3.0, 1, 2, 1, 1, 2, 1, 1])
    ws = w / w.sum()
    if form == "minmax":
        spec = {"normalise": {"method": "minmax", "range": [0, 1]}, "scorer": "topsis"}
        want = TOPSIS()(x, ws, types)
    elif form == "vector_step":
        spec = {"normalise": "vector", "scorer": "topsis"}
        want = TOPSIS(normalizations.vector_normalization)(x, ws, types)
    else:
        spec = {"scorer": {"method": "topsis", "vector": True}}
        want = TOPSIS(normalizations.vector_normalization)(x, ws, types)
    run = run_index(*_flat(x, types.tolist(), w.tolist()), spec)
    assert np.allclose(run.scores["TOP"], want, **TOL)


@pytest.mark.parametrize("n", [3, 4, 5, 7])
def test_ahp_equals_pymcdm(n: int) -> None:
    rng = np.random.default_rng(n)
    scale = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9])
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = rng.choice(scale)
            a[j, i] = 1 / a[i, j]
    ahp = AHP(matrix=a)
    want = ahp()
    w, _lam, _ci, cr = ahp_priorities(a, ri="tummala_ling", priority="eigen")
    assert np.allclose(w, want, **TOL)
    assert cr == pytest.approx(ahp.get_cr(), rel=1e-9)


@pytest.mark.parametrize("rule", [{"rule": "fixed", "k": 3}, {"rule": "kaiser"}, {"rule": "max", "cum_share": 0.9}])
def test_pca_composite_equals_scikit_learn(raw: np.ndarray, rule: dict) -> None:  # type: ignore[type-arg]
    from planmon.index.scorers import Retain

    x = np.log(raw)
    score, info = pca_score(x, retain=Retain(**rule), sign="max_loading")
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    k = info["retained"]
    pca = PCA(n_components=k, svd_solver="full").fit(z)
    assert np.allclose(pca.explained_variance_, info["eigenvalues"][:k], **TOL)
    assert np.allclose(pca.components_, np.array(info["loadings"]).T, rtol=1e-9, atol=1e-9)  # same sign convention
    share = pca.explained_variance_ / pca.explained_variance_.sum()
    assert np.allclose(score, pca.transform(z) @ share, rtol=1e-9, atol=1e-9)
