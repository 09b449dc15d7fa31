"""Issue 15: authoring a plan from Excel — template, import refused whole with every finding located,
and the exact round trip of the built-in 14th plan (framework content hash)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import planmon
from planmon.cli import app
from planmon.framework import FrameworkInvalid
from planmon.framework.workbook import read_workbook, write_workbook


def _fill(template: Path, out: Path, sheets: dict[str, list[dict[str, object]]], plan: dict[str, str]) -> Path:
    """Fill the template as an office would: by column header, from row 3."""
    wb = load_workbook(template)
    ps = wb["规划"]
    for r in range(3, ps.max_row + 1):
        key = ps.cell(row=r, column=3).value
        if key in plan:
            ps.cell(row=r, column=2, value=plan[key])
    for name, rows in sheets.items():
        ws = wb[name]
        cols = {ws.cell(row=1, column=j).value: j for j in range(1, ws.max_column + 1)}
        for i, row in enumerate(rows, start=3):
            for header, value in row.items():
                ws.cell(row=i, column=cols[header], value=value)
    wb.save(out)
    return out


PLAN = {"id": "demo-15fyp", "title_zh": "示例规划", "title_en": "Example plan", "period_start": "2026",
        "period_end": "2030"}


def _indicator(code: str, **over: object) -> dict[str, object]:
    row: dict[str, object] = {"类别": "数字设施", "指标": "网民规模", "单位": "亿人", "基期值": 11.25, "目标值": 12.5,
                              "属性": "预期性", "编号": code, "基期年份": "2025", "目标年份": "2030"}
    row.update(over)
    return row


def test_eight_kinds_of_mistakes_refused_whole_and_located(tmp_path: Path) -> None:
    tpl = write_workbook(None, tmp_path / "template.xlsx")
    bad = _fill(tpl, tmp_path / "bad.xlsx", {
        "主要指标": [
            _indicator("N1"),
            _indicator("N1", 指标="千兆用户"),                     # row 4: duplicate indicator
            _indicator("N3", 目标年份="2024"),                     # row 5: target before baseline
            _indicator("N4", 单位=None),                           # row 6: unit missing
            _indicator("N5", 属性="约束"),                         # row 7: 属性 not 预期性/约束性
            _indicator("N6", 指标=12345),                          # row 8: a number in a text column
        ],
        "任务树": [
            {"编号": "T1", "类型": "重大任务", "标题": "建设泛在智联的数字基础设施"},
            {"编号": "P1", "类型": "重点工程", "上级": "T9", "标题": "5G建设"},   # row 4: unknown parent
            {"编号": "T2", "类型": "重大任务", "标题": None, "规划序号": "（二）"},  # row 5: empty required cell
            {"编号": "P2", "类型": "重点工程", "上级": "P3", "标题": "甲"},       # rows 6-7: a cycle in the tree
            {"编号": "P3", "类型": "重点工程", "上级": "P2", "标题": "乙"},
        ],
    }, PLAN)
    with pytest.raises(FrameworkInvalid) as exc:
        read_workbook(bad)
    found = {(i.file, i.path, i.code) for i in exc.value.issues}
    expected = {
        ("主要指标", "第4行 H列（编号）", "duplicate_id"),
        ("主要指标", "第5行 J列（目标年份）", "target_before_baseline"),
        ("主要指标", "第6行 C列（单位）", "empty_required"),
        ("主要指标", "第7行 G列（属性）", "bad_choice"),
        ("主要指标", "第8行 B列（指标）", "number_in_text"),
        ("任务树", "第4行 C列（上级）", "unknown_parent"),
        ("任务树", "第5行 D列（标题）", "empty_required"),
    }
    assert expected <= found, found - expected
    cycles = [i for i in exc.value.issues if i.code == "cycle"]
    assert len(cycles) == 1 and cycles[0].file == "任务树" and cycles[0].path in ("第6行 C列（上级）", "第7行 C列（上级）")
    # every finding is located at a sheet, a row and a column, in zh and en
    for i in exc.value.issues:
        assert i.file in ("主要指标", "任务树") and "行" in i.path and "列" in i.path, i
        assert i.message_zh and i.message_en
    # the CLI refuses it whole: exit 1, every finding printed, nothing written
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["--lang", "en", "framework", "import", str(bad), "-o", str(out)])
    assert r.exit_code == 1
    assert "refused whole" in r.output and "第7行 G列（属性）" in r.output
    assert not out.exists()
    j = CliRunner().invoke(app, ["framework", "import", str(bad), "--format", "json"])
    assert j.exit_code == 1 and len(json.loads(j.stdout)["issues"]) == len(exc.value.issues)


def test_filled_template_imports(tmp_path: Path) -> None:
    tpl = write_workbook(None, tmp_path / "template.xlsx")
    good = _fill(tpl, tmp_path / "good.xlsx", {
        "主要指标": [_indicator("N1", 属性="约束性"), _indicator("N2", 指标="千兆用户", 单位="万户", 基期值=24000,
                                                         目标值=None, 目标年份=None, 属性="未明确")],
        "任务树": [{"编号": "T1", "类型": "重大任务", "标题": "建设数字基础设施"}],
    }, PLAN)
    fw = read_workbook(good)
    assert [x.id for x in fw.indicators] == ["N1", "N2"]
    assert fw.indicator("N1").attribute == "binding" and fw.indicator("N1").target.value == 12.5  # type: ignore[union-attr]
    assert fw.indicator("N2").target is None and fw.indicator("N2").attribute == "unknown"


def test_growth_column_reserved_for_target_forms(tmp_path: Path) -> None:
    tpl = write_workbook(None, tmp_path / "template.xlsx")
    wb = load_workbook(tpl)
    headers = [c.value for c in wb["主要指标"][1]]
    # the printed table's seven columns come first, in the plan's order
    assert headers[:7] == ["类别", "指标", "单位", "基期值", "目标值", "年均增长或累计", "属性"]
    assert "目标形式" in headers
    filled = _fill(tpl, tmp_path / "g.xlsx", {"主要指标": [_indicator("N1", 年均增长或累计="[5.5]")],
                                              "任务树": []}, PLAN)
    with pytest.raises(FrameworkInvalid) as exc:
        read_workbook(filled)
    # issue 19: the growth cell is read now; a level target and a growth in one row are refused as ambiguous
    assert [(i.path, i.code) for i in exc.value.issues] == [("第3行 F列（年均增长或累计）", "target_form_ambiguous")]


def test_round_trip_of_the_14th_plan_is_exact(tmp_path: Path) -> None:
    fw = planmon.load_framework()
    r = CliRunner().invoke(app, ["framework", "export", str(tmp_path / "p14.xlsx")])
    assert r.exit_code == 0, r.output
    again = planmon.load_framework(tmp_path / "p14.xlsx")
    assert again.content_hash == fw.content_hash
    # and through the YAML written by import
    r = CliRunner().invoke(app, ["framework", "import", str(tmp_path / "p14.xlsx"), "-o", str(tmp_path / "yaml"),
                                 "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["content_hash"] == fw.content_hash
    assert planmon.load_framework(tmp_path / "yaml").content_hash == fw.content_hash
