"""The measures themselves, on hand-computed series (methods.md §3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planmon.monitor import CONTRACT_COLUMNS, assess
from planmon.monitor.projection import weighted_regression
from tests.monitor.helpers import obs, one, spec


def test_contract_columns() -> None:
    r = one({"2022": 150.0})
    assert list(r.index[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS


def test_shares_cagr_and_projection() -> None:
    # b=2020 v_b=100, T=2025 v*=200, latest 2022 = 144:
    # p = 44/100 = 0.44; τ = 0.4; CAGR_a = 1.44^(1/2) − 1 = 0.2; CAGR_r = 2^(1/5) − 1 = 0.148698;
    # ratio = 1.345; projection 144·1.2³ = 248.832; projected share 1.48832; linear expected 140, gap 4.
    r = one({"2022": 144.0})
    assert r["progress_share"] == pytest.approx(0.44)
    assert r["time_share"] == pytest.approx(0.4)
    assert r["cagr_actual"] == pytest.approx(0.2)
    assert r["cagr_required"] == pytest.approx(2 ** 0.2 - 1)
    assert r["growth_ratio"] == pytest.approx(0.2 / (2 ** 0.2 - 1))
    assert r["projected"] == pytest.approx(248.832)
    assert r["projected_share"] == pytest.approx(1.48832)
    assert r["expected"] == pytest.approx(140.0)
    assert r["gap"] == pytest.approx(4.0)
    assert r["gap_to_target"] == pytest.approx(56.0)


def test_compound_trajectory() -> None:
    # compound path: 100·2^(2/5) = 131.951 at 2022
    r = one({"2022": 144.0}, trajectory="compound")
    assert r["expected"] == pytest.approx(100 * 2 ** 0.4)


def test_points_trajectory() -> None:
    # declared points 2022 → 160: piecewise linear 100 (2020) → 160 (2022) → 200 (2025); at 2021: 130.
    r = one({"2021": 120.0}, trajectory="points", trajectory_points=[(2022.0, 160.0)])
    assert r["expected"] == pytest.approx(130.0)


def test_regression_on_exact_line() -> None:
    # Points exactly on v = 100 + 10·(t − 2020): any weighting returns the line; at 2025: 150.
    r = one({"2021": 110.0, "2022": 120.0, "2023": 130.0})
    assert r["projected_regression"] == pytest.approx(150.0)


def test_weighted_regression_weights_recent_points() -> None:
    # Points (0,0), (1,0), (2,3). OLS: x̄ = 1, ȳ = 1, Sxy = 1 + 0 + 2 = 3, Sxx = 2, slope 1.5; at x=3: 1 + 1.5·2 = 4.0.
    # Weights 1,2,3: x̄ = (0+2+6)/6 = 4/3, ȳ = 9/6 = 1.5; Sxx = 1·16/9 + 2·1/9 + 3·4/9 = 30/9;
    # Sxy = 1·(−4/3)(−1.5) + 2·(−1/3)(−1.5) + 3·(2/3)(1.5) = 2 + 1 + 3 = 6; slope = 6/(30/9) = 1.8;
    # at x = 3: 1.5 + 1.8·(3 − 4/3) = 4.5.
    t = np.array([[0.0, 1.0, 2.0]])
    v = np.array([[0.0, 0.0, 3.0]])
    m = np.ones((1, 3), dtype=bool)
    assert weighted_regression(t, v, m, np.array([3.0]), power=0.0)[0] == pytest.approx(4.0)
    assert weighted_regression(t, v, m, np.array([3.0]), power=1.0)[0] == pytest.approx(4.5)


def test_as_of_cuts_later_observations() -> None:
    r = one({"2021": 120.0, "2023": 160.0}, as_of="2022")
    assert r["latest_period"] == "2021"
    assert r["reference_period"] == "2022"


def test_generic_spec_applies_to_every_observed_unit() -> None:
    o = pd.DataFrame(obs({"2022": 150.0}, unit="A") + obs({"2022": 120.0}, unit="B"))
    s = pd.DataFrame([{k: v for k, v in spec().items() if k != "unit"}])
    df = assess(o, s).set_index("unit")
    assert df.loc["A", "progress_share"] == pytest.approx(0.5)
    assert df.loc["B", "progress_share"] == pytest.approx(0.2)


def test_framework_indicators_list() -> None:
    from planmon import load_framework

    fw = load_framework()
    df = assess(pd.DataFrame([o.model_dump() for o in fw.observations]), fw.indicators)
    r = df.set_index("indicator")
    # I01 (issue 15: CNNIC 57th report, 2025 = 11.25): p = (11.25 − 9.89)/(12 − 9.89) = 0.64455; τ = 5/5 = 1.
    assert r.loc["I01", "progress_share"] == pytest.approx(1.36 / 2.11)
    assert r.loc["I01", "time_share"] == pytest.approx(1.0)
    assert r.loc["I01", "status"] == "lagging"  # 0.645 < 0.9·1.0
    assert r.loc["I03", "status"] == "achieved"  # 24000 (2025) ≥ 6000
