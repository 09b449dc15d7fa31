"""Both sides of every class boundary of every scheme, with the hand calculation in a comment.

Sources of the rules: methods.md §3.6 (ndrc), §3.2 (Open SDG), §3.3 (UNSD), §3.4 (SDSN).
"""

from __future__ import annotations

import pytest

from planmon.monitor import SCHEMES, STATUS_LABELS, STATUS_ORDER
from tests.monitor.helpers import one

# ---------------------------------------------------------------- ndrc
# Baseline 100 (2020), target 200 (2025); latest in 2022: time share τ = (2022−2020)/(2025−2020) = 0.4.
# δ = 0.10: faster when p ≥ 0.4·1.1 = 0.44 ⇔ v ≥ 144; as expected when p ≥ 0.4·0.9 = 0.36 ⇔ v ≥ 136.


@pytest.mark.parametrize(("value", "status"), [
    (200.0, "achieved"),      # v ≥ target
    (199.9, "faster"),        # p = 0.999 ≥ 0.44, target not met
    (144.0, "faster"),        # p = 0.44 = τ(1+δ): the boundary belongs to "faster"
    (143.9, "as_expected"),   # p = 0.439 < 0.44
    (136.0, "as_expected"),   # p = 0.36 = τ(1−δ): boundary belongs to "as expected"
    (135.9, "lagging"),       # p = 0.359 < 0.36
    (90.0, "lagging"),        # p = −0.1 (regression)
])
def test_ndrc_increase(value: float, status: str) -> None:
    r = one({"2022": value})
    assert r["status"] == status
    assert r["time_share"] == pytest.approx(0.4)


# Lower is better: baseline 100, target 50; τ = 0.4. p = (v − 100)/(50 − 100).
# faster: p ≥ 0.44 ⇔ v ≤ 78; as expected: p ≥ 0.36 ⇔ v ≤ 82.
@pytest.mark.parametrize(("value", "status"), [
    (50.0, "achieved"), (50.1, "faster"), (78.0, "faster"), (78.1, "as_expected"),
    (82.0, "as_expected"), (82.1, "lagging"), (110.0, "lagging"),
])
def test_ndrc_decrease(value: float, status: str) -> None:
    r = one({"2022": value}, direction="-", target=("2025", 50.0))
    assert r["status"] == status


def test_ndrc_delta_is_a_parameter_and_recorded() -> None:
    # δ = 0.2: faster needs p ≥ 0.4·1.2 = 0.48 ⇔ v ≥ 148; v = 145 (p = 0.45) is now "as expected".
    r = one({"2022": 145.0}, params={"delta": 0.2})
    assert r["status"] == "as_expected"
    assert '"delta": 0.2' in r["scheme_params"]
    assert one({"2022": 145.0})["status"] == "faster"


# ---------------------------------------------------------------- opensdg
# Baseline 100 (2020), target 200 (2030): CAGR_r = 2^(1/10) − 1 = 0.0717735. Latest in 2025 (5 years).
# v(R) = 100·(1 + R·0.0717735)^5: R=0.96 → 139.537, 0.94 → 138.603, 0.61 → 123.894, 0.59 → 123.044,
# 0.01 → 100.359, −0.01 → 99.642.
@pytest.mark.parametrize(("value", "status"), [
    (200.0, "achieved"),
    (139.537, "on_track"), (138.603, "acceleration_needed"),
    (123.894, "acceleration_needed"), (123.044, "limited_progress"),
    (100.359, "limited_progress"), (99.642, "deterioration"),
])
def test_opensdg_with_target(value: float, status: str) -> None:
    r = one({"2025": value}, scheme="opensdg", target=("2030", 200.0))
    assert r["status"] == status


def test_opensdg_ratio_value() -> None:
    # v = 139.0695 is R = 0.95 exactly: CAGR_a = 1.390695^(1/5) − 1 = 0.0681848 = 0.95 × 0.0717735.
    r = one({"2025": 139.06951733216994}, scheme="opensdg", target=("2030", 200.0))
    assert r["growth_ratio"] == pytest.approx(0.95)
    assert r["status"] == "on_track"


# No target: g = CAGR_a; 100·1.016^5 = 108.260 (1.6%), 1.014^5 → 107.199, 1.006^5 → 103.036,
# 1.004^5 → 102.016, 1.001^5 → 100.501, 0.999^5 → 99.501.
@pytest.mark.parametrize(("value", "status"), [
    (108.260, "on_track"), (107.199, "acceleration_needed"), (103.036, "acceleration_needed"),
    (102.016, "limited_progress"), (100.501, "limited_progress"), (99.501, "deterioration"),
])
def test_opensdg_without_target(value: float, status: str) -> None:
    r = one({"2025": value}, scheme="opensdg", target=None)
    assert r["status"] == status


