"""Division-of-responsibility import and export: the broken tables of tests/supervise/broken, each
refused whole with exactly its problems; round trips through XLSX, CSV and YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from planmon.cli import app
from planmon.store import Store
from planmon.store.tables import milestones, responsibilities
from planmon.supervise import division, export_duties, import_duties

BROKEN = Path(__file__).parent / "broken"

# file -> every (row, column, code) it must give
EXPECTED: dict[str, set[tuple[int, str, str]]] = {
    # row 3: 国家数据部 is not a unit (国家数据局 is); row 4: P03 has no lead; row 5 repeats row 2
    "three_mistakes.csv": {
        (3, "牵头单位", "unknown_unit"),
        (4, "牵头单位", "no_lead"),
        (5, "规划事项", "duplicate_row"),
    },
    "unknown_item.csv": {
        (2, "规划事项", "unknown_item"),
        (3, "规划事项", "unknown_item"),
        (4, "规划事项", "missing_item"),
    },
    # row 2: month 13; row 3: milestone without deadline; row 4: deadline without milestone;
    # row 6: same milestone and deadline as row 5 (the rows differ in their participants)
    "bad_milestones.csv": {
        (2, "完成时限", "bad_deadline"),
        (3, "完成时限", "missing_deadline"),
        (4, "阶段目标", "missing_milestone"),
        (6, "阶段目标", "duplicate_milestone"),
    },
    # row 3: 江苏省 joins P10 in row 2 and cannot also lead it; row 4: MIIT both leads and joins P11
    "role_conflict.csv": {
        (3, "牵头单位", "role_conflict"),
        (4, "参与单位", "role_conflict"),
    },
    "missing_column.csv": {
        (1, "规划事项", "missing_column"),
        (1, "牵头单位", "missing_column"),
    },
    # entry 2 (T2) has a participant but no lead; MOSTT is not a unit; 'owner' is not a role
    "framework_form.yaml": {
        (2, "responsibilities[1].unit", "no_lead"),
        (3, "responsibilities[2].unit", "unknown_unit"),
        (4, "responsibilities[3].role", "bad_role"),
    },
}


def rows_of(store: Store) -> tuple[list[tuple], list[tuple]]:
    with store.engine.connect() as conn:
        r = sorted(tuple(x) for x in conn.execute(select(responsibilities)).all())
        m = sorted(tuple(x) for x in conn.execute(select(milestones)).all())
    return r, m



def test_every_broken_file_has_a_test() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_table_refused_whole_with_every_problem(store: Store, name: str) -> None:
    before = rows_of(store)
    result = import_duties(store, BROKEN / name, actor="office")
    assert not result.ok
    assert {(p.row, p.column, p.code) for p in result.problems} == EXPECTED[name]
    for p in result.problems:  # each reason in both languages
        assert p.message_zh and p.message_en and p.message_zh != p.message_en
    assert rows_of(store) == before  # nothing written, not even the valid rows


def test_malformed_xlsx_refused_whole_listing_rows(store: Store, tmp_path: Path) -> None:
    """Must show: unknown unit, item without lead and duplicate row, in an office's Excel table."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["规划事项", "牵头单位", "参与单位", "阶段目标", "完成时限", "成果形式"])
    ws.append(["T1", "工业和信息化部", "中央网信办", None, None, None])  # row 2: valid
    ws.append(["A5", "民政部、杭州市民政局", "浙江省", None, None, None])  # row 3: unknown unit
    ws.append(["P03", None, "贵州省", "国家枢纽节点建设基本完成", "2024-06-30", "工作报告"])  # row 4: no lead
    ws.append(["T1", "工业和信息化部", "中央网信办", None, None, None])  # row 5: duplicate of row 2
    path = tmp_path / "分工方案.xlsx"
    wb.save(path)
    before = rows_of(store)
    result = import_duties(store, path, actor="office")
    assert not result.ok
    assert [(p.row, p.code) for p in result.problems] == [(3, "unknown_unit"), (4, "no_lead"), (5, "duplicate_row")]
    assert "杭州市民政局" in result.problems[0].message_zh and "杭州市民政局" in result.problems[0].message_en
    assert "P03" in result.problems[1].message_en
    assert "第 2 行" in result.problems[2].message_zh and "row 2" in result.problems[2].message_en
    assert rows_of(store) == before
    # the CLI refuses it with exit 1 and lists every row, in either language
    for lang, needles in (("zh", ["第 3 行", "第 4 行", "第 5 行"]), ("en", ["row 3", "row 4", "row 5"])):
        out = CliRunner().invoke(app, ["--db", str(store.url), "--lang", lang, "duties", "import", str(path)])
        assert out.exit_code == 1
        for n in needles:
            assert n in out.output
    out = CliRunner().invoke(app, ["--db", str(store.url), "duties", "import", str(path), "--format", "json"])
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert not data["ok"] and [p["row"] for p in data["problems"]] == [3, 4, 5]
    assert set(data["problems"][0]) >= {"row", "column", "message_zh", "message_en"}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".yaml"])
