"""The 14th and 15th FYP outlines as built-in plans (issue 19): their indicators, sources and links.

Expected figures come from the published texts named in the plan files (each fact marked [Q] quoted,
[I] inferred, [NF] not found there); the numbers below are those texts' numbers.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from planmon.framework import FrameworkInvalid, load_framework
from planmon.framework.loader import builtin_dir
from planmon.plans import builtin_plans


@pytest.fixture(scope="module")
def outline14():  # type: ignore[no-untyped-def]
    return load_framework("cn-outline-14fyp")


@pytest.fixture(scope="module")
def outline15():  # type: ignore[no-untyped-def]
    return load_framework("cn-outline-15fyp")


def test_the_outline_has_its_20_main_indicators_in_five_categories(outline14) -> None:  # type: ignore[no-untyped-def]
    main = outline14.main_indicators()
    assert [x.id for x in main] == [f"O{i:02d}" for i in range(1, 21)]
    # 经济发展 3, 创新驱动 3, 民生福祉 7, 绿色生态 5, 安全保障 2 (the outline's table; 5 categories [Q] 财新 2023-12-28)
    assert Counter(x.area for x in main) == {"经济发展": 3, "创新驱动": 3, "民生福祉": 7, "绿色生态": 5, "安全保障": 2}
    # the three lagging 约束性 ones of the mid-term evaluation are binding, 托位数 expected [Q] 财新 2023-12-28
    attr = {x.id: x.attribute for x in main}
    assert attr["O14"] == attr["O15"] == attr["O16"] == "binding" and attr["O12"] == "expected"
    # every green and security indicator is binding [Q] 央视《数说“十四五”》
    assert all(x.attribute == "binding" for x in main if x.area in ("绿色生态", "安全保障"))


def test_each_target_is_in_the_form_the_outline_prints(outline14) -> None:  # type: ignore[no-untyped-def]
    ind = {x.id: x for x in outline14.indicators}
    forms = Counter(x.target_form for x in outline14.main_indicators())
    assert forms == {"level": 10, "qualitative": 1, "relative": 2, "annual_growth": 1, "cumulative_change": 3,
                     "bound": 3}
    # GDP: 保持在合理区间、各年度视情提出 — no number
    assert ind["O01"].target_rule.text_zh == "保持在合理区间、各年度视情提出" and ind["O01"].target is None
    # R&D > 7 a year at constant prices (NBS compares its constant-price growth with this target)
    r = ind["O04"].target_rule
    assert (r.value, r.comparator, r.price_basis, r.observed) == (7, ">", "real", "annual_rate")
    # 〔13.5〕〔18〕 are falls in % of the baseline; 〔1〕 is one year of life expectancy
    assert (ind["O14"].target_rule.value, ind["O14"].direction, ind["O14"].change_unit) == (13.5, "decrease", "percent")
    assert (ind["O15"].target_rule.value, ind["O15"].change_unit) == (18, "percent")
    assert (ind["O13"].target_rule.value, ind["O13"].change_unit) == (1, "units")
    # bounds to hold every year: < 5.5, > 6.5, > 46
    assert [(ind[i].target_rule.comparator, ind[i].target_rule.value) for i in ("O08", "O19", "O20")] == [
        ("<", 5.5), (">", 6.5), (">", 46)]
    # relative to GDP growth: above (labour productivity), in step (income)
    assert (ind["O02"].target_rule.relative_to, ind["O02"].target_rule.relation) == ("O01", "above")
    assert (ind["O07"].target_rule.relative_to, ind["O07"].target_rule.relation) == ("O01", "in_step")
    # levels: 60.6 → 65, 6.3 → 12, 7.8 → 10, 87 → 87.5, 83.4 → 85, 23.2 → 24.1 …
    assert [(ind[i].baseline.value, ind[i].target.value) for i in ("O03", "O05", "O06", "O16", "O17", "O18")] == [
        (60.6, 65), (6.3, 12), (7.8, 10), (87, 87.5), (83.4, 85), (23.2, 24.1)]


def test_census_revised_baselines_are_rebased_with_their_reason(outline14) -> None:  # type: ignore[no-untyped-def]
    ind = {x.id: x for x in outline14.indicators}
    # the 7th census: urbanisation 2020 = 63.89 % (64.72 in 2021 was "0.83 points above 2020") and life
    # expectancy 2020 = 77.93 (NHC 2021 communiqué); the outline printed 60.6 and 77.3
    assert (ind["O03"].baseline.value, ind["O03"].assessed_baseline.value) == (60.6, 63.89)
    assert (ind["O13"].baseline.value, ind["O13"].assessed_baseline.value) == (77.3, 77.93)
    assert "人口普查" in ind["O03"].rebased.reason_zh and ind["O13"].rebased.source


def test_every_value_names_its_publisher_and_derived_ones_say_how(outline14) -> None:  # type: ignore[no-untyped-def]
    own = [o for o in outline14.observations if o.indicator != "O06"]
    assert len(own) >= 50
    for o in own:
        assert re.search(r"20[0-9]{2}", o.source), o  # publisher, document and its date
        if o.quality == "derived":
            assert any(s in o.note for s in ("−", "÷", "=")), o  # the arithmetic is shown
    by = {(o.indicator, o.period): o.value for o in outline14.observations}
    # a few against their texts: GDP 2022 +3.0 %, patents 2022 9.4, childcare 2022 2.57, energy 2021 −2.7 %
    assert (by["O01", "2022"], by["O05", "2022"], by["O12", "2022"], by["O14", "2021"]) == (3.0, 9.4, 2.57, -2.7)
    # 2022 urbanisation 92071 ÷ 141175 = 65.218 % → 65.22
    assert by["O03", "2022"] == round(92071 / 141175 * 100, 2)
    # what was not found stays absent: no pension coverage value, no energy output before 2023
    assert not [o for o in outline14.observations if o.indicator == "O11"]
    assert {o.period for o in outline14.observations if o.indicator == "O20"} == {"2023"}


def test_the_core_industry_share_is_the_informatization_plans_series(outline14) -> None:  # type: ignore[no-untyped-def]
    info = load_framework("cn-informatization-14fyp")
    i09 = {(o.unit, o.period): o.value for o in info.observations if o.indicator == "I09" and not o.proxy}
    o06 = {(o.unit, o.period): o.value for o in outline14.observations if o.indicator == "O06"}
    assert o06 == i09 and o06  # one series, its values kept once (under I09)
    assert all("cn-informatization-14fyp/I09" in o.note for o in outline14.observations if o.indicator == "O06")
    ind = outline14.indicator("O06")
    assert ind.same_series == "cn-informatization-14fyp/I09"
    assert (ind.baseline.value, ind.target.value) == (info.indicator("I09").baseline.value,
                                                       info.indicator("I09").target.value)


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "outline"
    shutil.copytree(builtin_dir("cn-outline-14fyp"), dst)
    return dst


def test_a_second_version_of_a_linked_value_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    doc = yaml.safe_load((folder / "observations.yaml").read_text(encoding="utf-8"))
    doc["observations"].append({"indicator": "O06", "unit": "CN", "period": "2023", "value": 9.8, "source": "a typo"})
    (folder / "observations.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(folder)
    (issue,) = exc.value.issues
    assert issue.code == "same_series_conflict"
    assert "9.8" in issue.message_zh and "9.9" in issue.message_zh and "cn-informatization-14fyp/I09" in issue.message_en
    # the same value twice is not a conflict
    doc["observations"][-1]["value"] = 9.9
    (folder / "observations.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert len([o for o in load_framework(folder).observations if o.indicator == "O06"]) == 2


def test_a_link_to_nothing_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "indicators.yaml").read_text(encoding="utf-8")
    (folder / "indicators.yaml").write_text(text.replace("cn-informatization-14fyp/I09", "cn-informatization-14fyp/I99"),
                                            encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(folder)
    assert [i.code for i in exc.value.issues] == ["unknown_same_series"]
    assert "I99" in exc.value.issues[0].message_zh


def test_the_15th_outline_holds_what_was_found_and_marks_the_rest(outline15) -> None:  # type: ignore[no-untyped-def]
    main = outline15.main_indicators()
    assert len(main) == 20  # 20 main indicators [Q]
    # 经济发展 3, 创新驱动 3, 民生福祉 7, 绿色低碳 5, 安全保障 2 [Q] 政府工作报告 2026-03-05
    assert Counter(x.area for x in main) == {"经济发展": 3, "创新驱动": 3, "民生福祉": 7, "绿色低碳": 5, "安全保障": 2}
    found = {x.id: x for x in main if not x.to_be_filled}
    assert sorted(found) == ["F01", "F04", "F07", "F08", "F09", "F14"]
    assert found["F04"].target_rule.value == 7 and found["F14"].target_rule.value == 17
    assert (found["F07"].target.value, found["F08"].target.value, found["F09"].target.value) == (11.7, 80, 73)
    # the core-industry share: 12.5 % by 2030, the 14th series continued, the same series as D01; a candidate
    # until it is confirmed as one of the 20
    f21 = outline15.indicator("F21")
    assert (f21.role, f21.target.value, f21.continues, f21.same_series) == (
        "candidate", 12.5, "cn-outline-14fyp/O06", "cn-digital-15fyp/D01")
    # every continuity link names an indicator of the 14th outline
    o14 = {x.id for x in load_framework("cn-outline-14fyp").indicators}
    links = [x.continues for x in outline15.indicators if x.continues]
    assert len(links) >= 8 and all(c.split("/")[0] == "cn-outline-14fyp" and c.split("/")[1] in o14 for c in links)


def test_the_outlines_are_listed_with_the_built_in_plans() -> None:
    plans = {b.ref.id: b for b in builtin_plans()}
    assert {"cn-outline-14fyp", "cn-outline-15fyp"} <= set(plans)
    assert (plans["cn-outline-14fyp"].main_indicators, plans["cn-outline-14fyp"].to_be_filled) == (20, 0)
    assert (plans["cn-outline-15fyp"].main_indicators, plans["cn-outline-15fyp"].to_be_filled) == (20, 14)
    assert plans["cn-outline-15fyp"].ref.predecessor == "cn-outline-14fyp"
    # period order: the 14th plans before the 15th
    order = [b.ref.id for b in builtin_plans()]
    assert order.index("cn-outline-14fyp") < order.index("cn-outline-15fyp")
