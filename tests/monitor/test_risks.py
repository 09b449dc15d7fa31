"""Each risk rule fires on a hand-built case, quotes its numbers, and obeys its settings."""

from __future__ import annotations

import pandas as pd
import pytest

from planmon.monitor import ParamError, assess, find_risks
from tests.monitor.helpers import obs, risks_of, spec


def _rules(df: pd.DataFrame) -> set[str]:
    return set(df["rule"])


def test_projected_shortfall_quotes_numbers() -> None:
    # 100 → 121 in two years: CAGR 10%; 2025: 121·1.1³ = 161.051 < 200; projected share 0.61051.
    r = risks_of({"2021": 110.0, "2022": 121.0})
    f = r[r["rule"] == "projected_shortfall"].iloc[0]
    assert f["severity"] == "medium"
    assert f["evidence"]["projected"] == pytest.approx(161.051)
    assert "161.1" in f["message_en"] and "161.1" in f["message_zh"] and "200" in f["message_zh"]
    assert "61.1%" in f["message_en"]


def test_projected_shortfall_threshold_and_high_severity() -> None:
    # projected share 0.61051 < high_below 0.7 → high
    r = risks_of({"2021": 110.0, "2022": 121.0}, rules={"projected_shortfall": {"high_below": 0.7}})
    assert r[r["rule"] == "projected_shortfall"]["severity"].iloc[0] == "high"
    r = risks_of({"2021": 110.0, "2022": 121.0}, rules={"projected_shortfall": {"threshold": 0.6}})
    assert "projected_shortfall" not in _rules(r)


def test_moving_away() -> None:
    # Rising, then falling: 2021 150, 2022 140 (higher is better) → moving away; high severity.
    r = risks_of({"2021": 150.0, "2022": 140.0})
    f = r[r["rule"] == "moving_away"].iloc[0]
    assert f["severity"] == "high"
    assert f["evidence"]["previous"] == 150.0 and f["evidence"]["latest"] == 140.0
    # Lower is better, falling towards the target: not moving away.
    r = risks_of({"2021": 90.0, "2022": 80.0}, direction="-", target=("2025", 50.0))
    assert "moving_away" not in _rules(r)


def test_lagging_time_half_time_half_task() -> None:
    # 2023: τ = 0.6 ≥ 0.5, p = 0.3 < 0.6 → 时间过半、任务未过半
    r = risks_of({"2023": 130.0})
    f = r[r["rule"] == "lagging_time"].iloc[0]
    assert "60.0%" in f["message_zh"] and "30.0%" in f["message_zh"]
    # 2022: τ = 0.4 < 0.5 → not yet checked
    assert "lagging_time" not in _rules(risks_of({"2022": 110.0}))
    assert "lagging_time" not in _rules(risks_of({"2023": 130.0}, rules={"lagging_time": {"enabled": False}}))


def test_binding_indicator_off_track_is_high() -> None:
    r = risks_of({"2023": 130.0}, attribute="binding")
    f = r[r["rule"] == "binding_off_track"].iloc[0]
    assert f["severity"] == "high" and "约束性" in f["message_zh"]
    assert "binding_off_track" not in _rules(risks_of({"2023": 190.0}, attribute="binding"))


def test_missing_and_stale_data() -> None:
    o = pd.DataFrame(obs({"2021": 110.0}, unit="A") + obs({"2020": 100.0}, unit="B") + obs({"2024": 150.0}, unit="C"))
    s = pd.DataFrame([spec(unit="A"), spec(unit="B"), spec(unit="C")])
    a = assess(o, s)
    r = find_risks(a, o, s)
    got = {(x["rule"], x["unit"]) for _, x in r.iterrows()}
    assert ("missing_data", "B") in got
    # A: latest 2021, reference = latest period in the data (2024): 3 > 2 years → stale
    assert ("stale_data", "A") in got
    assert ("stale_data", "C") not in got


def test_series_break() -> None:
    # Steady ~5% a year, then ×3 in one year: |log 3| = 1.10 > 3 × median |log change| (≈ 0.049).
    r = risks_of({"2021": 105.0, "2022": 110.0, "2023": 330.0, "2024": 345.0}, target=("2025", 400.0))
    f = r[r["rule"] == "series_break"].iloc[0]
    assert f["evidence"]["from_period"] == "2022" and f["evidence"]["to_period"] == "2023"
    assert f["evidence"]["change"] == pytest.approx(2.0)
    # Fast but steady growth (gigabit users 640 → 3456 → 9175 → 16280) is not a break.
    r = risks_of({"2021": 3456.0, "2022": 9175.0, "2023": 16280.0}, baseline=("2020", 640.0),
                 target=("2025", 60000.0))
    assert "series_break" not in _rules(r)


def test_unknown_rule_or_setting_is_rejected() -> None:
    with pytest.raises(ParamError):
        risks_of({"2022": 110.0}, rules={"nope": {}})
    with pytest.raises(ParamError):
        risks_of({"2022": 110.0}, rules={"stale_data": {"severity": "urgent"}})


def test_achieved_series_has_no_progress_risk() -> None:
    r = risks_of({"2021": 150.0, "2022": 210.0})
    assert not ({"projected_shortfall", "lagging_time", "moving_away"} & _rules(r))
