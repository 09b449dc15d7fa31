"""Issue 19: every target form in the authoring workbook as plans print it, and the YAML ↔ workbook round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from planmon.framework import FrameworkInvalid, load_framework
from planmon.framework.loader import export_framework
from planmon.framework.target_cells import read_cells
from planmon.framework.workbook import read_workbook, write_workbook

from .test_target_forms import FORMS, _folder
from .test_workbook import PLAN, _fill


def _row(code: str, name: str, unit: str, **cells: Any) -> dict[str, Any]:
    if "json" in cells:
        cells["其他设置（JSON）"] = cells.pop("json")
    return {"类别": "经济发展", "指标": name, "单位": unit, "属性": "预期性", "编号": code, **cells}


#: The 14th FYP outline's table rows, typed as printed (表1 主要指标; 2020 and 2025 columns, 年均/累计).
PRINTED = [
    _row("G", "国内生产总值（GDP）增长", "%", 基期值=2.3, 基期年份="2020", 目标值="保持在合理区间、各年度视情提出",
         json='{"target_rule": {"observed": "annual_rate"}}'),
    _row("LP", "全员劳动生产率增长", "%", 基期值=2.5, 基期年份="2020", 目标值="高于GDP增长",
         json='{"target_rule": {"observed": "annual_rate"}}'),
    _row("UR", "常住人口城镇化率", "%", 基期值=60.6, 基期年份="2020", 目标值=65, 目标年份="2025"),
    _row("RD", "全社会研发经费投入增长", "%", 年均增长或累计="> 7",
         json='{"target_rule": {"price_basis": "real", "deflator": "按可比价格计算", '
                    '"observed": "annual_rate"}}'),
    _row("IN", "居民人均可支配收入增长", "%", 基期值=2.1, 基期年份="2020", 目标值="与GDP增长基本同步（±0.5）",
         json='{"target_rule": {"observed": "annual_rate"}}'),
    _row("UN", "城镇调查失业率", "%", 基期值=5.2, 基期年份="2020", 目标值="< 5.5", 方向="减少"),
    _row("LE", "人均预期寿命", "岁", 基期值=77.3, 基期年份="2020", 年均增长或累计="〔1〕"),
    _row("EN", "单位GDP能源消耗降低", "%", 年均增长或累计="〔13.5〕", 方向="减少", 属性="约束性",
         json='{"target_rule": {"observed": "annual_rate"}}'),
    _row("GR", "粮食综合生产能力", "亿吨", 目标值="> 6.5", 属性="约束性"),
]


def test_the_printed_table_imports_with_every_form(tmp_path: Path) -> None:
    tpl = write_workbook(None, tmp_path / "t.xlsx")
    fw = read_workbook(_fill(tpl, tmp_path / "o.xlsx", {"主要指标": PRINTED, "任务树": []}, PLAN))
    x = {i.id: i for i in fw.indicators}
    assert x["G"].target_form == "qualitative" and x["G"].target_rule.text_zh == "保持在合理区间、各年度视情提出"  # type: ignore[union-attr]
    assert x["LP"].target_form == "relative" and x["LP"].target_rule.relative_to == "G"  # type: ignore[union-attr]
    assert x["LP"].target_rule.relation == "above"  # type: ignore[union-attr]
    assert x["IN"].target_rule.relation == "in_step" and x["IN"].target_rule.tolerance == 0.5  # type: ignore[union-attr]
    assert x["UR"].target_form == "level" and x["UR"].target.value == 65  # type: ignore[union-attr]
    rd = x["RD"].target_rule
    assert x["RD"].target_form == "annual_growth" and rd.value == 7 and rd.comparator == ">"  # type: ignore[union-attr]
    assert x["UN"].target_form == "bound" and x["UN"].target_rule.comparator == "<"  # type: ignore[union-attr]
    assert x["UN"].target_rule.value == 5.5 and x["UN"].target is None  # type: ignore[union-attr]
    assert x["LE"].target_form == "cumulative_change" and x["LE"].change_unit == "units"
    assert x["EN"].target_form == "cumulative_change" and x["EN"].target_rule.value == 13.5  # type: ignore[union-attr]
    assert x["GR"].target_form == "bound" and x["GR"].target_rule.comparator == ">"  # type: ignore[union-attr]
    # and back: the export prints each form as the plan does
    out = write_workbook(fw, tmp_path / "back.xlsx")
    ws = load_workbook(out)["主要指标"]
    cols = {ws.cell(row=1, column=j).value: j for j in range(1, ws.max_column + 1)}
    printed = {ws.cell(row=r, column=cols["编号"]).value: (ws.cell(row=r, column=cols["目标值"]).value,
                                                          ws.cell(row=r, column=cols["年均增长或累计"]).value,
                                                          ws.cell(row=r, column=cols["目标形式"]).value)
               for r in range(3, ws.max_row + 1)}
    assert printed["UN"] == ("< 5.5", None, "底线/上限")
    assert printed["RD"] == (None, "> 7", "年均增长")
    assert printed["EN"] == (None, "〔13.5〕", "累计变化")
    assert printed["LP"] == ("高于国内生产总值（GDP）增长", None, "相对目标")
    assert printed["IN"] == ("与国内生产总值（GDP）增长基本同步（±0.5）", None, "相对目标")
    assert printed["G"] == ("保持在合理区间、各年度视情提出", None, "定性目标")
    assert printed["UR"] == (65, None, None)
    assert read_workbook(out).content_hash == fw.content_hash


def test_yaml_workbook_yaml_round_trip_of_every_form(tmp_path: Path) -> None:
    fw = load_framework(_folder(tmp_path, FORMS))
    book = write_workbook(fw, tmp_path / "forms.xlsx")
    again = read_workbook(book)
    assert again.content_hash == fw.content_hash
    export_framework(again, tmp_path / "yaml")
    assert load_framework(tmp_path / "yaml").content_hash == fw.content_hash


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"目标值": "< 五"}, "E列（目标值）", "bad_bound"),  # a comparator first is a bound, and this one has no number
    ({"年均增长或累计": "约7"}, "F列（年均增长或累计）", "bad_growth"),
    ({"年均增长或累计": "〔-13.5〕"}, "F列（年均增长或累计）", "bad_growth"),
    ({"目标值": "高于XYZ增长"}, "E列（目标值）", "unknown_indicator"),
    ({"目标值": "与GDP增长基本同步"}, "E列（目标值）", "value_error"),  # no tolerance stated
    ({"目标值": "< 5.5", "目标形式": "年均增长"}, "K列（目标形式）", "target_form_mismatch"),
    ({"目标值": 5.5, "年均增长或累计": "> 7"}, "F列（年均增长或累计）", "target_form_ambiguous"),
    ({"目标值": "< 5.5", "其他设置（JSON）": '{"target_rule": {"value": 6}}'}, "E列（目标值）", "cell_json_conflict"),
])
def test_form_mistakes_name_sheet_row_and_column(tmp_path: Path, cells: dict[str, Any], column: str,
                                                 code: str) -> None:
    rows = [PRINTED[0], _row("X", "测试指标", "%", 基期值=1.0, 基期年份="2020", **cells)]
    tpl = write_workbook(None, tmp_path / "t.xlsx")
    with pytest.raises(FrameworkInvalid) as exc:
        read_workbook(_fill(tpl, tmp_path / "bad.xlsx", {"主要指标": rows, "任务树": []}, PLAN))
    found = [(i.file, i.path, i.code) for i in exc.value.issues]
    assert ("主要指标", f"第4行 {column}", code) in found, found
    for i in exc.value.issues:
        assert i.message_zh and i.message_en and "‖" not in i.message_zh + i.message_en


def test_cells_read_as_printed() -> None:
    assert read_cells(None, "≥7.5%", None).rule == {"comparator": "≥", "value": 7.5}
    assert read_cells(None, "［>10］", None).rule == {"comparator": ">", "value": 10.0}
    assert read_cells("＜5.5", None, None).rule == {"comparator": "<", "value": 5.5}
    assert read_cells("—", "〔18〕", None).form == "cumulative_change"
    assert read_cells(65, "—", None).level == 65.0
    assert read_cells("与GDP增长同步(±1)", None, None).rule == {"relation": "in_step", "tolerance": 1.0}
