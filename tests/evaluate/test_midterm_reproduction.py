"""Reproducing the NDRC's mid-term evaluation of the 14th FYP outline (issue 19).

The published classes [Q]: 新华社 2023-12-26 (陈炜伟、严赋憬) on the report to the 7th session of the 14th
NPC Standing Committee — 常住人口城镇化率、基本养老保险参保率、地表水达到或好于Ⅲ类水体比例、能源综合生产能力
提前实现; 全社会研发经费投入增长、每万人口高价值发明专利拥有量、数字经济核心产业增加值占GDP比重、每千人口
拥有执业(助理)医师数、森林覆盖率 快于预期; GDP增长、全员劳动生产率增长、居民人均可支配收入增长、城镇调查
失业率、劳动年龄人口平均受教育年限、人均预期寿命、粮食综合生产能力 基本符合预期; and (财新 2023-12-28) 单位GDP
能源消耗降低、单位GDP二氧化碳排放降低、地级及以上城市空气质量优良天数比率 (约束性) and 每千人口拥有3岁以下
婴幼儿托位数 滞后. planmon classifies the outline's indicators on the values up to 2022 with the ndrc scheme
(δ = 0.10: 快于预期 p ≥ 1.1τ, 基本符合预期 0.9τ ≤ p < 1.1τ, 滞后 below).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planmon.evaluate.published import PublishedEvaluationMissing, published, reproduce
from planmon.framework import load_framework


@pytest.fixture(scope="module")
def fw():  # type: ignore[no-untyped-def]
    return load_framework("cn-outline-14fyp")


def test_the_published_classes_are_the_reported_counts(fw) -> None:  # type: ignore[no-untyped-def]
    pub = published(fw, "midterm")
    assert (pub.as_of, pub.scheme, pub.reported) == ("2022", "ndrc", "2023-12-26")
    # of 20 main indicators, 4 提前实现, 5 快于预期, 7 基本符合预期, 4 滞后 (3 of the lagging ones 约束性)
    assert pub.counts == {"achieved": 4, "faster": 5, "as_expected": 7, "lagging": 4}
    got: dict[str, int] = {}
    for c in pub.classes.values():
        got[c] = got.get(c, 0) + 1
    assert got == pub.counts and len(pub.classes) == 20
    lagging = [k for k, c in pub.classes.items() if c == "lagging"]
    assert sum(fw.indicator(k).attribute == "binding" for k in lagging) == 3
    with pytest.raises(PublishedEvaluationMissing):
        published(fw, "final")


def test_level_targets_hand_calculated(fw) -> None:  # type: ignore[no-untyped-def]
    r = {x.indicator: x for x in reproduce(fw).rows}
    # patents: p = (9.4 − 6.3)/(12 − 6.3) = 0.544 ≥ 1.1 × τ(2022) = 0.44 → 快于预期
    # physicians: p = (3.15 − 2.9)/(3.2 − 2.9) = 0.833 → 快于预期; forest: (24.02 − 23.2)/0.9 = 0.911 → 快于预期
    # childcare: (2.57 − 1.8)/(4.5 − 1.8) = 0.285 < 0.9 × 0.4 = 0.36 → 滞后; air: 86.5 below the 87 base → 滞后
    # urbanisation 65.22 ≥ 65 and surface water 87.9 ≥ 85 → 提前实现
    # schooling: latest value up to 2022 is 2021's 10.9: p = 0.1/0.5 = 0.2, τ(2021) = 0.2 → 基本符合预期
    assert {k: r[k].planmon for k in ("O03", "O05", "O09", "O10", "O12", "O16", "O17", "O18")} == {
        "O03": "achieved", "O05": "faster", "O09": "as_expected", "O10": "faster", "O12": "lagging",
        "O16": "lagging", "O17": "achieved", "O18": "faster"}
    assert all(r[k].agree for k in ("O03", "O05", "O09", "O10", "O12", "O16", "O17", "O18"))


def test_gdp_is_the_offices_judgement_not_the_engines(fw) -> None:  # type: ignore[no-untyped-def]
    rep = reproduce(fw)
    assert [x.indicator for x in rep.office] == ["O01"]
    assert len(rep.compared) == 19


def test_the_agreement_reached_and_every_difference_explained(fw) -> None:  # type: ignore[no-untyped-def]
    rep = reproduce(fw)
    # hand calculations of the non-level forms (data in observations.yaml):
    # labour productivity above GDP growth: 8.7 > 8.1 (2021), 4.2 > 3.0 (2022) → held → 基本符合预期
    # income in step within 0.5 point: |8.1 − 8.1| = 0, |2.9 − 3.0| = 0.1 → 基本符合预期
    # energy intensity 〔13.5〕: 1 − 0.973 × 0.999 = 2.7973 %, p = 0.2072 < 0.9 × 0.4 → 滞后
    # CO2 intensity 〔18〕: 1 − 0.962 × 0.992 = 4.5696 %, p = 0.2539 < 0.36 → 滞后
    # grain > 6.5: 6.8285 (2021), 6.8653 (2022) held → 基本符合预期 (a bound is never 提前实现)
    # unemployment < 5.5: 5.5 at the end of 2022 is not below 5.5 → 滞后 (the NDRC: 基本符合预期)
    # life expectancy 〔1〕 on the re-based 77.93: 78.2 (2021) − 77.93 = 0.27, p = 0.27 ≥ 1.1 × τ(2021) = 0.22 → 快于预期
    # R&D > 7 % a year: 8.0 % in 2022 (index from 2021): p = ln 1.08 / (4 ln 1.07) = 0.2844 ≥ 1.1 × 0.25 → 快于预期
    got = {r.indicator: r.planmon for r in rep.rows}
    assert {k: got[k] for k in ("O02", "O04", "O07", "O08", "O13", "O14", "O15", "O19")} == {
        "O02": "as_expected", "O04": "faster", "O07": "as_expected", "O08": "lagging", "O13": "faster",
        "O14": "lagging", "O15": "lagging", "O19": "as_expected"}
    # the agreement reached: 14 of the 19 indicators the engine classifies (GDP is the office's)
    assert (rep.agreed, len(rep.compared)) == (14, 19)
    differ = {r.indicator for r in rep.compared if not r.agree}
    assert differ == {"O06", "O08", "O11", "O13", "O20"}
    for r in rep.rows:
        if r.indicator in differ:
            # a reason in both languages, saying which kind: data, a data vintage, a rule
            assert r.reason_zh.split("：")[0] in ("数据", "数据版本", "规则", "数据与规则"), r
            assert r.reason_en.split(":")[0] in ("Data", "Data vintage", "Rule", "Data and rule"), r
        elif r.planmon != "office":
            assert not r.reason_zh, r  # agreements need no excuse
    # no value up to 2022 for the three: planmon says it cannot assess, it does not guess
    assert all(got[k] is None for k in ("O06", "O11", "O20"))
    # the table has words, not codes, in both languages
    zh = rep.frame("zh")
    assert set(zh["published"]) <= {"提前实现", "快于预期", "基本符合预期", "滞后"}
    assert "由规划办公室录入" in set(zh["planmon"])
    assert "entered by the office" in set(rep.frame("en")["planmon"])


def test_the_docs_show_this_table() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "monitor.md").read_text(encoding="utf-8")
    block = doc.split("<!-- midterm-table:start -->\n")[1].split("\n<!-- midterm-table:end -->")[0]
    assert block == reproduce(load_framework("cn-outline-14fyp")).markdown("en")
