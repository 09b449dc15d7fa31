"""The final evaluation (总结评估) of targets that are not levels (issue 19), with hand calculations.

Rules: planmon.evaluate.outcomes.OUTCOME_RULE and docs/evaluate.md, "Targets that are not levels". The
arithmetic is the monitor's (planmon.monitor.forms) at the target year; these tests check the outcomes it maps to.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import pytest

from planmon.evaluate import evaluate_final, evaluate_midterm
from planmon.evaluate.outcomes import final_outcomes
from planmon.framework.model import Indicator
from planmon.monitor.qualitative import enter_status
from planmon.report.final import build_document
from planmon.store import Store

NO_TARGET = "未设定目标值"


def ind(**kw: Any) -> Indicator:
    return Indicator.model_validate({"name_zh": kw.get("id", "X"), "unit": "%", **kw})


def rows(indicator: str, values: dict[int, float]) -> list[dict[str, Any]]:
    return [{"indicator": indicator, "unit": "CN", "period": str(y), "value": v} for y, v in values.items()]


def bound(i: str, cmp_: str, value: float, direction: str = "increase") -> Indicator:
    return ind(id=i, target_form="bound", direction=direction,
               target_rule={"value": value, "comparator": cmp_, "period": "2025"})


RATE = {"period": "2025", "observed": "annual_rate"}
FRAMEWORK = [
    bound("B1", ">", 6.5), bound("B2", "<", 5.5, "decrease"), bound("B3", ">", 6.5),
    ind(id="G1", target_form="annual_growth", baseline={"period": "2020", "value": 100},
        target_rule={"value": 7, "comparator": ">", "period": "2025", "observed": "level", "price_basis": "real",
                     "deflator": "按可比价格计算"}),
    ind(id="G2", target_form="annual_growth", target_rule={"value": 7, "comparator": "≥", "price_basis": "nominal", **RATE}),
    ind(id="G3", target_form="annual_growth", target_rule={"value": 7, "comparator": "≥", "price_basis": "nominal", **RATE}),
    ind(id="C1", target_form="cumulative_change", direction="decrease",
        target_rule={"value": 13.5, "change_unit": "percent", **RATE}),
    ind(id="C2", target_form="cumulative_change", direction="decrease",
        target_rule={"value": 18, "change_unit": "percent", **RATE}),
    ind(id="C3", target_form="cumulative_change", baseline={"period": "2020", "value": 77.3},
        rebased={"period": "2020", "value": 77.93, "reason_zh": "第七次全国人口普查后修订", "reason_en": "census revision"},
        target_rule={"value": 1, "period": "2025", "observed": "level", "change_unit": "units"}),
    ind(id="GDP", name_zh="国内生产总值增长", target_form="qualitative",
        target_rule={"text_zh": "保持在合理区间", "text_en": "within a reasonable range", **RATE}),
    ind(id="R1", target_form="relative", target_rule={"relative_to": "GDP", "relation": "above", **RATE}),
    ind(id="R2", target_form="relative",
        target_rule={"relative_to": "GDP", "relation": "in_step", "tolerance": 0.5, **RATE}),
]
OBS = pd.DataFrame(
    rows("B1", {2021: 6.8, 2022: 6.9, 2025: 7.0}) + rows("B2", {2021: 5.1, 2022: 5.6, 2025: 5.2})
    + rows("B3", {2021: 6.8, 2024: 7.0}) + rows("G1", {2023: 130, 2025: 150})
    + rows("G2", dict.fromkeys(range(2021, 2026), 6.0)) + rows("G3", {2021: 8, 2022: 8, 2024: 8, 2025: 8})
    + rows("C1", dict.fromkeys(range(2021, 2026), -3.0))
    + rows("C2", {2021: -3.8, 2022: -0.8, 2023: -4.0, 2024: -4.0, 2025: -5.0})
    + rows("C3", {2023: 78.6, 2025: 79.25})
    + rows("GDP", {2021: 8.1, 2022: 3.0, 2023: 5.2, 2024: 5.0, 2025: 5.0})
    + rows("R1", {2021: 8.7, 2022: 4.2, 2023: 5.7, 2024: 5.1, 2025: 6.1})
    + rows("R2", {2021: 8.1, 2022: 2.9, 2023: 6.1, 2024: 5.1, 2025: 5.0}))


@pytest.fixture(scope="module")
def out() -> pd.DataFrame:
    return final_outcomes(OBS, FRAMEWORK, "2025", base_year=2020).set_index("indicator")


def test_bounds(out: pd.DataFrame) -> None:
    # B1 "> 6.5": 6.8, 6.9, 7.0 (2025) all above → 已实现 (held every year with data, target year observed)
    assert (out.loc["B1", "outcome"], out.loc["B1", "reason"]) == ("reached", "bound_held")
    # B2 "< 5.5": 2022's 5.6 breaks it → 未实现, the year named, even though 2025's 5.2 is back below
    assert out.loc["B2", "outcome"] == "not_reached" and out.loc["B2", "failed_periods"] == ("2022",)
    assert out.loc["B2", "reason_zh"].endswith("2022") and "2022" in out.loc["B2", "reason_en"]
    # B3: 6.8 (2021) and 7.0 (2024) held, no 2025 value → 无法判断, with the reason
    assert (out.loc["B3", "outcome"], out.loc["B3", "reason"]) == ("cannot_judge", "bound_no_end")
    assert not out.loc[["B1", "B2", "B3"], "early"].any()  # a bound is never "reached early"


def test_annual_growth(out: pd.DataFrame) -> None:
    # G1 levels 100 (2020) → 150 (2025): (150/100)^(1/5) − 1 = 8.4472 % > 7 → 已实现
    assert out.loc["G1", "outcome"] == "reached"
    assert out.loc["G1", "achieved"] == pytest.approx((1.5 ** 0.2 - 1) * 100, abs=1e-6)
    assert out.loc["G1", "achieved"] == pytest.approx(8.4472, abs=1e-4)
    # G2 rates 6 % every year 2021–2025: chained 1.06^5, average 6.0 % < 7 with 2025 observed → 未实现
    assert (out.loc["G2", "outcome"], out.loc["G2", "reason"]) == ("not_reached", "growth_short")
    assert out.loc["G2", "achieved"] == pytest.approx(6.0, abs=1e-9)
    # G3 8 % a year but no 2023 rate: four years of five cannot be compounded into the period → 无法判断
    assert (out.loc["G3", "outcome"], out.loc["G3", "reason"]) == ("cannot_judge", "rates_incomplete")
    assert out.loc["G1", "target_text_zh"] == "年均增长 > 7%" and out.loc["G1", "target"] != out.loc["G1", "target"]


def test_cumulative_change(out: pd.DataFrame) -> None:
    # C1 −3 % a year for five years: 1 − 0.97^5 = 14.1266 % ≥ 13.5 → 已实现; achieved shown as −14.13 %
    assert out.loc["C1", "outcome"] == "reached"
    assert out.loc["C1", "achieved"] == pytest.approx(-(1 - 0.97 ** 5) * 100, abs=1e-6)
    assert out.loc["C1", "pct_of_planned_change"] == pytest.approx((1 - 0.97 ** 5) / 0.135 * 100, abs=1e-6)
    # C2 1 − 0.962 × 0.992 × 0.96 × 0.96 × 0.95 = 1 − 0.835512 = 16.4488 % < 18, 2025 observed → 未实现
    assert (out.loc["C2", "outcome"], out.loc["C2", "reason"]) == ("not_reached", "change_short")
    assert out.loc["C2", "achieved"] == pytest.approx(-16.4488, abs=1e-4)
    # C3 in units on the re-based baseline 77.93: 79.25 − 77.93 = 1.32 ≥ 1 → 已实现, 132 % of the planned change
    assert out.loc["C3", "outcome"] == "reached" and out.loc["C3", "achieved"] == pytest.approx(1.32)
    assert out.loc["C3", "pct_of_planned_change"] == pytest.approx(132.0)
    assert out.loc["C3", "baseline"] == pytest.approx(77.93)
    assert "77.3" in out.loc["C3", "rebased_note_zh"] and "77.93" in out.loc["C3", "reason_zh"]
    assert out.loc["C1", "target_text_zh"] == "累计降低〔13.5〕%"


def test_relative_and_qualitative(out: pd.DataFrame) -> None:
    # R1 above GDP: 8.7>8.1, 4.2>3.0, 5.7>5.2, 5.1>5.0, 6.1>5.0 → 已实现
    assert (out.loc["R1", "outcome"], out.loc["R1", "reason"]) == ("reached", "relative_held")
    # R2 in step ±0.5: |6.1 − 5.2| = 0.9 in 2023 (the others within 0.1) → 未实现, 2023 named
    assert out.loc["R2", "outcome"] == "not_reached" and out.loc["R2", "failed_periods"] == ("2023",)
    # GDP (qualitative) without the office's rating → 无法判断 待规划办公室评定
    assert (out.loc["GDP", "outcome"], out.loc["GDP", "reason_zh"]) == ("cannot_judge", "待规划办公室评定")
    assert not (out["reason_zh"] == NO_TARGET).any()


@pytest.fixture
def outline(sqlite_url: str) -> Store:
    s = Store.open(sqlite_url)
    s.init("cn-outline-14fyp")
    yield s
    s.engine.dispose()


def test_the_outlines_final_outcomes_as_of_2025(outline: Store) -> None:
    ev = evaluate_final(outline, "cn-outline-14fyp")
    d = ev.indicators.set_index("indicator")
    # values: src/planmon/framework/builtin/cn-outline-14fyp/observations.yaml
    # O19 粮食综合生产能力 > 6.5 亿吨: 6.8285 (2021), 6.8653, 6.9541, 7.065 (2024) held; no 2025 → 无法判断
    # O20 能源综合生产能力 > 46 亿吨标准煤: 48.3 (2023) held; no 2025 → 无法判断
    for i in ("O19", "O20"):
        assert (d.loc[i, "outcome"], d.loc[i, "reason"]) == ("cannot_judge", "bound_no_end"), i
    # O08 城镇调查失业率 < 5.5: 5.5 in 2022 is not below 5.5 → 未实现, 2022 named (5.1 in 2025)
    assert d.loc["O08", "outcome"] == "not_reached" and d.loc["O08", "failed_periods"] == ("2022",)
    # O13 人均预期寿命 〔1〕 on the re-based 77.93: 79.25 − 77.93 = 1.32 ≥ 1 → 已实现, 132 %
    assert d.loc["O13", "outcome"] == "reached" and d.loc["O13", "achieved"] == pytest.approx(1.32)
    assert d.loc["O13", "pct_of_planned_change"] == pytest.approx(132.0)
    # O14 单位GDP能源消耗降低〔13.5〕: −2.7 (2021), −0.1 (2022) only: 1 − 0.973 × 0.999 = 2.7973 % so far → 无法判断
    assert d.loc["O14", "outcome"] == "cannot_judge" and d.loc["O14", "achieved"] == pytest.approx(-2.7973, abs=1e-4)
    assert d.loc["O14", "reason"] == "no_end_form"  # no gap among the years entered: only 2025 is missing
    # O15 单位GDP二氧化碳排放降低〔18〕: −3.8, −0.8, (2023, 2024 missing), −5.0 (2025):
    # 1 − 0.962 × 0.992 × 0.95 = 9.3411 %, but two years' rates are missing → 无法判断 (not a five-year change)
    assert (d.loc["O15", "outcome"], d.loc["O15", "reason"]) == ("cannot_judge", "rates_incomplete")
    assert d.loc["O15", "achieved"] == pytest.approx(-9.34112, abs=1e-4)
    # O04 研发经费投入增长 > 7: only 8.0 (2022) → 无法判断, the 8.0 % shown
    assert d.loc["O04", "outcome"] == "cannot_judge" and d.loc["O04", "achieved"] == pytest.approx(8.0)
    # O02 全员劳动生产率增长 高于GDP增长: 8.7>8.1, 4.2>3.0, 5.7>5.2, 6.1>5.0 (2024 not published) → 已实现
    assert d.loc["O02", "outcome"] == "reached"
    # O07 居民人均可支配收入增长 与GDP基本同步 (±0.5): 2023 6.1 against 5.2 → 未实现, 2023 named
    assert d.loc["O07", "outcome"] == "not_reached" and d.loc["O07", "failed_periods"] == ("2023",)
    # O03 常住人口城镇化率 (level, re-based 60.6 → 63.89): (67.89 − 63.89)/(65 − 63.89) = 360.36 %, noted
    assert d.loc["O03", "pct_of_planned_change"] == pytest.approx(4 / 1.11 * 100)
    assert "60.6" in d.loc["O03", "reason_zh"]
    forms = d[d["target_form"] != "level"]
    assert len(forms) == 10 and not (forms["reason_zh"] == NO_TARGET).any()
    assert (d.loc["O01", "outcome"], d.loc["O01", "reason_zh"]) == ("cannot_judge", "待规划办公室评定")
    json.dumps(ev.to_dict("en"))  # the API's JSON (failed years as lists)


def test_the_offices_rating_is_the_qualitative_outcome(outline: Store) -> None:
    enter_status(outline, "O01", "2025", "基本符合预期", "2021—2025年年均增长约5.4%，处于合理区间", actor="test",
                 framework_id="cn-outline-14fyp", source="国家统计局统计公报")
    ev = evaluate_final(outline, "cn-outline-14fyp")
    r = ev.indicators.set_index("indicator").loc["O01"]
    assert (r["outcome"], r["outcome_zh"], r["office_status"]) == ("office", "由规划办认定", "as_expected")
    assert "基本符合预期" in r["reason_zh"] and "5.4%" in r["reason_zh"]
    assert ev.counts["office"] == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_final_report_prints_the_targets_and_the_achieved_figures(outline: Store, lang: str) -> None:
    doc = build_document(evaluate_final(outline, "cn-outline-14fyp"), lang)
    table = next(b for b in doc.blocks if b.kind == "table")
    by = {r[0]: r for r in table.rows}
    assert by["O08"][5] == ("<5.5" if lang == "zh" else "below 5.5 %")
    assert by["O14"][5] == ("〔13.5〕" if lang == "zh" else "−13.5 % over the period") and by["O04"][5].startswith(">7" if lang == "zh" else "> 7 %")
    # O14's achieved change 1 − 0.973 × 0.999 = 2.80 %, beside the latest annual rate
    # energy intensity fell 2.80 % (1 − 0.973 × 0.999): said as a fall, never as "-2.80" of a 降低 indicator
    assert ("累计下降 2.80%" if lang == "zh" else "down 2.80% over the period") in by["O14"][6]
    assert "-2.80" not in by["O14"][6]
    assert ("年均 8.00%" if lang == "zh" else "8.00% a year") in by["O04"][6]
    assert not any(math.isnan(x) if isinstance(x, float) else False for r in table.rows for x in r)
    forms = next(b for b in doc.blocks if b.kind == "table" and ("1-1" in b.text or "1a" in b.text))
    assert {r[0] for r in forms.rows} == {"O01", "O02", "O04", "O07", "O08", "O13", "O14", "O15", "O19", "O20"}


def test_at_the_mid_term_no_form_target_is_judged_on_2023_as_its_end(outline: Store) -> None:
    # the target year stays 2025: life expectancy 78.6 (2023) − 77.93 = 0.67 so far → 无法判断 (no end value);
    # grain capacity held 2021–2023 → 无法判断, not 已实现; unemployment's 2022 already broke the ceiling → 未实现
    d = evaluate_midterm(outline, "cn-outline-14fyp").indicators.set_index("indicator")
    assert (d.loc["O13", "outcome"], d.loc["O13", "reason"]) == ("cannot_judge", "no_end_form")
    assert d.loc["O13", "achieved"] == pytest.approx(0.67)
    assert (d.loc["O19", "outcome"], d.loc["O19", "reason"]) == ("cannot_judge", "bound_no_end")
    assert d.loc["O08", "outcome"] == "not_reached"
    assert not (d[d["target_form"] != "level"]["outcome"] == "reached").any()


def test_the_command_line_prints_the_targets_and_achieved_figures(outline: Store, sqlite_url: str) -> None:
    from typer.testing import CliRunner

    from planmon.cli import app

    r = CliRunner().invoke(app, ["--db", sqlite_url, "--plan", "cn-outline-14fyp", "evaluate", "final",
                                 "--format", "csv"])
    assert r.exit_code == 0, r.output
    # O14: 1 − 0.973 × 0.999 = 2.80 % so far; O13: 79.25 − 77.93 = +1.32 years
    assert "〔13.5〕" in r.output and "累计下降 2.80%" in r.output and "累计增加 1.32岁" in r.output
    assert "<5.5" in r.output and NO_TARGET not in r.output
    js = json.loads(CliRunner().invoke(app, ["--db", sqlite_url, "--plan", "cn-outline-14fyp", "evaluate", "final",
                                            "--format", "json"]).output)
    o08 = next(x for x in js["indicators"] if x["indicator"] == "O08")
    assert (o08["outcome"], o08["failed_periods"], o08["target_text_zh"]) == ("not_reached", ["2022"], "<5.5")


def test_an_outline_without_tasks_prints_no_empty_task_lines(outline: Store, sqlite_url: str) -> None:
    """Seen as a user: the outline's final evaluation printed "重大任务: ", "重点工程: ", "优先行动: " with nothing
    after them — the outline lists indicators only. A kind of item the plan does not have is not printed."""
    from typer.testing import CliRunner

    from planmon.cli import app

    r = CliRunner().invoke(app, ["--db", sqlite_url, "--plan", "cn-outline-14fyp", "evaluate", "final"])
    assert r.exit_code == 0, r.output
    assert "重大任务" not in r.output and "优先行动" not in r.output
    assert "累计下降 2.80%" in r.output  # O14 in the table too


def test_progress_says_what_a_cumulative_target_achieved_so_far(outline: Store, sqlite_url: str) -> None:
    """Seen as a user: `planmon progress` showed 单位GDP能源消耗降低's latest value as "-0.1 (2022)" alone — a bare
    signed rate that reads as a reduction of minus 0.1. The table now says what the target achieved so far."""
    from typer.testing import CliRunner

    from planmon.cli import app

    r = CliRunner().invoke(app, ["--db", sqlite_url, "progress", "--framework", "cn-outline-14fyp", "--as-of", "2022"])
    assert r.exit_code == 0, r.output
    # O14: 1 − 0.973 × 0.999 = 2.80 % fall; O15: 1 − 0.962 × 0.992 = 4.57 %; O13: 78.2 − 77.93 (re-based) = 0.27 years
    assert "累计下降 2.80%" in r.output and "累计下降 4.57%" in r.output and "累计增加 0.27岁" in r.output
    assert "年均 8.00%" in r.output  # O04: the one growth rate found up to 2022, 8.0 % (2022)
    en = CliRunner().invoke(app, ["--db", sqlite_url, "--lang", "en", "progress", "--framework", "cn-outline-14fyp",
                                  "--as-of", "2022"])
    assert "down 2.80% over the period" in " ".join(en.output.split())
