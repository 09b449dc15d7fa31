"""Assessment of every target form (issue 19), with hand calculations in the comments.

Rules: docs/monitor.md, "Target forms". ndrc δ = 0.10 throughout: faster p ≥ 1.1τ, as expected 0.9τ ≤ p < 1.1τ,
lagging below; achieved (提前实现) once the target is reached — never for a bound or a relation.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from planmon.framework import load_framework
from planmon.framework.model import Indicator
from planmon.monitor import SCHEMES, TO_BE_ENTERED, assess
from planmon.monitor.store_io import unit_specs

FRAMEWORK_TESTS = Path(__file__).parents[1] / "framework"


def ind(**kw: Any) -> Indicator:
    return Indicator.model_validate({"name_zh": kw.get("id", "X"), "unit": "%", **kw})


def rows(indicator: str, values: dict[int, float], unit: str = "CN") -> list[dict[str, Any]]:
    return [{"indicator": indicator, "unit": unit, "period": str(y), "value": v} for y, v in values.items()]


def run(indicators: list[Indicator], observations: list[dict[str, Any]], scheme: str = "ndrc",
        as_of: str | None = None) -> pd.DataFrame:
    return assess(pd.DataFrame(observations), indicators, scheme=scheme, as_of=as_of).set_index("indicator")


GROWTH_RULE = {"value": 7, "comparator": ">", "price_basis": "real", "deflator": "按可比价格计算", "period": "2025"}


def rd(observed: str = "annual_rate", **rule: Any) -> Indicator:
    # 全社会研发经费投入增长 > 7 %/year over 2021–2025 (14th FYP outline), baseline period 2020
    return ind(id="RD", target_form="annual_growth", baseline={"period": "2020", "value": 100},
               target_rule={**GROWTH_RULE, "observed": observed, **rule})


# ---------------------------------------------------------------- annual growth


def test_annual_growth_from_annual_rates_worked_example() -> None:
    # rates 14.2 % (2021), 10.1 % (2022): index I = 1.142 × 1.101 = 1.257342
    # g = I^(1/2) − 1 = 12.131 %; required end index 1.07^5 = 1.402552
    # p = ln 1.257342 / ln 1.402552 = 0.229000 / 0.338293 = 0.67693; τ = 2/5 = 0.4; p ≥ 1.1τ = 0.44 → 快于预期
    r = run([rd()], rows("RD", {2021: 14.2, 2022: 10.1})).loc["RD"]
    assert r["progress_share"] == pytest.approx(math.log(1.142 * 1.101) / (5 * math.log(1.07)))
    assert r["progress_share"] == pytest.approx(0.67693, abs=1e-5)
    assert r["time_share"] == pytest.approx(0.4)
    assert r["cagr_actual"] == pytest.approx(0.121313, abs=1e-6)
    assert r["achieved_change"] == pytest.approx(12.1313, abs=1e-4)  # % a year, as printed
    assert r["status"] == "faster" and r["status_zh"] == "快于预期"
    assert r["latest"] == pytest.approx(10.1)  # the latest rate as observed, not the internal index
    assert math.isnan(r["target"])  # a rate is never shown (or compared) as a level
    assert r["target_text_zh"] == "年均增长 > 7%"


def test_a_growth_rate_target_is_never_compared_as_a_level() -> None:
    # 8 % in the first year beats "> 7" as a number; compared as a level it would be 提前实现.
    # As a growth target: p = ln 1.08 / (5 ln 1.07) = 0.076961/0.338294 = 0.22750; τ = 0.2; 0.2275 ≥ 0.22 → 快于预期
    r = run([rd()], rows("RD", {2021: 8.0})).loc["RD"]
    assert r["status"] == "faster" and not r["achieved"]
    assert r["progress_share"] == pytest.approx(0.22750, abs=1e-5)
    # 6 % a year for two years: p = 2 ln 1.06/(5 ln 1.07) = 0.116538/0.338293 = 0.34449 < 0.9τ = 0.36 → 滞后
    # (a level reading would put 6 against 7 as a share of a path from the baseline, which means nothing)
    r = run([rd()], rows("RD", {2021: 6.0, 2022: 6.0})).loc["RD"]
    assert r["status"] == "lagging" and r["progress_share"] == pytest.approx(0.34449, abs=1e-5)


def test_annual_growth_achieved_only_when_the_whole_period_is_secured() -> None:
    # levels 100 → 141 (2023): 141 > 100 × 1.07^5 = 140.2552 → the five years' required growth is
    # already there: 提前实现. At 140 (< 140.2552) it is not: p = ln 1.4/ln 1.402552 = 0.33647/0.33829 = 0.99461,
    # τ = 3/5 = 0.6 → 快于预期.
    achieved = run([rd("level")], rows("RD", {2023: 141.0})).loc["RD"]
    assert achieved["status"] == "achieved"
    below = run([rd("level")], rows("RD", {2023: 140.0})).loc["RD"]
    assert below["status"] == "faster" and below["progress_share"] == pytest.approx(0.99461, abs=1e-5)
    # exactly on the end point under "> 7": a strict comparator is not met exactly on it (100 × 1.07^5 in 2025)
    on = run([rd("level")], rows("RD", {2025: 100 * 1.07**5})).loc["RD"]
    assert on["status"] != "achieved"
    on_ge = run([rd("level", comparator="≥")], rows("RD", {2025: 100 * 1.07**5})).loc["RD"]
    assert on_ge["status"] == "achieved"


@pytest.mark.parametrize(("exponent", "status"), [
    # levels 100 → 100 × 1.07^x in 2022 (τ = 0.4): p = x ln 1.07/(5 ln 1.07) = x/5
    (2.2, "faster"),            # p = 0.44 = 1.1τ: on the upper boundary → 快于预期 (the better class)
    (2.199, "as_expected"),     # p = 0.4398 < 0.44 → 基本符合预期
    (1.8, "as_expected"),       # p = 0.36 = 0.9τ: on the lower boundary → 基本符合预期
    (1.799, "lagging"),         # p = 0.3598 < 0.36 → 滞后
    (5.01, "achieved"),         # beyond the required end index 1.07^5 → 提前实现
])
def test_ndrc_boundaries_of_an_annual_growth_target(exponent: float, status: str) -> None:
    r = run([rd("level")], rows("RD", {2022: 100 * 1.07**exponent})).loc["RD"]
    assert r["status"] == status
    assert r["progress_share"] == pytest.approx(exponent / 5)


# ---------------------------------------------------------------- cumulative change


def energy(observed: str = "annual_rate") -> Indicator:
    # 单位GDP能源消耗降低〔13.5〕 over 2021–2025 (binding), baseline period 2020
    return ind(id="EN", direction="decrease", baseline={"period": "2020", "value": 100},
               target_form="cumulative_change", target_rule={"value": 13.5, "observed": observed, "period": "2025"})


def test_cumulative_change_from_annual_changes_compounded() -> None:
    # falls of 2.7 % (2021) and 0.1 % (2022), stored signed: −2.7, −0.1
    # cumulative fall = 1 − (1 − 0.027)(1 − 0.001) = 1 − 0.972027 = 2.7973 %
    # p = 2.7973/13.5 = 0.20721; τ = 2/5 = 0.4; 0.20721 < 0.36 → 滞后
    r = run([energy()], rows("EN", {2021: -2.7, 2022: -0.1})).loc["EN"]
    assert r["achieved_change"] == pytest.approx(-2.7973, abs=1e-4)
    assert r["progress_share"] == pytest.approx(0.027973 / 0.135, abs=1e-6)
    assert r["time_share"] == pytest.approx(0.4)
    assert r["status"] == "lagging"
    assert r["target_text_zh"] == "累计降低〔13.5〕%" and math.isnan(r["target"])


@pytest.mark.parametrize(("fall", "status"), [
    # level observations (index 100 in 2020), in 2022 (τ = 0.4): p = fall/13.5
    (5.94, "faster"),       # p = 0.44 = 1.1τ → 快于预期
    (5.93, "as_expected"),  # p = 0.43926 → 基本符合预期
    (4.86, "as_expected"),  # p = 0.36 = 0.9τ → 基本符合预期
    (4.85, "lagging"),      # p = 0.35926 → 滞后
    (13.5, "achieved"),     # the whole fall reached → 提前实现
])
def test_ndrc_boundaries_of_a_cumulative_change(fall: float, status: str) -> None:
    r = run([energy("level")], rows("EN", {2022: 100 - fall})).loc["EN"]
    assert r["status"] == status
    assert r["progress_share"] == pytest.approx(fall / 13.5)
    assert r["target"] == pytest.approx(86.5)  # the implied level 100 × (1 − 0.135) of a level series


def test_cumulative_change_in_units() -> None:
    # 人均预期寿命〔1〕: 77.3 (2020) → 78.2 (2021): change 0.9 years; p = 0.9/1 = 0.9; τ = 1/5 = 0.2 → 快于预期
    life = ind(id="LE", unit="岁", baseline={"period": "2020", "value": 77.3}, target_form="cumulative_change",
               target_rule={"value": 1, "period": "2025"})
    r = run([life], rows("LE", {2021: 78.2})).loc["LE"]
    assert r["progress_share"] == pytest.approx(0.9)
    assert r["achieved_change"] == pytest.approx(0.9)
    assert r["target"] == pytest.approx(78.3)
    assert r["status"] == "faster"


# ---------------------------------------------------------------- bound


def unemployment(**kw: Any) -> Indicator:
    # 城镇调查失业率 < 5.5 every year of 2021–2025; baseline 5.2 (2020)
    return ind(id="UN", direction="decrease", baseline={"period": "2020", "value": 5.2}, target_form="bound",
               target_rule={"value": 5.5, "comparator": "<", "period": "2025", **kw})


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_bound_held_since_the_baseline_is_never_achieved_early(scheme: str) -> None:
    # 5.2 (baseline), 5.1 (2021), 5.2 (2022): every year < 5.5. A level reading (target 5.5, baseline already
    # below it) would say 提前实现; a bound held is 基本符合预期 (ndrc) or the scheme's on-track class.
    r = run([unemployment()], rows("UN", {2021: 5.1, 2022: 5.2}), scheme=scheme).loc["UN"]
    assert not r["achieved"]
    assert r["status"] == {"ndrc": "as_expected", "opensdg": "on_track", "unsd": "on_track", "sdsn": "on_track"}[scheme]
    assert r["status"] != "achieved"
    assert "bound_held" in r["note_codes"]
    assert math.isnan(r["progress_share"]) and math.isnan(r["target"])


def test_a_year_out_of_bounds_is_lagging_with_the_year_named() -> None:
    # 5.1 (2021), 5.6 (2022), 5.2 (2023): 2022 is not < 5.5 → 滞后, 2022 named
    r = run([unemployment()], rows("UN", {2021: 5.1, 2022: 5.6, 2023: 5.2})).loc["UN"]
    assert r["status"] == "lagging" and r["status_zh"] == "滞后"
    assert r["failed_periods"] == ("2022",)
    assert "2022（5.6）" in r["notes_zh"] and "2022 (5.6)" in r["notes"]


@pytest.mark.parametrize(("comparator", "value", "status"), [
    ("<", 5.5, "lagging"),       # 5.5 is not < 5.5
    ("≤", 5.5, "as_expected"),   # 5.5 ≤ 5.5
    ("<", 5.49, "as_expected"),
])
def test_a_ceiling_on_its_value(comparator: str, value: float, status: str) -> None:
    r = run([unemployment(comparator=comparator)], rows("UN", {2021: value})).loc["UN"]
    assert r["status"] == status


def test_a_floor_and_the_years_that_count() -> None:
    # 粮食综合生产能力 > 6.5 (亿吨): 6.83 (2021), 6.87 (2022) held; the baseline year is not a plan year
    # (declared 6.4 < 6.5 in 2020: not judged) and a year after the plan period (2026: 6.0) is not judged.
    grain = ind(id="GR", unit="亿吨", baseline={"period": "2020", "value": 6.4}, target_form="bound",
                target_rule={"value": 6.5, "comparator": ">", "period": "2025"})
    r = run([grain], rows("GR", {2021: 6.83, 2022: 6.87, 2026: 6.0})).loc["GR"]
    assert r["status"] == "as_expected"
    r = run([grain], rows("GR", {2021: 6.5})).loc["GR"]  # exactly 6.5 is not > 6.5
    assert r["status"] == "lagging" and r["failed_periods"] == ("2021",)


def test_a_bound_without_a_year_in_the_period_is_not_assessed() -> None:
    r = run([unemployment()], rows("UN", {2026: 5.0})).loc["UN"]
    assert r["status"] is None and "form_no_year_in_period" in r["note_codes"]


# ---------------------------------------------------------------- relative

GDP = ind(id="G", name_zh="国内生产总值（GDP）增长", target_form="qualitative",
          target_rule={"text_zh": "保持在合理区间、各年度视情提出", "observed": "annual_rate", "period": "2025"})


def labour(**rule: Any) -> Indicator:
    return ind(id="LP", name_zh="全员劳动生产率增长", target_form="relative",
               target_rule={"relative_to": "G", "relation": "above", "observed": "annual_rate", "period": "2025",
                            **rule})


def test_relative_above_held_every_year() -> None:
    # labour productivity 8.7 vs GDP 8.4 (2021), 4.2 vs 3.0 (2022): above both years → 基本符合预期
    r = run([GDP, labour()], rows("G", {2021: 8.4, 2022: 3.0}) + rows("LP", {2021: 8.7, 2022: 4.2})).loc["LP"]
    assert r["status"] == "as_expected" and not r["achieved"]
    assert r["target_text_zh"] == "高于国内生产总值（GDP）增长"
    assert "逐年增长高于国内生产总值（GDP）" in r["notes_zh"] and "every year" in r["notes"]


def test_relative_a_year_not_above_is_named() -> None:
    # 2022: 2.9 vs 3.0 is not above → 滞后, 2022 named; 2021 (8.7 vs 8.4) held
    r = run([GDP, labour()], rows("G", {2021: 8.4, 2022: 3.0}) + rows("LP", {2021: 8.7, 2022: 2.9})).loc["LP"]
    assert r["status"] == "lagging" and r["failed_periods"] == ("2022",)
    assert "2022（2.9% 对 3%）" in r["notes_zh"] and "2022 (2.9% vs 3%)" in r["notes"]
    # equal growth is not "above" (3.0 vs 3.0)
    r = run([GDP, labour()], rows("G", {2021: 3.0}) + rows("LP", {2021: 3.0})).loc["LP"]
    assert r["status"] == "lagging"


@pytest.mark.parametrize(("income", "status"), [
    (8.1, "as_expected"),   # |8.1 − 8.4| = 0.3 ≤ 0.5
    (7.9, "as_expected"),   # |7.9 − 8.4| = 0.5 = tolerance: in step
    (7.8, "lagging"),       # 0.6 > 0.5
    (9.0, "lagging"),       # 0.6 above: not in step either (the rule is symmetric)
])
def test_relative_in_step_within_the_tolerance(income: float, status: str) -> None:
    # 居民人均可支配收入增长 与GDP增长基本同步, tolerance 0.5 points
    inc = ind(id="IN", target_form="relative", target_rule={"relative_to": "G", "relation": "in_step",
                                                              "tolerance": 0.5, "observed": "annual_rate"})
    r = run([GDP, inc], rows("G", {2021: 8.4}) + rows("IN", {2021: income})).loc["IN"]
    assert r["status"] == status


def test_relative_on_levels_grows_them_year_on_year() -> None:
    # productivity levels 100 (2020) → 105 (2021) → 107.1 (2022): growth 5 %, 2 %; GDP 4.0 %, 3.0 %
    # 2021 held (5 > 4), 2022 not (2 < 3) → 滞后, 2022 named
    lp = ind(id="LP", baseline={"period": "2020", "value": 100}, target_form="relative",
             target_rule={"relative_to": "G", "relation": "above"})
    r = run([GDP, lp], rows("G", {2021: 4.0, 2022: 3.0}) + rows("LP", {2021: 105.0, 2022: 107.1})).loc["LP"]
    assert r["status"] == "lagging" and r["failed_periods"] == ("2022",)


def test_relative_without_the_reference_is_not_assessed() -> None:
    r = run([labour()], rows("LP", {2021: 8.7})).loc["LP"]
    assert r["status"] is None and "relative_reference_missing" in r["note_codes"]


# ---------------------------------------------------------------- qualitative


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_qualitative_target_is_to_be_entered_by_the_office(scheme: str) -> None:
    r = run([GDP], rows("G", {2021: 8.4, 2022: 3.0}), scheme=scheme).loc["G"]
    assert r["status"] == TO_BE_ENTERED
    assert r["status_zh"] == "待规划办公室评定" and r["status_en"] == "to be entered by the office"
    assert "qualitative_to_be_entered" in r["note_codes"] and "保持在合理区间" in r["notes_zh"]
    assert r["latest"] == pytest.approx(3.0)


# ---------------------------------------------------------------- re-based baseline


def test_a_rebased_baseline_is_the_basis_of_the_assessment() -> None:
    # 常住人口城镇化率: printed 60.6 (2020), re-based to 63.89 after the 7th census; target 65 (2025); 64.0 (2021)
    # on the new basis p = (64.0 − 63.89)/(65 − 63.89) = 0.11/1.11 = 0.0991 < 0.9 × 0.2 = 0.18 → 滞后
    # (on the printed basis it would read p = 3.4/4.4 = 0.773 → 快于预期: the rebase matters)
    ur = ind(id="UR", baseline={"period": "2020", "value": 60.6}, target={"period": "2025", "value": 65},
             rebased={"period": "2020", "value": 63.89, "reason_zh": "第七次全国人口普查后修订",
                      "reason_en": "revised after the 7th population census"})
    r = run([ur], rows("UR", {2021: 64.0})).loc["UR"]
    assert r["baseline"] == pytest.approx(63.89) and r["baseline_printed"] == pytest.approx(60.6)
    assert r["progress_share"] == pytest.approx(0.11 / 1.11)
    assert r["status"] == "lagging"
    assert "baseline_rebased" in r["note_codes"]
    assert "第七次全国人口普查后修订" in r["notes_zh"] and "60.6" in r["notes_zh"]
    assert "7th population census" in r["notes"]


# ---------------------------------------------------------------- tables and units


def test_a_bring_your_own_table_declares_forms_in_columns() -> None:
    specs = pd.DataFrame([{"indicator": "UN", "unit": "CN", "direction": "-", "baseline_period": "2020",
                           "baseline": 5.2, "target_period": "2025", "target_form": "bound", "form_value": 5.5,
                           "form_comparator": "<"}])
    r = assess(pd.DataFrame(rows("UN", {2021: 5.1, 2022: 5.6})), specs).iloc[0]
    assert r["status"] == "lagging" and r["failed_periods"] == ("2022",)
    with pytest.raises(Exception, match="target form 'ceiling'"):
        assess(pd.DataFrame(rows("UN", {2021: 5.1})), specs.assign(target_form="ceiling"))


def test_every_province_is_held_to_the_plan_s_bound(tmp_path: Path) -> None:
    # The rule of a non-level form applies to every unit as printed (a rate or a bound is intensive):
    # Zhejiang 5.0 (2021), 5.8 (2022) → 滞后, 2022 named; basis 对标全国目标.
    import shutil

    import yaml

    root = tmp_path / "fw"
    shutil.copytree(FRAMEWORK_TESTS / "minimal", root)
    doc = yaml.safe_load((root / "indicators.yaml").read_text(encoding="utf-8"))
    doc["indicators"].append({"id": "UN", "name_zh": "城镇调查失业率", "unit": "%", "kind": "rate",
                              "direction": "decrease", "baseline": {"period": "2020", "value": 5.2},
                              "target_form": "bound", "target_rule": {"value": 5.5, "comparator": "<"}})
    (root / "indicators.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    fw = load_framework(root)
    obs = pd.DataFrame(rows("UN", {2021: 5.1, 2022: 5.5}) + rows("UN", {2021: 5.0, 2022: 5.8}, unit="330000"))
    from planmon.monitor.panel import normalise_observations

    got = assess(obs, unit_specs(fw, normalise_observations(obs)[0]))
    got = got[got["indicator"] == "UN"].set_index("unit")
    assert got.loc["330000", "status"] == "lagging" and got.loc["330000", "failed_periods"] == ("2022",)
    assert got.loc["330000", "target_basis"] == "national_target"
    assert got.loc["CN", "status"] == "lagging" and got.loc["CN", "failed_periods"] == ("2022",)  # 5.5 is not < 5.5
    assert got.loc["CN", "target_basis"] == "own_plan"


def test_risks_of_the_forms() -> None:
    # a binding qualitative target waiting for the office is not "off track"; a bound broken is, and a
    # bound is never "moving away from the target" (it has no target level to move from)
    from planmon.monitor import find_risks

    g = GDP.model_copy(update={"attribute": "binding"})
    un = unemployment().model_copy(update={"attribute": "binding"})
    o = pd.DataFrame(rows("G", {2021: 8.4, 2022: 3.0}) + rows("UN", {2021: 5.1, 2022: 5.6}))
    a = assess(o, [g, un])
    flags = find_risks(a, o, [g, un])
    got = {(f["indicator"], f["rule"]) for _, f in flags.iterrows()}
    assert ("UN", "binding_off_track") in got
    assert not any(i == "G" for i, _rule in got)
    assert ("UN", "moving_away") not in got


def test_progress_cli_on_a_csv_with_a_bound(tmp_path: Path) -> None:
    # the bring-your-own CSV declares the form in columns; the CLI shows the bound in words and names the year
    import json

    from typer.testing import CliRunner

    from planmon.cli import app

    csv = tmp_path / "un.csv"
    csv.write_text("indicator,unit,direction,baseline_period,baseline,target_period,target,period,value,"
                   "target_form,form_value,form_comparator\n"
                   "UN,CN,-,2020,5.2,2025,,2021,5.1,bound,5.5,<\n"
                   "UN,CN,-,2020,5.2,2025,,2022,5.6,,,\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["progress", "--input", str(csv)])
    assert r.exit_code == 0, r.output
    assert "< 5.5（每年）" in r.output and "滞后" in r.output and "2022（5.6）" in r.output
    j = CliRunner().invoke(app, ["progress", "--input", str(csv), "--format", "json"])
    row = json.loads(j.stdout)[0]
    assert row["status"] == "lagging" and row["target_basis"] == "own_plan"
    bad = csv.read_text(encoding="utf-8").replace("bound,5.5", "ceiling,5.5")
    csv.write_text(bad, encoding="utf-8")
    r = CliRunner().invoke(app, ["progress", "--input", str(csv)])
    assert r.exit_code != 0 and "un.csv 第 2 行，“target_form”列" in r.output


def test_a_qualitative_target_with_breakdown_series_is_not_ranked() -> None:
    # by-sex series of a qualitative indicator: each is to be entered; the combined row has no rank to take
    o = pd.DataFrame([{**r, "series": sex} for sex in ("female", "male") for r in rows("G", {2021: 8.4})])
    got = assess(o, [GDP])
    assert set(got.loc[got["level"] == "series", "status"]) == {TO_BE_ENTERED}
