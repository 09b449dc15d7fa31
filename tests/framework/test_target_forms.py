"""Target forms in the framework model (issue 19): each form's fields, its checks, their zh/en errors."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from planmon import FrameworkInvalid, load_framework
from planmon.framework.loader import export_framework

HERE = Path(__file__).parent

#: The forms as the 14th FYP outline prints them (国民经济和社会发展第十四个五年规划纲要, 表1), in the model's terms.
FORMS: list[dict[str, Any]] = [
    {"id": "G", "name_zh": "国内生产总值（GDP）增长", "unit": "%", "target_form": "qualitative",
     "target_rule": {"text_zh": "保持在合理区间、各年度视情提出", "observed": "annual_rate"}},
    {"id": "RD", "name_zh": "全社会研发经费投入增长", "unit": "%", "target_form": "annual_growth",
     "target_rule": {"value": 7, "comparator": ">", "price_basis": "real", "deflator": "按可比价格计算",
                     "observed": "annual_rate", "period": "2025"}},
    {"id": "EN", "name_zh": "单位GDP能源消耗降低", "unit": "%", "direction": "decrease",
     "baseline": {"period": "2020", "value": 0}, "target_form": "cumulative_change",
     "target_rule": {"value": 13.5, "observed": "annual_rate", "period": "2025"}},
    {"id": "LE", "name_zh": "人均预期寿命", "unit": "岁", "baseline": {"period": "2020", "value": 77.3},
     "target_form": "cumulative_change", "target_rule": {"value": 1, "period": "2025"}},
    {"id": "UN", "name_zh": "城镇调查失业率", "unit": "%", "direction": "decrease",
     "baseline": {"period": "2020", "value": 5.2}, "target_form": "bound",
     "target_rule": {"value": 5.5, "comparator": "<"}},
    {"id": "LP", "name_zh": "全员劳动生产率增长", "unit": "%", "target_form": "relative",
     "target_rule": {"relative_to": "G", "relation": "above", "observed": "annual_rate"}},
    {"id": "IN", "name_zh": "居民人均可支配收入增长", "unit": "%", "target_form": "relative",
     "target_rule": {"relative_to": "G", "relation": "in_step", "tolerance": 0.5, "observed": "annual_rate"}},
    {"id": "UR", "name_zh": "常住人口城镇化率", "unit": "%", "baseline": {"period": "2020", "value": 60.6},
     "target": {"period": "2025", "value": 65},
     "rebased": {"period": "2020", "value": 63.89, "reason_zh": "第七次全国人口普查后修订",
                 "reason_en": "revised after the 7th population census", "source": "国家统计局"}},
]


def _folder(tmp_path: Path, indicators: list[dict[str, Any]]) -> Path:
    root = tmp_path / "fw"
    shutil.copytree(HERE / "minimal", root)
    doc = yaml.safe_load((root / "indicators.yaml").read_text(encoding="utf-8"))
    doc["indicators"] = doc["indicators"] + indicators
    (root / "indicators.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return root


def _issues(tmp_path: Path, indicators: list[dict[str, Any]]) -> list[Any]:
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(_folder(tmp_path, indicators))
    return exc.value.issues


def test_every_form_loads_and_round_trips_through_yaml(tmp_path: Path) -> None:
    fw = load_framework(_folder(tmp_path, FORMS))
    forms = {x.id: x.target_form for x in fw.indicators}
    assert forms["I01"] == "level"  # an existing indicator is unchanged
    assert {forms[k] for k in ("G", "RD", "EN", "LE", "UN", "LP", "IN")} == {
        "qualitative", "annual_growth", "cumulative_change", "bound", "relative"}
    un = fw.indicator("UN")
    assert un.target is None and un.target_rule is not None and un.target_rule.value == 5.5
    assert fw.indicator("LE").change_unit == "units" and fw.indicator("EN").change_unit == "percent"
    ur = fw.indicator("UR")
    assert ur.baseline is not None and ur.baseline.value == 60.6  # the printed baseline is kept
    assert ur.assessed_baseline is not None and ur.assessed_baseline.value == 63.89
    summary = {x["id"]: x for x in fw.to_summary()["indicators"]}
    assert summary["UN"]["target_rule"] == {"value": 5.5, "comparator": "<"}
    assert summary["UR"]["rebased"]["value"] == 63.89
    export_framework(fw, tmp_path / "out")
    again = load_framework(tmp_path / "out")
    assert again.content_hash == fw.content_hash


def test_comparator_spellings_are_normalised(tmp_path: Path) -> None:
    rows = [{**FORMS[4], "target_rule": {"value": 5.5, "comparator": "<="}},
            {**FORMS[1], "id": "RD2", "target_rule": {**FORMS[1]["target_rule"], "comparator": "＞"}}]
    fw = load_framework(_folder(tmp_path, rows))
    assert fw.indicator("UN").target_rule.comparator == "≤"  # type: ignore[union-attr]
    assert fw.indicator("RD2").target_rule.comparator == ">"  # type: ignore[union-attr]


@pytest.mark.parametrize(("change", "zh", "en"), [
    # a growth rate or a bound given as a level target: refused, never compared as a level
    ({"target": {"period": "2025", "value": 5.5}}, "不能填 target", "never compared as a level"),
    ({"target_rule": None}, "需要 target_rule", "needs target_rule"),
    ({"target_rule": {"value": 5.5}}, "comparator", "ceiling"),
    ({"target_rule": {"value": 5.5, "comparator": "<", "relation": "above"}}, "不用 target_rule 的 relation",
     "does not use target_rule.relation"),
    ({"target_rule": {"comparator": "<"}}, "target_rule.value", "the number the plan prints"),
    ({"target_rule": {"value": 5.5, "comparator": "!"}}, "不是允许的取值", "Input should be"),
])
def test_bound_mistakes_are_named_in_both_languages(tmp_path: Path, change: dict[str, Any], zh: str,
                                                    en: str) -> None:
    row = {**FORMS[4], **change}
    if row.get("target_rule") is None:
        row.pop("target_rule")
    issues = _issues(tmp_path, [row])
    assert len(issues) == 1, issues
    i = issues[0]
    assert i.file == "indicators.yaml" and i.path.startswith("indicators[2]")
    assert zh in i.message_zh and en in i.message_en
    assert "‖" not in i.message_zh + i.message_en


@pytest.mark.parametrize(("row", "zh", "en"), [
    ({**FORMS[1], "target_rule": {"value": 7, "comparator": ">"}}, "price_basis", "real or nominal"),
    ({**FORMS[1], "target_rule": {"value": 7, "price_basis": "real"}}, "deflator", "deflator or index basis"),
    ({**FORMS[1], "target_rule": {"value": 7, "comparator": "<", "price_basis": "nominal"}}, "只能是", "'>' or '≥'"),
    ({**FORMS[2], "target_rule": {"value": -13.5, "observed": "annual_rate"}}, "写正数", "written positive"),
    ({**FORMS[6], "target_rule": {"relative_to": "G", "relation": "in_step"}}, "容差", "stated tolerance"),
    ({**FORMS[6], "target_rule": {"relative_to": "G"}}, "relation", "above or in_step"),
    ({**FORMS[6], "target_rule": {"relation": "above"}}, "relative_to", "another indicator of the same plan"),
    ({**FORMS[6], "target_rule": {"relative_to": "IN", "relation": "above"}}, "自身", "itself"),
    ({**FORMS[6], "target_rule": {"relative_to": "G", "relation": "in_step", "tolerance": -1}}, "不能为负",
     "cannot be negative"),
    ({**FORMS[0], "target_rule": {"observed": "annual_rate"}}, "原文表述", "the plan's words"),
    ({**FORMS[7], "target_form": "level", "target_rule": {"value": 1}}, "水平值目标不用", "level target has no"),
])
def test_form_mistakes_are_named_in_both_languages(tmp_path: Path, row: dict[str, Any], zh: str, en: str) -> None:
    issues = _issues(tmp_path, [FORMS[0], row] if row["id"] != "G" else [row])
    assert [i.path.split(".")[0] for i in issues] == [f"indicators[{2 + (row['id'] != 'G')}]"], issues
    assert zh in issues[0].message_zh and en in issues[0].message_en


def test_cross_checks_of_a_form(tmp_path: Path) -> None:
    rows = [
        {**FORMS[5], "target_rule": {"relative_to": "NOPE", "relation": "above"}},
        {**FORMS[4], "target_rule": {"value": 5.5, "comparator": "<", "period": "2019"}},
        {**FORMS[7], "rebased": {**FORMS[7]["rebased"], "period": "2020-03"}},
    ]
    got = {(i.path, i.code) for i in _issues(tmp_path, rows)}
    assert got == {
        ("indicators[2].target_rule.relative_to", "unknown_indicator"),
        ("indicators[3].target_rule.period", "target_before_baseline"),
        ("indicators[4].rebased.period", "period_frequency"),
    }