def test_export_then_import_changes_nothing(store: Store, tmp_path: Path, suffix: str) -> None:
    with store.engine.connect() as conn:
        before = division(conn, "cn-informatization-14fyp")[["item", "unit", "role"]]
    _, ms_before = rows_of(store)
    path = export_duties(store, tmp_path / f"duties{suffix}")
    result = import_duties(store, path, actor="office")
    assert result.ok, [p.format("en") for p in result.problems]
    assert result.filled == 0 and result.milestones == 0  # the built-in milestones come back as they were
    with store.engine.connect() as conn:
        after = division(conn, "cn-informatization-14fyp")
    assert after[["item", "unit", "role"]].equals(before)
    assert set(after.origin) == {"import"}
    assert rows_of(store)[1] == ms_before


def test_export_xlsx_is_the_office_table(store: Store, tmp_path: Path) -> None:
    path = export_duties(store, tmp_path / "分工.xlsx")
    ws = load_workbook(path).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("规划事项", "牵头单位", "参与单位", "阶段目标", "完成时限", "成果形式")
    # A1 (inferred lead 中央网信办) has two rows: its 2023 milestone and 2025 target
    a1 = [r for r in rows if str(r[0]).startswith("A1 ")]
    assert [r[4] for r in a1] == ["2023-12-31", "2025-12-31"] and a1[0][1] == "中央网信办"
    # 10 tasks + 17 projects + 10 actions, the actions with two rows each
    assert len(rows) - 1 == 10 + 17 + 2 * 10


def test_import_replaces_only_the_items_it_names(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("规划事项,牵头单位,参与单位,阶段目标,完成时限,成果形式\n"
                    "T1,MIIT、浙江,江苏省,千兆光网覆盖所有地级市,2024年底,\n"
                    "5G创新应用工程,工信部,,,,\n", encoding="utf-8")
    result = import_duties(store, path, actor="office")
    assert result.ok, [p.format("en") for p in result.problems]
    assert result.items == ["T1", "P01"] and result.milestones == 1
    with store.engine.connect() as conn:
        div = division(conn, "cn-informatization-14fyp")
        ms = conn.execute(select(milestones).where(milestones.c.id == "T1-U01")).one()
    assert set(div[div.item == "T1"].itertuples(index=False, name=None)) == {
        ("T1", "330000", "lead", "import", False), ("T1", "MIIT", "lead", "import", False),
        ("T1", "320000", "participant", "import", False)}
    assert ms.due == "2024-12-31"  # "2024年底" is the last day of 2024
    # P01 now only MIIT (the framework's inferred CAC, NDRC participants are gone); T2 untouched
    assert set(div[div.item == "P01"].unit) == {"MIIT"}
    assert set(div[div.item == "T2"].origin) == {"framework"}
    events = store.audit_events(entity="responsibilities")
    assert events[0]["action"] == "duties.import" and events[0]["actor"] == "office"


def test_excel_date_and_year_cells(store: Store, tmp_path: Path) -> None:
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["任务编号", "牵头部门", "配合单位", "阶段目标", "时间节点", "预期成果"])  # header synonyms
    ws.append(["P03", "国家发展改革委", "贵州省\n内蒙古自治区", "国家枢纽节点建设基本完成", datetime(2024, 6, 30), "工作报告"])
    ws.append(["P03", None, None, "全面建成", 2025, None])  # a year typed as a number: its last day
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    result = import_duties(store, path, actor="office")
    assert result.ok, [p.format("en") for p in result.problems]
    with store.engine.connect() as conn:
        ms = {r.id: (r.due, r.text_zh) for r in conn.execute(select(milestones).where(milestones.c.item_id == "P03"))}
        div = division(conn, "cn-informatization-14fyp")
    assert ms == {"P03-U01": ("2024-06-30", "国家枢纽节点建设基本完成（成果形式：工作报告）"),
                  "P03-U02": ("2025-12-31", "全面建成")}
    assert set(div[div.item == "P03"].unit) == {"NDRC", "520000", "150000"}
