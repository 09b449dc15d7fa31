"""Each scheme's edge rules as its publisher defines them (issue 20), with the hand calculation in a comment.

Sources: Open SDG / Statistics Canada, open-sdg docs/progress-methodology.md ("Special considerations for
the base value and the target value", "Minimum data requirements", natural limits, "Aggregated progress
status", "Special considerations for the base year"); UNSD 2023 Progress Chart note as adopted by Eustat
(EUSTAT-DES/site _pages/en/metodologia.md: base year 2015, else the first year after or before it that
leaves two values); SDSN trends since 2015 (methods.md §3.4). CAGR(a→b, n) = (b/a)^(1/n) − 1.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from planmon.monitor import assess
from tests.monitor.helpers import obs, one, spec

LINEAR = {"edge_rule": "linear"}  # planmon's variant before issue 20


# ---------------------------------------------------------------- zero target (opensdg)
def test_zero_target_replaced_by_0001_keeps_compound_growth() -> None:
    # Lower is better, 10 (2015) → 7 (2020), target 0 in 2030. Open SDG: target → 0.001.
    # CAGR_a = 0.7^(1/5) − 1 = −0.0688501; CAGR_r = (0.001/10)^(1/15) − 1 = −0.4588305;
    # R = s·d·CAGR_a/|CAGR_r| = (+1)(−1)(−0.0688501)/0.4588305 = 0.1500556 → limited progress (0 ≤ R < 0.6).
    r = one({"2020": 7.0}, scheme="opensdg", direction="-", baseline=("2015", 10.0), target=("2030", 0.0))
    assert r["growth_ratio"] == pytest.approx(0.1500556, rel=1e-6)
    assert r["status"] == "limited_progress"
    assert "zero_target_replaced" in r["note_codes"]
    assert r["growth_method"] == "compound"
    # Score (R < 60%: linear from −60% → −5 to 60% → 0): (0.1500556 − 0.6)/1.2·5 = −1.8747683.
    assert r["score"] == pytest.approx(-1.8747683, rel=1e-6)
    # planmon's linear variant: p = (7 − 10)/(0 − 10) = 0.3, τ = 5/15; p/τ = 0.9 → acceleration needed.
    lin = one({"2020": 7.0}, scheme="opensdg", direction="-", baseline=("2015", 10.0), target=("2030", 0.0),
              params=LINEAR)
    assert lin["growth_ratio"] == pytest.approx(0.9)
    assert lin["status"] == "acceleration_needed"


# ---------------------------------------------------------------- zero base (opensdg, unsd)
def test_zero_base_without_target_gets_a_status() -> None:
    # 0 (2015) → 5 (2020), higher is better, no target. Base → 0.001: g = (5/0.001)^(1/5) − 1 = 4.4928 ≥ 1.5%
    # → on track. planmon's linear variant divides by |v_b| = 0: no status.
    r = one({"2020": 5.0}, scheme="opensdg", baseline=("2015", 0.0), target=None)
    assert r["status"] == "on_track"
    assert r["cagr_actual"] == pytest.approx(4.4928027, rel=1e-6)
    assert "zero_base_replaced" in r["note_codes"]
    assert math.isnan(r["projected"])  # growth from 0.001 is not extrapolated
    assert one({"2020": 5.0}, scheme="opensdg", baseline=("2015", 0.0), target=None, params=LINEAR)["status"] is None


def test_zero_base_with_target() -> None:
    # 0 (2020) → 30 (2022), target 100 (2025). Open SDG: CAGR_a = (30/0.001)^(1/2) − 1 = 172.2051,
    # CAGR_r = (100/0.001)^(1/5) − 1 = 9; R = 19.134 → on track. Linear variant: p/τ = 0.3/0.4 = 0.75 → acceleration.
    r = one({"2022": 30.0}, scheme="opensdg", baseline=("2020", 0.0), target=("2025", 100.0))
    assert r["growth_ratio"] == pytest.approx(19.1338979, rel=1e-6)
    assert r["status"] == "on_track"
    assert one({"2022": 30.0}, scheme="opensdg", baseline=("2020", 0.0), target=("2025", 100.0),
               params=LINEAR)["status"] == "acceleration_needed"


def test_unsd_zero_base_has_no_status() -> None:
    # UNSD's CAGR (v_t/v_b)^(1/(t−b)) − 1 is undefined for v_b = 0 and the note gives no replacement: no status,
    # stated; the linear variant gives one (p/τ-based projection: 30 + 15·3 = 75 → P = 0.75 → fair progress).
    r = one({"2022": 30.0}, scheme="unsd", baseline=("2020", 0.0), target=("2025", 100.0))
    assert r["status"] is None
    assert "compound_undefined_not_assessed" in r["note_codes"]
    assert "UNSD" in r["notes"] and "UNSD" in r["notes_zh"]
    assert one({"2022": 30.0}, scheme="unsd", baseline=("2020", 0.0), target=("2025", 100.0),
               params=LINEAR)["status"] == "fair_progress"


# ---------------------------------------------------------------- mixed sign (opensdg)
def test_sign_change_cannot_be_assessed() -> None:
    # −2 (2015), 3 (2018), 5 (2020), higher is better, no target: values change sign → unable to assess.
    # The linear variant rates it: (5 − (−2))/5/|−2| = 0.7 per year ≥ 1.5% → on track.
    r = one({"2018": 3.0, "2020": 5.0}, scheme="opensdg", baseline=("2015", -2.0), target=None)
    assert r["status"] is None
    assert "sign_change_not_assessed" in r["note_codes"]
    assert one({"2018": 3.0, "2020": 5.0}, scheme="opensdg", baseline=("2015", -2.0), target=None,
               params=LINEAR)["status"] == "on_track"


def test_sign_check_all_values_or_endpoints() -> None:
    # 10 (2015), −1 (2017), 12 (2020): the text requires every value of one sign (no status); sdg-build checks only
    # the base and the latest (sign_check=endpoints): g = 1.2^(1/5) − 1 = 3.714% ≥ 1.5% → on track.
    values = {"2017": -1.0, "2020": 12.0}
    assert one(values, scheme="opensdg", baseline=("2015", 10.0), target=None)["status"] is None
    r = one(values, scheme="opensdg", baseline=("2015", 10.0), target=None, params={"sign_check": "endpoints"})
    assert r["cagr_actual"] == pytest.approx(0.0371373, rel=1e-5)
    assert r["status"] == "on_track"


def test_sign_change_but_target_met_is_achieved() -> None:
    # −2 → 5 with target 4 (higher is better): the target is met, which the method states regardless of trend.
    assert one({"2020": 5.0}, scheme="opensdg", baseline=("2015", -2.0), target=("2030", 4.0))["status"] == "achieved"


# ---------------------------------------------------------------- all negative (opensdg)
def test_all_negative_flips_direction_and_keeps_compound_growth() -> None:
    # Higher is better, −50 (2020) → −30 (2025), target −10 (2030). s = −1.
    # CAGR_a = (30/50)^(1/5) − 1 = −0.0971195; CAGR_r = (10/50)^(1/10) − 1 = −0.1486601;
    # R = (−1)(+1)(−0.0971195)/0.1486601 = 0.6532995 → acceleration needed.
    r = one({"2025": -30.0}, scheme="opensdg", baseline=("2020", -50.0), target=("2030", -10.0))
    assert r["growth_ratio"] == pytest.approx(0.6532995, rel=1e-6)
    assert r["status"] == "acceleration_needed"
    assert "negative_values_direction_flipped" in r["note_codes"]
    # Linear variant: p = 20/40 = 0.5, τ = 0.5 → p/τ = 1 → on track: another class.
    assert one({"2025": -30.0}, scheme="opensdg", baseline=("2020", -50.0), target=("2030", -10.0),
               params=LINEAR)["status"] == "on_track"


def test_all_negative_without_target() -> None:
    # Higher is better, −50 (2015) → −40 (2020): g = s·d·CAGR = (−1)(+1)(0.8^(1/5) − 1) = +0.0436475 → on track.
    r = one({"2020": -40.0}, scheme="opensdg", baseline=("2015", -50.0), target=None)
    assert r["status"] == "on_track"
    # Getting more negative is deterioration: −50 → −60: g = −(1.2^(1/5) − 1) < 0.
    assert one({"2020": -60.0}, scheme="opensdg", baseline=("2015", -50.0), target=None)["status"] == "deterioration"


def test_unsd_negative_values_have_no_status() -> None:
    r = one({"2025": -30.0}, scheme="unsd", baseline=("2020", -50.0), target=("2030", -10.0))
    assert r["status"] is None and "compound_undefined_not_assessed" in r["note_codes"]


# ---------------------------------------------------------------- natural limit (opensdg)
def test_natural_limit_scales_no_target_thresholds() -> None:
    # A coverage rate (max 100), 95 (2015) → 97 (2020), no target. C = 1 − (95/100)^4.44 = 0.2036705;
    # g = (97/95)^(1/5) − 1 = 0.0041755 ≥ 1.5%·C = 0.0030551 → on track. Without the limit 0.0042 < 0.5% →
    # limited progress. Score: g/C = 0.0205 ≥ 2% → +5.
    r = one({"2020": 97.0}, scheme="opensdg", baseline=("2015", 95.0), target=None, natural_limit=100.0)
    assert r["limit_factor"] == pytest.approx(0.2036705, rel=1e-6)
    assert r["status"] == "on_track"
    assert r["score"] == pytest.approx(5.0)
    assert "natural_limit_scaled" in r["note_codes"] and "0.2037" in r["notes"]
    assert one({"2020": 97.0}, scheme="opensdg", baseline=("2015", 95.0), target=None)["status"] == "limited_progress"


def test_natural_limit_at_the_limit() -> None:
    # Base = limit: C = 0; holding the level (g = 0) is on track with score 5; a fall is rated as usual:
    # 100 → 99: g = 0.99^(1/5) − 1 = −0.0020080 → deterioration, score 125·g − 2.5 = −2.7510.
    held = one({"2020": 100.0}, scheme="opensdg", baseline=("2015", 100.0), target=None, natural_limit=100.0)
    assert held["limit_factor"] == 0.0
    assert held["status"] == "on_track" and held["score"] == pytest.approx(5.0)
    fell = one({"2020": 99.0}, scheme="opensdg", baseline=("2015", 100.0), target=None, natural_limit=100.0)
    assert fell["status"] == "deterioration"
    assert fell["score"] == pytest.approx(-2.7510060, rel=1e-6)


def test_natural_minimum_limit_is_symmetric() -> None:
    # Lower is better with a minimum of 5; base 6 (2015) → 5.7 (2020). 5 < 6 < 2·5:
    # C = 1 − ((2·5 − 6)/5)^4.44 = 1 − 0.8^4.44 = 0.6287046, the same as a maximum of 100 with base 80 (equal relative
    # distance). g = −((5.7/6)^(1/5) − 1) = 0.0102062 ≥ 1.5%·C = 0.0094306 → on track; without the limit
    # 0.0102 < 0.015 → acceleration needed.
    low = one({"2020": 5.7}, scheme="opensdg", direction="-", baseline=("2015", 6.0), target=None, natural_limit=5.0)
    high = one({"2020": 81.0}, scheme="opensdg", baseline=("2015", 80.0), target=None, natural_limit=100.0)
    assert low["limit_factor"] == pytest.approx(0.6287046, rel=1e-6)
    assert high["limit_factor"] == pytest.approx(low["limit_factor"])
    assert low["status"] == "on_track"
    assert one({"2020": 5.7}, scheme="opensdg", direction="-", baseline=("2015", 6.0),
               target=None)["status"] == "acceleration_needed"


def test_natural_limit_not_used_with_a_target() -> None:
    r = one({"2020": 97.0}, scheme="opensdg", baseline=("2015", 95.0), target=("2030", 100.0), natural_limit=100.0)
    assert "natural_limit_ignored_with_target" in r["note_codes"]
    assert r["status"] == one({"2020": 97.0}, scheme="opensdg", baseline=("2015", 95.0),
                              target=("2030", 100.0))["status"]


def test_natural_limit_from_the_framework() -> None:
    from planmon.framework.model import Indicator, Point
    ind = Indicator(id="X", name_zh="覆盖率", unit="%", baseline=Point(period="2015", value=95.0), natural_limit=100.0)
    df = assess(pd.DataFrame(obs({"2020": 97.0}, unit="CN")), [ind], scheme="opensdg")
    assert df.iloc[0]["natural_limit"] == 100.0
    assert df.iloc[0]["status"] == "on_track"


# ---------------------------------------------------------------- base year
def test_opensdg_base_year_2015_or_first_after() -> None:
    # No declared baseline; 40 (2012), 60 (2014), 75 (2016), 78 (2020); target 100 in 2030.
    # Open SDG: no 2015 value, so the base is 2016 (75): CAGR_a = (78/75)^(1/4) − 1 = 0.0098534,
    # CAGR_r = (100/75)^(1/14) − 1 = 0.0207613, R = 0.4746 → limited progress.
    # From the first observation (base_year null, planmon's variant): CAGR_a = (78/40)^(1/8) − 1 = 0.0870620,
    # CAGR_r = (100/40)^(1/18) − 1 = 0.0522230, R = 1.667 → on track.
    values = {"2012": 40.0, "2014": 60.0, "2016": 75.0, "2020": 78.0}
    r = one(values, scheme="opensdg", baseline=None, target=("2030", 100.0))
    assert r["baseline_period"] == "2016"
    assert r["growth_ratio"] == pytest.approx(0.4746046, rel=1e-6)
    assert r["status"] == "limited_progress"
    assert "baseline_from_base_year" in r["note_codes"] and "2016" in r["notes"]
    first = one(values, scheme="opensdg", baseline=None, target=("2030", 100.0), params={"base_year": None})
    assert first["baseline_period"] == "2012"
    assert first["status"] == "on_track"
    # A different configured base year: 2014 (60): CAGR_a = (78/60)^(1/6) − 1.
    other = one(values, scheme="opensdg", baseline=None, target=("2030", 100.0), params={"base_year": 2014})
    assert other["baseline_period"] == "2014"
    assert other["cagr_actual"] == pytest.approx((78 / 60) ** (1 / 6) - 1)


def test_declared_baseline_wins_over_base_year() -> None:
    r = one({"2012": 40.0, "2020": 78.0}, scheme="opensdg", baseline=("2010", 30.0), target=("2030", 100.0))
    assert r["baseline_period"] == "2010"


def test_no_data_from_base_year() -> None:
    r = one({"2010": 5.0, "2012": 6.0}, scheme="opensdg", baseline=None, target=None)
    assert r["status"] is None
    assert "no_data_from_base_year" in r["note_codes"] and "2015" in r["notes"]


def test_unsd_base_year_falls_back_before_2015_to_keep_two_values() -> None:
    # 50 (2010), 55 (2013), 60 (2016): from 2015 on only 2016 remains, so the base is the latest earlier year that
    # leaves two values, 2013. No target: CAGR = (60/55)^(1/3) − 1 = 2.943% ≥ 2% → on track.
    values = {"2010": 50.0, "2013": 55.0, "2016": 60.0}
    r = one(values, scheme="unsd", baseline=None, target=None)
    assert r["baseline_period"] == "2013"
    assert r["cagr_actual"] == pytest.approx(0.0294285, rel=1e-5)
    assert r["status"] == "on_track"
    only_after = one(values, scheme="unsd", baseline=None, target=None, params={"base_year_fallback": "after"})
    assert only_after["baseline_period"] == "2016" and only_after["status"] is None


def test_sdsn_trend_since_2015() -> None:
    # 40 (2012), 30 (2015), 50 (2020), target 80 (2030). From 2015: p = 20/50 = 0.4, τ = 5/15: g_obs/g_req = 1.2 →
    # on track. From the first observation (2012): p = 10/40 = 0.25, τ = 8/18: 0.5625 → moderately improving.
    values = {"2012": 40.0, "2015": 30.0, "2020": 50.0}
    assert one(values, scheme="sdsn", baseline=None, target=("2030", 80.0))["status"] == "on_track"
    assert one(values, scheme="sdsn", baseline=None, target=("2030", 80.0),
               params={"base_year": None})["status"] == "moderately_improving"


def test_ndrc_keeps_the_first_observation() -> None:
    # Chinese plan evaluation measures from the plan's declared baseline; without one, the first observation.
    r = one({"2012": 40.0, "2020": 78.0}, baseline=None, target=("2025", 100.0))
    assert r["baseline_period"] == "2012" and "baseline_from_first_observation" in r["note_codes"]


# ---------------------------------------------------------------- several series of one indicator
def _multi(series: dict[str | None, dict[str, float]], *, scheme: str = "opensdg", params: dict[str, Any] | None = None,
           **spec_kw: Any) -> pd.DataFrame:
    rows = [{**o, "series": label} for label, values in series.items() for o in obs(values)]
    return assess(pd.DataFrame(rows), pd.DataFrame([spec(**spec_kw)]), scheme=scheme, params=params)


# No target, base 100 (2015), latest 2020: g = 1.6% → score 2.5 + (0.016 − 0.015)/0.005·2.5 = 3.0;
# g = 0.1% → −2.5 + 0.001/0.005·2.5 = −2.0; g = 0.3% → −1.0.
G16, G01, G03 = 100 * 1.016**5, 100 * 1.001**5, 100 * 1.003**5


def test_opensdg_series_mean_score() -> None:
    # female 3.0, male −2.0: mean 0.5 → [0, 2.5): acceleration needed. The series rows keep their own statuses.
    df = _multi({"female": {"2020": G16}, "male": {"2020": G01}}, baseline=("2015", 100.0), target=None)
    top = df[df["level"] == "indicator"]
    assert len(top) == 1 and top.iloc[0]["series"] is None
    assert top.iloc[0]["score"] == pytest.approx(0.5)
    assert top.iloc[0]["status"] == "acceleration_needed"
    assert "series_combined" in top.iloc[0]["note_codes"]
    rows = df[df["level"] == "series"].set_index("series")
    assert rows.loc["female", "status"] == "on_track" and rows.loc["female", "score"] == pytest.approx(3.0)
    assert rows.loc["male", "status"] == "limited_progress" and rows.loc["male", "score"] == pytest.approx(-2.0)
    assert list(df["level"]) == ["indicator", "series", "series"]  # the combined row comes first


def test_opensdg_sub_indicator_groups_weigh_equally() -> None:
    # edu/math 3.0 and edu/read −2.0 average to 0.5 for the group; water −1.0. Indicator: (0.5 − 1.0)/2 = −0.25 →
    # limited progress. A flat mean would be (3 − 2 − 1)/3 = 0 → acceleration needed.
    df = _multi({"edu/math": {"2020": G16}, "edu/read": {"2020": G01}, "water": {"2020": G03}},
                baseline=("2015", 100.0), target=None)
    top = df[df["level"] == "indicator"].iloc[0]
    assert top["score"] == pytest.approx(-0.25)
    assert top["status"] == "limited_progress"


def test_opensdg_series_achieved_only_when_all_achieved() -> None:
    # Target 200 (2030), base 100 (2015). "a" reaches 210 (achieved, score 5); "b" 100 → 100.501 in 2020:
    # R = (1.001 − 1)/(2^(1/15) − 1) = 0.001/0.0472941 = 0.0211444, score (R − 0.6)/1.2·5 = −2.4119. Mean 1.294 →
    # acceleration needed, not achieved. Both achieved → achieved.
    df = _multi({"a": {"2020": 210.0}, "b": {"2020": G01}}, baseline=("2015", 100.0), target=("2030", 200.0))
    top = df[df["level"] == "indicator"].iloc[0]
    assert top["score"] == pytest.approx((5 + (0.001 / (2 ** (1 / 15) - 1) - 0.6) / 1.2 * 5) / 2, rel=1e-4)
    assert top["status"] == "acceleration_needed"
    both = _multi({"a": {"2020": 210.0}, "b": {"2020": 205.0}}, baseline=("2015", 100.0), target=("2030", 200.0))
    assert both[both["level"] == "indicator"].iloc[0]["status"] == "achieved"


def test_headline_series_is_the_indicator() -> None:
    # With a headline (no label), the publishers assess the headline; the breakdowns are kept as series rows.
    df = _multi({None: {"2020": G16}, "female": {"2020": G01}, "male": {"2020": G03}},
                baseline=("2015", 100.0), target=None)
    top = df[df["level"] == "indicator"]
    assert len(top) == 1 and top.iloc[0]["series"] is None
    assert top.iloc[0]["status"] == "on_track"  # the headline's own class (g = 1.6%)
    assert len(df) == 3
    # series_rule=mean: the labelled series are combined even with a headline: (−2.0 + −1.0)/2 = −1.5 → limited.
    m = _multi({None: {"2020": G16}, "female": {"2020": G01}, "male": {"2020": G03}},
               baseline=("2015", 100.0), target=None, params={"series_rule": "mean"})
    top_m = m[m["level"] == "indicator"].iloc[0]
    assert top_m["score"] == pytest.approx(-1.5) and top_m["status"] == "limited_progress"
    assert (m["level"] == "series").sum() == 3


@pytest.mark.parametrize("scheme", ["unsd", "sdsn", "ndrc"])
def test_other_schemes_take_the_worst_series_without_a_headline(scheme: str) -> None:
    # Base 100 (2015), target 200 (2030), latest 2020: a = 150 (ahead), b = 101 (barely moving).
    df = _multi({"a": {"2020": 150.0}, "b": {"2020": 101.0}}, scheme=scheme, baseline=("2015", 100.0),
                target=("2030", 200.0))
    rows = df[df["level"] == "series"].set_index("series")
    top = df[df["level"] == "indicator"].iloc[0]
    from planmon.monitor import STATUS_ORDER
    order = STATUS_ORDER[scheme]
    assert top["status"] == max(rows["status"], key=order.index)
    assert top["status"] == rows.loc["b", "status"]
    assert "worst" in top["notes"]


def test_series_with_own_targets_from_the_table(tmp_path: Any) -> None:
    # The BYO table: each indicator × unit × series row carries its own baseline and target (as Open SDG's
    # per-series configuration does), and a natural limit column.
    from planmon.monitor.table import read_table
    f = tmp_path / "t.csv"
    f.write_text(
        "indicator,unit,series,direction,baseline_period,baseline,target_period,target,natural_limit,period,value\n"
        "X,CN,female,+,2015,100,2030,200,,2020,210\n"
        "X,CN,male,+,2015,100,2030,300,,2020,150\n"
        "Y,CN,,+,2015,95,,,100,2020,97\n", encoding="utf-8")
    o, s = read_table(f)
    df = assess(o, s, scheme="opensdg")
    x = df[(df["indicator"] == "X")].set_index("level")
    assert x.loc["indicator", "status"] != "achieved"  # male is not there yet
    female = df[(df["indicator"] == "X") & (df["series"] == "female")].iloc[0]
    assert female["status"] == "achieved" and female["target"] == 200.0
    y = df[df["indicator"] == "Y"].iloc[0]
    assert y["natural_limit"] == 100.0 and y["status"] == "on_track"  # as test_natural_limit_scales_…


def test_series_risks_do_not_mix_series(tmp_path: Any) -> None:
    from planmon.monitor import find_risks
    rows = [{**o, "series": "f"} for o in obs({"2016": 100.0, "2017": 101.0, "2018": 99.0})] + [
        {**o, "series": "m"} for o in obs({"2016": 100.0, "2017": 102.0, "2018": 104.0})]
    o = pd.DataFrame(rows)
    s = pd.DataFrame([spec(baseline=("2015", 100.0), target=("2030", 200.0))])
    flags = find_risks(assess(o, s, scheme="opensdg"), o, s)
    moving = flags[flags["rule"] == "moving_away"]
    assert len(moving) == 1  # only "f" fell (101 → 99); "m" rose every year
    assert "· f" in moving.iloc[0]["message_en"] and "· f" in moving.iloc[0]["message_zh"]
    # Assessed as of 2024, both series are stale (2018 is 6 years back): one flag per series, none for the
    # combined indicator row.
    late = find_risks(assess(o, s, scheme="opensdg", as_of="2024"), o, s, as_of="2024")
    stale = late[late["rule"] == "stale_data"]
    assert sorted(m.split(" · ")[1][0] for m in stale["message_en"]) == ["f", "m"]


# ---------------------------------------------------------------- every rule under every scheme
# Zero target: lower is better, 10 (2015) → 7 (2020), target 0 in 2030 (τ = 5/15 = 1/3, p = 0.3).
#   opensdg: 0 → 0.001, R = 0.1500556 → limited progress (test_zero_target_replaced_by_0001_keeps_compound_growth).
#   unsd: CAGR_a = 0.7^(1/5) − 1; v̂_2030 = 7·0.7^2 = 3.43; P = (3.43 − 10)/(0 − 10) = 0.657 → fair progress
#         (no replacement is needed: the target enters P linearly).
#   ndrc: p = 0.3 = τ(1 − δ) = 0.3 exactly → as expected (the boundary belongs to the better class).
#   sdsn: g_obs/g_req = min(1, p)/τ = 0.9 → moderately improving.
# Mixed sign: higher is better, −2 (2015) → 5 (2020), target 10 (2030): p = 7/12 = 0.5833, τ = 1/3.
#   opensdg: unable to assess; unsd: v_b ≤ 0 → no status; ndrc: p ≥ τ·1.1 = 0.3667 → faster;
#   sdsn: 0.5833/(1/3) = 1.75 → on track (linear shares need no sign rule).
# All negative: higher is better, −50 (2020) → −30 (2025), target −10 (2030): p = 0.5, τ = 0.5.
#   opensdg: flipped, R = 0.6533 → acceleration needed; unsd: v_b < 0 → no status;
#   ndrc: τ·0.9 = 0.45 ≤ p = 0.5 < τ·1.1 = 0.55 → as expected; sdsn: 0.5/0.5 = 1 → on track.
EDGE_CASES = {
    "zero_target": ({"2020": 7.0}, {"direction": "-", "baseline": ("2015", 10.0), "target": ("2030", 0.0)},
                    {"opensdg": "limited_progress", "unsd": "fair_progress", "ndrc": "as_expected",
                     "sdsn": "moderately_improving"}),
    "mixed_sign": ({"2020": 5.0}, {"baseline": ("2015", -2.0), "target": ("2030", 10.0)},
                   {"opensdg": None, "unsd": None, "ndrc": "faster", "sdsn": "on_track"}),
    "all_negative": ({"2025": -30.0}, {"baseline": ("2020", -50.0), "target": ("2030", -10.0)},
                     {"opensdg": "acceleration_needed", "unsd": None, "ndrc": "as_expected", "sdsn": "on_track"}),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
@pytest.mark.parametrize("scheme", ["opensdg", "unsd", "ndrc", "sdsn"])
def test_edge_rules_under_every_scheme(case: str, scheme: str) -> None:
    values, kw, want = EDGE_CASES[case]
    r = one(values, scheme=scheme, **kw)
    assert r["status"] == want[scheme]
    if want[scheme] is None:
        assert r["notes"] and r["notes_zh"]  # the reason is stated


@pytest.mark.parametrize("scheme", ["unsd", "ndrc", "sdsn"])
def test_natural_limit_is_opensdg_only(scheme: str) -> None:
    # No other publisher defines a natural limit: the same status with or without one.
    kw: dict[str, Any] = {"baseline": ("2015", 95.0), "target": ("2030", 99.0)}
    assert one({"2020": 97.0}, scheme=scheme, natural_limit=100.0, **kw)["status"] == \
        one({"2020": 97.0}, scheme=scheme, **kw)["status"]


def test_target_year_2030_when_not_given() -> None:
    # Open SDG and UNSD (Eustat, exceptions 4): "the target year is assumed to be 2030 unless specified otherwise".
    # 100 (2015) → 130 (2020), target 200 without a period: CAGR_r = 2^(1/15) − 1 = 0.0472941,
    # CAGR_a = 1.3^(1/5) − 1 = 0.0538740; R = 1.1391 → on track.
    r = one({"2020": 130.0}, scheme="opensdg", baseline=("2015", 100.0), target=(None, 200.0))
    assert r["target_period"] == "2030" and "target_year_assumed" in r["note_codes"]
    assert r["growth_ratio"] == pytest.approx(0.0538740 / 0.0472941, rel=1e-5)
    assert r["status"] == "on_track"
    # ndrc: a plan states its target period; without one there is no target (stated).
    assert "no_target" in one({"2020": 130.0}, baseline=("2015", 100.0), target=(None, 200.0))["note_codes"]


def test_natural_limit_behind_the_base_is_not_considered() -> None:
    # "Only a limit that affects progress in the desired direction is considered": a maximum of 100 for an
    # indicator whose lower values are better (base 95) is ignored, so the status is the one without a limit:
    # 95 → 93 in 5 years, g = −((93/95)^(1/5) − 1) = 0.4246% < 0.5% → limited progress (with C = 0.2037 it would
    # be on track).
    r = one({"2020": 93.0}, scheme="opensdg", direction="-", baseline=("2015", 95.0), target=None, natural_limit=100.0)
    assert "base_beyond_natural_limit" in r["note_codes"]
    assert r["status"] == "limited_progress"
    assert math.isnan(r["limit_factor"]) or r["limit_factor"] == 1.0


def test_natural_limit_must_be_a_number() -> None:
    from planmon.monitor import InputError
    with pytest.raises(InputError) as exc:
        one({"2020": 97.0}, scheme="opensdg", baseline=("2015", 95.0), target=None, natural_limit="百")
    assert "natural limit" in str(exc.value) and "自然极限" in exc.value.messages_zh[0]
    # A blank is no limit.
    assert math.isnan(one({"2020": 97.0}, scheme="opensdg", baseline=("2015", 95.0), target=None,
                          natural_limit=" ")["natural_limit"])