def test_opensdg_without_target_lower_is_better() -> None:
    # Lower is better, g = −CAGR_a: a fall to 100·0.984^5 = 92.25 is g = +1.6% → on track.
    assert one({"2025": 100 * 0.984**5}, scheme="opensdg", target=None, direction="-")["status"] == "on_track"
    assert one({"2025": 100 * 1.001**5}, scheme="opensdg", target=None, direction="-")["status"] == "deterioration"


# ---------------------------------------------------------------- unsd
# Baseline 100 (2020), target 200 (2030), latest in 2025. Compound projection v̂ = v·(1+CAGR_a)^5 = v²/100,
# so P = (v²/100 − 100)/100: P ≥ 0.95 ⇔ v ≥ 100·√1.95 = 139.642; P ≥ 0.10 ⇔ v ≥ 100·√1.1 = 104.881.
# √1.96·100 = 140.0 (P = 0.96), √1.94·100 = 139.284 (P = 0.94), √1.11 → 105.357, √1.09 → 104.403.
@pytest.mark.parametrize(("value", "status"), [
    (200.0, "achieved"),
    (140.0, "on_track"), (139.284, "fair_progress"),
    (105.357, "fair_progress"), (104.403, "stagnation"),
])
def test_unsd_with_target(value: float, status: str) -> None:
    r = one({"2025": value}, scheme="unsd", target=("2030", 200.0))
    assert r["status"] == status


def test_unsd_projection_value() -> None:
    # v = 140: CAGR_a = 1.4^(1/5) − 1; v̂_2030 = 140 · 1.4 = 196; P = 96/100 = 0.96.
    r = one({"2025": 140.0}, scheme="unsd", target=("2030", 200.0))
    assert r["projected"] == pytest.approx(196.0)
    assert r["projected_share"] == pytest.approx(0.96)


# No target: 2% / 0.5%: 100·1.021^5 = 110.950, 1.019^5 → 109.868, 1.006^5 → 103.036, 1.004^5 → 102.016.
@pytest.mark.parametrize(("value", "status"), [
    (110.950, "on_track"), (109.868, "fair_progress"), (103.036, "fair_progress"), (102.016, "stagnation"),
])
def test_unsd_without_target(value: float, status: str) -> None:
    assert one({"2025": value}, scheme="unsd", target=None)["status"] == status


# ---------------------------------------------------------------- sdsn
# Baseline 100 (2020) = score 0, target 200 (2030) = score 100; latest 2025: τ = 0.5.
# g_req = 100/10 = 10 points/year; g_obs = 100·p/5. Ratio = p/0.5:
# on track p ≥ 0.5 ⇔ v ≥ 150; moderately improving p ≥ 0.25 ⇔ v ≥ 125; stagnating p ≥ 0 ⇔ v ≥ 100.
@pytest.mark.parametrize(("value", "status"), [
    (200.0, "on_track"), (150.0, "on_track"), (149.9, "moderately_improving"),
    (125.0, "moderately_improving"), (124.9, "stagnating"), (100.0, "stagnating"), (99.9, "decreasing"),
])
def test_sdsn(value: float, status: str) -> None:
    assert one({"2025": value}, scheme="sdsn", target=("2030", 200.0))["status"] == status


def test_labels_cover_every_code() -> None:
    for scheme in SCHEMES:
        assert set(STATUS_LABELS[scheme]) == set(STATUS_ORDER[scheme])
        for zh, en in STATUS_LABELS[scheme].values():
            assert zh and en
    assert STATUS_LABELS["ndrc"]["achieved"] == ("提前实现", "achieved")
    assert STATUS_LABELS["ndrc"]["lagging"][0] == "滞后"


def test_exact_codes() -> None:
    # The codes are a contract (issue #4, point 2).
    assert STATUS_ORDER["ndrc"] == ("achieved", "faster", "as_expected", "lagging")
    assert set(STATUS_ORDER["opensdg"]) == {"achieved", "on_track", "acceleration_needed", "limited_progress",
                                            "deterioration"}
    assert set(STATUS_ORDER["unsd"]) == {"achieved", "on_track", "fair_progress", "stagnation"}
    assert set(STATUS_ORDER["sdsn"]) == {"on_track", "moderately_improving", "stagnating", "decreasing"}


def test_unknown_scheme_is_rejected() -> None:
    from planmon.monitor import ParamError
    with pytest.raises(ParamError):
        one({"2022": 150.0}, scheme="nope")
    with pytest.raises(ParamError):
        one({"2022": 150.0}, params={"detla": 0.2})
