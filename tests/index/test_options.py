"""The options of issue #16, each against a hand calculation: PCA retention, the transform family,
the final rescale, the entropy constants, the shifted log1p of the skew-triggered treatment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planmon.index import IndexInputError, run_index
from planmon.index.scorers import Retain, retained
from planmon.index.weights import entropy_weights


def _one_pillar(x: np.ndarray, time: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    k = x.shape[1]
    codes = [f"c{j}" for j in range(k)]
    idata = pd.DataFrame(x, columns=codes)
    idata.insert(0, "uCode", [f"U{i}" for i in range(len(x))] if time is None else [f"U{i % 2}" for i in range(len(x))])
    if time is not None:
        idata.insert(1, "Time", time)
    meta = pd.DataFrame({"Level": [1] * k + [2], "iCode": [*codes, "TOP"], "Direction": [1] * (k + 1),
                         "Weight": [1.0] * (k + 1), "Parent": ["TOP"] * k + [None],
                         "Type": ["Indicator"] * k + ["Aggregate"]})
    return idata, meta


@pytest.mark.parametrize(("rule", "k"), [
    # eigenvalues 2.5, 1.2, 0.2, 0.1: shares .625, .925, .975, 1 — Kaiser (≥ 1) keeps 2
    ({"rule": "kaiser"}, 2), ({"rule": "cumulative", "cum_share": 0.6}, 1), ({"rule": "cumulative", "cum_share": 0.95}, 3),
    ({"rule": "max", "cum_share": 0.95}, 3), ({"rule": "min", "cum_share": 0.95}, 2), ({"rule": "max", "cum_share": 0.6}, 2),
    ({"rule": "min", "cum_share": 0.6}, 1), ({"rule": "fixed", "k": 4}, 4), ({"rule": "kaiser", "min_eigen": 3}, 1),
    ({"rule": "cumulative", "cum_share": 0.925}, 2),  # reached exactly: the fewest reaching it
])
def test_pca_retention_rules(rule: dict, k: int) -> None:  # type: ignore[type-arg]
    got, zh, en = retained(np.array([2.5, 1.2, 0.2, 0.1]), Retain(**rule))
    assert got == k and zh and en and zh != en


def test_pca_retain_and_old_keys_are_not_mixed() -> None:
    x = np.random.default_rng(1).normal(size=(20, 3))
    with pytest.raises(IndexInputError, match="retain"):
        run_index(*_one_pillar(x), {"scorer": {"method": "pca", "retain": {"rule": "kaiser"}, "min_eigen": 1}})


@pytest.mark.parametrize(("t", "want"), [
    ({"fn": "log", "shift": "min", "c": 1}, [0.0, math.log(2), math.log(5)]),          # ln(x − 1 + 1)
    ({"fn": "log1p", "shift": "min", "c": 0}, [0.0, math.log(2), math.log(5)]),        # ln(1 + x − 1)
    ({"fn": "log", "c": 0.5}, [math.log(1.5), math.log(2.5), math.log(5.5)]),          # ln(x + 0.5)
    ({"fn": "boxcox", "lambda": 0.5}, [0.0, (math.sqrt(2) - 1) / 0.5, (math.sqrt(5) - 1) / 0.5]),  # y = x − min + 1
    ({"fn": "sqrt", "shift": "min"}, [0.0, 1.0, 2.0]),
    ("log10", [0.0, math.log10(2), math.log10(5)]),
])
def test_transform_family(t: object, want: list[float]) -> None:
    x = np.array([[1.0], [2.0], [5.0]])
    run = run_index(*_one_pillar(x), {"transform": {"indicators": {"c0": t}}})
    assert np.allclose(run.stages["Transformed"]["c0"], want, rtol=1e-12)


def test_transform_out_of_domain_names_unit_indicator_and_formula() -> None:
    x = np.array([[1.0], [0.0], [5.0]])
    with pytest.raises(IndexInputError) as exc:
        run_index(*_one_pillar(x), {"transform": {"indicators": {"c0": "log"}}})
    assert exc.value.format("en") == ["transform: ln(x) is undefined for unit U1, indicator c0 (value 0)"]


def test_skew_trigger_transforms_only_the_skewed_indicator() -> None:
    # COINr vignette: x = (1…10, 30, 100) has skewness 3.063241 (type 2); 1…12 has skewness 0
    x = np.c_[np.r_[np.arange(1, 11), 30, 100], np.arange(1, 13)].astype(float)
    run = run_index(*_one_pillar(x), {"transform": {"when": {"skew": 2.0, "type": 2}, "apply": {"fn": "log", "shift": "min", "c": 1}}})
    t = run.stages["Transformed"]
    assert np.allclose(t["c0"], np.log(x[:, 0] - 1 + 1)) and np.allclose(t["c1"], x[:, 1])
    info = run.log[0]["info"]
    assert info["transforms"] == {"c0": "ln(x − min + 1)"} and info["trigger"]["skew"]["c0"] == pytest.approx(3.063241, abs=1e-6)


def test_log1p_skew_with_shift_and_constant() -> None:
    x = np.c_[np.r_[np.arange(1, 11), 30, 100]].astype(float)
    run = run_index(*_one_pillar(x), {"treat": {"method": "log1p_skew", "threshold": 1, "shift": "min", "c": 2}})
    assert np.allclose(run.stages["Treated"]["c0"], np.log1p(x[:, 0] - 1 + 2))


def test_rescale_pooled_and_per_period() -> None:
    # two units, two periods; one indicator; the index equals the min–max [0, 100] score
    x = np.array([[1.0], [3.0], [5.0], [9.0]])  # rows: U0 t1, U1 t1, U0 t2, U1 t2
    base = {"normalise": {"method": "minmax", "range": [0, 100]}}
    pooled = run_index(*_one_pillar(x, [1, 1, 2, 2]), {**base, "rescale": {"range": [10, 20], "pooled": True}})
    assert np.allclose(pooled.stages["Aggregated"]["TOP"], [10, 12.5, 15, 20])  # (s − 1)/8 on [10, 20]
    per = run_index(*_one_pillar(x, [1, 1, 2, 2]), {**base, "rescale": {"range": [0, 100], "pooled": False}})
    assert np.allclose(per.stages["Aggregated"]["TOP"], [0, 100, 0, 100])
    times = run_index(*_one_pillar(x, [1, 1, 2, 2]), {**base, "rescale": {"method": "factor", "factor": 0.5}})
    assert np.allclose(times.stages["Aggregated"]["TOP"], [0, 12.5, 25, 50])  # 0.5 × (0, 25, 50, 100)
    with pytest.raises(IndexInputError, match=r"rescale\.levels"):
        run_index(*_one_pillar(x, [1, 1, 2, 2]), {**base, "rescale": {"levels": [5]}})


def test_entropy_epsilon_placement_and_standardisation() -> None:
    x = np.array([[0, 1], [1, 1], [2, 4.0]])
    # column 1 after min–max: (0, 0.5, 1) → shares (0, 1/3, 2/3)
    _w, e = entropy_weights(x, 0.01, epsilon_at="share")
    p = np.array([0, 1 / 3, 2 / 3])
    assert e[0] == pytest.approx(-(p * np.log(p + 0.01)).sum() / math.log(3), rel=1e-12)
    _w, e = entropy_weights(x, 0.01, epsilon_at="value")
    q = (np.array([0, 0.5, 1]) + 0.01) / 1.53
    assert e[0] == pytest.approx(-(q * np.log(q)).sum() / math.log(3), rel=1e-12)
    # standardise none: shares of the data as given, column 2 = (1, 1, 4)/6
    _w, e = entropy_weights(x, 0.0, standardise="none")
    r = np.array([1, 1, 4]) / 6
    assert e[1] == pytest.approx(-(r * np.log(r)).sum() / math.log(3), rel=1e-12)
    with pytest.raises(IndexInputError, match="non-negative"):
        entropy_weights(-x - 1, 0.0, standardise="none")


def test_entropy_shift_and_epsilon_are_one_constant() -> None:
    x = np.random.default_rng(2).uniform(1, 5, size=(10, 3))
    with pytest.raises(IndexInputError, match="same constant"):
        run_index(*_one_pillar(x), {"normalise": "minmax", "weights": {"method": "entropy", "shift": 0.01, "epsilon": 0.01}})
    a = run_index(*_one_pillar(x), {"normalise": "minmax", "weights": {"method": "entropy", "shift": 0.01}})
    b = run_index(*_one_pillar(x), {"normalise": "minmax", "weights": {"method": "entropy", "epsilon": 0.01}})
    assert a.weights == b.weights
