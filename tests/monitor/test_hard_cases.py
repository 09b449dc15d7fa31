"""Each hard case of issue #4 point 3 produces a stated note, never a crash or a silent NaN."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planmon.monitor import assess
from tests.monitor.helpers import obs, one, spec

NUMERIC = ["progress_share", "time_share", "expected", "cagr_actual", "cagr_required", "growth_ratio", "projected",
           "projected_share"]


def _nan_fields(r: pd.Series) -> list[str]:
    return [c for c in NUMERIC if isinstance(r[c], float) and math.isnan(r[c])]


def test_baseline_equal_to_target_held() -> None:
    # Target = baseline = 100 (hold the level): 105 meets it → achieved; 95 does not → lagging, stated.
    ok = one({"2022": 105.0}, target=("2025", 100.0))
    assert ok["status"] == "achieved"
    assert "baseline_equals_target" in ok["note_codes"]
    bad = one({"2022": 95.0}, target=("2025", 100.0))
    assert bad["status"] == "lagging"
    assert {"baseline_equals_target", "held_level_not_met"} <= set(bad["note_codes"])
    assert math.isnan(bad["progress_share"])  # undefined, and the note says so
    assert "baseline equals target" in bad["notes"] and "基期值等于目标值" in bad["notes_zh"]


# ndrc and sdsn measure linear distances; opensdg and unsd follow their publishers' own zero rules by default
# (issue 20, tests/monitor/test_publisher_rules.py), so the linear fallback is their named variant edge_rule=linear.
@pytest.mark.parametrize(("scheme", "params"), [("ndrc", None), ("opensdg", {"edge_rule": "linear"}),
                                                ("unsd", {"edge_rule": "linear"}), ("sdsn", None)])
def test_zero_baseline_falls_back_to_linear(scheme: str, params: dict[str, str] | None) -> None:
    # Baseline 0 → CAGR undefined. Linear: p = 30/100 = 0.3, τ = 2/5 = 0.4; linear ratio = 0.75.
    r = one({"2022": 30.0}, baseline=("2020", 0.0), target=("2025", 100.0), scheme=scheme, params=params)
    assert "compound_undefined_linear_used" in r["note_codes"]
    assert r["growth_ratio"] == pytest.approx(0.75)
    # linear projection: 30 + 30/2·3 = 75 → projected share 0.75
    assert r["projected"] == pytest.approx(75.0)
    assert r["status"] is not None and isinstance(r["status"], str)
    assert math.isnan(r["cagr_actual"])


def test_negative_values_fall_back_to_linear() -> None:
    # A balance going from −50 to −20 towards 0: p = 30/50 = 0.6, τ = 0.4 → faster (0.6 ≥ 0.44).
    r = one({"2022": -20.0}, baseline=("2020", -50.0), target=("2025", 0.0))
    assert "compound_undefined_linear_used" in r["note_codes"]
    assert r["status"] == "faster"
    assert r["growth_method"] == "linear"


def test_only_one_observation() -> None:
    r = one({"2022": 150.0})
    assert "single_observation" in r["note_codes"]
    assert math.isnan(r["projected_regression"])  # no regression with 2 points, and the note says why
    assert r["projected"] == pytest.approx(150 * 1.5 ** 1.5)  # CAGR from the baseline: (1.5)^(1/2); 3 more years


def test_no_observation_after_baseline() -> None:
    df = assess(pd.DataFrame(obs({"2020": 100.0})), pd.DataFrame([spec()]))
    r = df.iloc[0]
    assert r["status"] is None or pd.isna(r["status"])
    assert "no_observation" in r["note_codes"]


def test_stale_data() -> None:
    # Latest 2021; reference (as of) 2024: 3 years > 2 (default) → stale.
    r = one({"2021": 120.0}, as_of="2024")
    assert r["stale"] and "stale" in r["note_codes"]
    assert r["age_periods"] == pytest.approx(3.0)
    assert "3 periods" in r["notes"]
    # threshold configurable
    assert not one({"2021": 120.0}, as_of="2024", params={"stale_periods": 3})["stale"]


def test_stock_partial_year_may_show_target_met() -> None:
    # A stock (users): 2024-10 value 210 ≥ 200 → achieved before the year ends, with a note.
    r = one({"2023": 150.0, "2024-10": 210.0}, kind="stock")
    assert r["status"] == "achieved"
    assert r["latest_period"] == "2024-10"
    assert "partial_year_latest" in r["note_codes"]
    # time axis: 2024-10 sits at 2023 + 10/12
    assert r["time_share"] == pytest.approx((2023 + 10 / 12 - 2020) / 5)


def test_flow_partial_year_never_compared_with_annual_target() -> None:
    # A flow (annual sales): the 2024-10 cumulative 210 must not count as meeting the annual target 200.
    r = one({"2023": 150.0, "2024-10": 210.0}, kind="flow")
    assert r["status"] != "achieved"
    assert r["latest_period"] == "2023"
    assert "flow_partial_year_ignored" in r["note_codes"]
    assert "2024-10" in r["notes"]


def test_flow_with_only_partial_year_values() -> None:
    r = one({"2021-06": 80.0}, kind="flow")
    assert "flow_partial_year_ignored" in r["note_codes"]
    assert r["status"] is None or pd.isna(r["status"])


def test_proxy_series_is_stated() -> None:
    o = pd.DataFrame(obs({"2022": 150.0}, proxy=True))
    r = assess(o, pd.DataFrame([spec()])).iloc[0]
    assert "proxy_series" in r["note_codes"] and r["proxy"]
    r2 = one({"2022": 150.0}, proxy=True)
    assert "proxy_series" in r2["note_codes"]


def test_no_baseline_uses_first_observation() -> None:
    r = one({"2021": 100.0, "2023": 130.0}, baseline=None, target=("2025", 160.0))
    assert "baseline_from_first_observation" in r["note_codes"]
    assert r["baseline_period"] == "2021"
    assert r["progress_share"] == pytest.approx(0.5)  # 30/60


def test_target_period_equal_to_baseline_period() -> None:
    r = one({"2021": 120.0}, target=("2020", 150.0))
    assert "target_period_is_baseline_period" in r["note_codes"]


def test_every_nan_has_a_note() -> None:
    # Across a mix of awkward series, a row with an undefined measure always carries a note.
    cases = [
        one({"2022": 105.0}, target=("2025", 100.0)),
        one({"2022": 30.0}, baseline=("2020", 0.0)),
        one({"2021": 100.0}, as_of="2020"),
        one({"2021-06": 80.0}, kind="flow"),
        one({"2022": 120.0}, target=None),
    ]
    for r in cases:
        if _nan_fields(r):
            assert r["notes"] and r["notes_zh"], r.to_dict()


def test_bad_period_is_an_input_error() -> None:
    from planmon.monitor import InputError
    with pytest.raises(InputError) as exc:
        assess(pd.DataFrame(obs({"2022x": 1.0})), pd.DataFrame([spec()]))
    assert "2022x" in str(exc.value)
