"""A realistic scenario on the built-in plan: the office imports its division of responsibility
(an Excel table written here with openpyxl, several ministries and provinces, merged cells, units
named by id and by Chinese name), units report — some on time, some late, some delayed, one
correction — and the supervision list and scorecard as of 2024-07-20 equal the lists derived by
hand in the comments below.

Reporting cycle: quarterly, due 15 days after the quarter ends (the default), first period owed
2024Q1. As of 2024-07-20 the current period is 2024Q2 (ended 2024-06-30, due 2024-07-15).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from planmon.store import Store
from planmon.supervise import (
    ReportingCycle,
    add_progress_report,
    division,
    import_duties,
    list_progress_reports,
    scorecard,
    supervision_list,
)

AS_OF = date(2024, 7, 20)
CYCLE = ReportingCycle("quarterly", 15, "2024Q1")

# item -> (leads, participants), leads named by Chinese name or id, as an office writes them
SCHEME: dict[str, tuple[str, str]] = {
    "T1": ("工业和信息化部", "中央网信办、国家发展改革委、浙江省"),
    "T2": ("国家数据局", "浙江省、广东省"),
    "T3": ("科技部", "NDRC"),
    "T4": ("MIIT", "CAC"),
    "T5": ("工业和信息化部", "江苏省"),
    "T6": ("中央网信办", "公安部"),
    "T7": ("国务院办公厅", "浙江省、上海市"),
    "T8": ("国家发展改革委", "民政部"),
    "T9": ("商务部", "CAC"),
    "T10": ("中央网信办", "市场监管总局"),
    "P01": ("工业和信息化部", "广东省"),
    "P02": ("MIIT", "公安部"),
    "P03": ("国家发展改革委", "贵州省、内蒙古"),
    "P04": ("MIIT", ""),
    "P05": ("国家数据局", "广东省"),
    "P06": ("NDA", ""),
    "P07": ("科技部", "MIIT"),
    "P08": ("国家知识产权局", ""),
    "P09": ("MIIT", ""),
    "P10": ("工业和信息化部", "江苏省、广东省"),
    "P11": ("MIIT", "商务部"),
    "P12": ("公安部", ""),
    "P13": ("中央网信办", "科技部"),
    "P14": ("应急管理部", ""),
    "P15": ("国务院办公厅", "浙江省"),
    "P16": ("国家发展改革委", ""),
    "P17": ("商务部", ""),
    "A1": ("中央网信办", "教育部"),
    "A2": ("MIIT", ""),
    "A3": ("科技部", ""),
    "A4": ("商务部", "上海市"),
    "A5": ("民政部、浙江", ""),  # a pilot province co-leads (short name 浙江)
    "A6": ("农业农村部、中央网信办", ""),  # two leads
    "A7": ("生态环境部", ""),
    "A8": ("中国人民银行", ""),
    "A9": ("国家卫生健康委", ""),
    "A10": ("民政部", "上海市"),
}
# milestones of the table: (item, text, deadline); A1's fill the built-in to-be-filled ones
MILESTONES = {
    "A1": [("2023年底前开展全民数字素养与技能培训", "2023-12-31"), ("2025年全民数字素养与技能显著提升", "2025-12-31")],
    "P03": [("国家枢纽节点建设基本完成", "2024-06-30")],
    "T7": [("政务服务事项“一网通办”全面实现", "2024-03-31")],
}


def write_scheme(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["规划事项", "牵头单位", "参与单位", "阶段目标", "完成时限", "成果形式"])
    for item, (leads, parts) in SCHEME.items():
        ms = MILESTONES.get(item, [("", "")])
        first = ws.max_row + 1
        for text, due in ms:
            ws.append([item if item != "P03" else "全国一体化大数据中心体系建设工程", leads, parts, text, due,
                       "工作报告" if text else ""])
        if len(ms) > 1:  # the office merges the item, lead and participant cells over its rows
            for col in "ABC":
                ws.merge_cells(f"{col}{first}:{col}{first + len(ms) - 1}")
    wb.save(path)
    return path


def lead_ids(item: str) -> list[str]:
    ids = {"工业和信息化部": "MIIT", "国家数据局": "NDA", "科技部": "MOST", "中央网信办": "CAC", "国务院办公厅": "GOSC",
           "国家发展改革委": "NDRC", "商务部": "MOFCOM", "国家知识产权局": "CNIPA", "公安部": "MPS", "应急管理部": "MEM",
           "民政部": "MCA", "浙江": "330000", "农业农村部": "MARA", "生态环境部": "MEE", "中国人民银行": "PBC",
           "国家卫生健康委": "NHC"}
    return [ids.get(n, n) for n in SCHEME[item][0].split("、")]


def report(store: Store, item: str, unit: str, period: str, status: str, on: str, share: float | None = None) -> int:
    return add_progress_report(store, item, unit, period, status, actor=f"unit:{unit}", share_done=share,
                               narrative=f"{item} {period}", reported_on=date.fromisoformat(on))


# (item, unit) pairs whose 2024Q2 report is written explicitly below (or deliberately missing)
SPECIAL_Q2 = {("T2", "NDA"), ("T9", "MOFCOM"), ("P05", "NDA"), ("P07", "MOST"), ("P10", "MIIT"), ("P12", "MPS"),
              ("A4", "MOFCOM"), ("A6", "CAC"), ("A8", "PBC")}


def build(store: Store, tmp_path: Path) -> None:
    store.init()
    result = import_duties(store, write_scheme(tmp_path / "分工方案.xlsx"), actor="office")
    assert result.ok, [p.format("en") for p in result.problems]
    # milestones met
    report(store, "A1-M2023", "CAC", "2023Q4", "done", "2023-12-28")  # met on time
    report(store, "A2-M2023", "MIIT", "2024Q1", "done", "2024-02-10")  # met late
    report(store, "T7-U01", "GOSC", "2024Q1", "done", "2024-03-25")  # imported milestone, met on time
    report(store, "A8", "PBC", "2024Q1", "done", "2024-04-10", 1.0)  # whole action done: its milestones are met
    # 2024Q1 reports
    report(store, "P10", "MIIT", "2024Q1", "delayed", "2024-04-12", 0.2)
    report(store, "T2", "NDA", "2024Q1", "delayed", "2024-04-14", 0.3)
    # 2024Q2: every lead reports on schedule on 2024-07-10, except the special pairs
    for item in SCHEME:
        for unit in lead_ids(item):
            if (item, unit) not in SPECIAL_Q2:
                report(store, item, unit, "2024Q2", "on_schedule", "2024-07-10", 0.5)
    report(store, "T2", "NDA", "2024Q2", "on_schedule", "2024-07-12", 0.5)  # recovered: no longer delayed
    report(store, "P05", "NDA", "2024Q2", "on_schedule", "2024-07-09", 0.5)
    report(store, "P05", "440000", "2024Q2", "delayed", "2024-07-08", 0.1)  # a participating province is behind
    report(store, "P07", "MOST", "2024Q2", "on_schedule", "2024-07-18", 0.4)  # late (due 07-15)
    report(store, "P10", "MIIT", "2024Q2", "delayed", "2024-07-10", 0.25)
    report(store, "A4", "MOFCOM", "2024Q2", "on_schedule", "2024-07-05", 0.5)
    report(store, "A4", "MOFCOM", "2024Q2", "delayed", "2024-07-18", 0.35)  # correction: revision 2
    report(store, "T9", "MOFCOM", "2024Q2", "delayed", "2024-07-25", 0.3)  # after the as-of date: not yet seen
    # A6: MARA reported (above); co-lead CAC did not. P12 (MPS): nothing. A8 (PBC): done in 2024Q1, owes nothing.


# The list as of 2024-07-20, derived by hand:
# overdue milestones (due before 2024-07-20, no done report on it or its item by then):
#   A1-M2023 met 2023-12-28, A2-M2023 met 2024-02-10 (late, but met), A8-M2023 met through "A8 done",
#   T7-U01 met 2024-03-25 -> not listed. A3..A10 except A8: 2023 milestone open, one entry per lead,
#   since 2023-12-31, 202 days (2024 is a leap year: 31+29+31+30+31+30+20 = 202) -> high (> 90 days).
#   P03-U01 (imported, due 2024-06-30) open: NDRC, 20 days -> medium.
# delayed (latest report of the unit on the item says delayed) -> high:
#   P05 广东 since 2024-07-08 (12 days); P10 MIIT delayed in Q1 (04-12) and Q2 -> since 2024-04-12 (99 days);
#   A4 MOFCOM revision 2 of 2024Q2 (07-18) -> since 2024-07-18 (2 days). T2 recovered in Q2;
#   T9's delayed report is dated after the as-of date.
# missing 2024Q2 reports (due 2024-07-15, 5 days) -> medium: T9 MOFCOM, P12 MPS, A6 CAC (MARA reported).
#   P07 reported late (present); A8 done.
# Order: severity, then kind (overdue milestone, delayed, missing report), item order of the plan, unit.
EXPECTED = [
    ("high", "overdue_milestone", "A3", "MOST", "A3-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A4", "MOFCOM", "A4-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A5", "330000", "A5-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A5", "MCA", "A5-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A6", "CAC", "A6-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A6", "MARA", "A6-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A7", "MEE", "A7-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A9", "NHC", "A9-M2023", "2023-12-31", 202),
    ("high", "overdue_milestone", "A10", "MCA", "A10-M2023", "2023-12-31", 202),
    ("high", "delayed", "P05", "440000", "2024Q2", "2024-07-08", 12),
    ("high", "delayed", "P10", "MIIT", "2024Q2", "2024-04-12", 99),
    ("high", "delayed", "A4", "MOFCOM", "2024Q2", "2024-07-18", 2),
    ("medium", "overdue_milestone", "P03", "NDRC", "P03-U01", "2024-06-30", 20),
    ("medium", "missing_report", "T9", "MOFCOM", "2024Q2", "2024-07-15", 5),
    ("medium", "missing_report", "P12", "MPS", "2024Q2", "2024-07-15", 5),
    ("medium", "missing_report", "A6", "CAC", "2024Q2", "2024-07-15", 5),
]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[Store]:
    """The scenario built once on SQLite for the read-only tests below."""
    d = tmp_path_factory.mktemp("scenario")
    shutil.copy(template_db, d / "planmon.db")
    store = Store.open(f"sqlite:///{d / 'planmon.db'}")
    build(store, d)
    yield store
    store.engine.dispose()


def test_supervision_list_equals_hand_derived(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    build(store, tmp_path)
    sl = supervision_list(store, AS_OF, cycle=CYCLE, monitoring=False)
    got = [(r.severity, r.kind, r.item, r.unit, r.reference, r.since, int(r.days_overdue)) for r in sl.itertuples()]
    assert got == EXPECTED
    for r in sl.itertuples():  # every entry names its unit and says what and what to do, in both languages
        assert r.unit_name_zh and r.unit_name_en and r.owed_zh and r.owed_en and r.suggested_zh and r.suggested_en
    p10 = sl[(sl.item == "P10")].iloc[0]
    assert p10.unit_name_zh == "工业和信息化部" and "25%" in p10.owed_zh and p10.item_title_zh == "制造业数字化转型工程"
    store.engine.dispose()


def test_division_and_milestones_from_the_scheme(scenario: Store) -> None:
    store = scenario
    with store.engine.connect() as conn:
        div = division(conn, "cn-informatization-14fyp")
    # names resolved: 浙江 (short name) -> 330000; the framework's inferred CAC/NDRC participants of T1 replaced
    assert set(div[(div.item == "A5") & (div.role == "lead")].unit) == {"MCA", "330000"}
    assert set(div[div.item == "T1"].unit) == {"MIIT", "CAC", "NDRC", "330000"}
    assert set(div[div.item == "P03"].unit) == {"NDRC", "520000", "150000"}
    assert set(div.origin) == {"import"}  # the table named every task, project and action
    # merged cells: A1's second row inherited its lead; the built-in to-be-filled milestones got their text
    from sqlalchemy import select

    from planmon.store.tables import milestones

    with store.engine.connect() as conn:
        ms = {r.id: r for r in conn.execute(select(milestones).where(milestones.c.item_id.in_(["A1", "P03"])))}
    assert not ms["A1-M2023"].to_be_filled and ms["A1-M2023"].text_zh.startswith("2023年底前开展全民数字素养")
    assert ms["A1-M2025"].due == "2025-12-31" and not ms["A1-M2025"].to_be_filled
    assert ms["P03-U01"].due == "2024-06-30"
    store.engine.dispose()


def test_revisions_are_kept(scenario: Store) -> None:
    store = scenario
    allrev = list_progress_reports(store, item="A4", unit="MOFCOM", all_revisions=True)
    assert list(allrev.revision) == [1, 2] and list(allrev.status) == ["on_schedule", "delayed"]
    cur = list_progress_reports(store, item="A4", unit="MOFCOM")
    assert list(cur.revision) == [2] and cur.iloc[0].status_zh == "滞后"
    p07 = list_progress_reports(store, item="P07", unit="MOST").iloc[0]
    assert bool(p07.late) and p07.due == "2024-07-15"
    store.engine.dispose()


def test_scorecard_equals_hand_derived(scenario: Store) -> None:
    store = scenario
    sc = scorecard(store, AS_OF, cycle=CYCLE, monitoring=False).set_index("unit")
    # Periods owed as of 2024-07-20 from 2024Q1: 2024Q1 (due 04-15) and 2024Q2 (due 07-15).
    # MIIT leads 10 items (T1 T4 T5 P01 P02 P04 P09 P10 P11 A2): 2024Q2 all on time (10);
    # 2024Q1 only P10 (04-12) -> 11 on time of 20, 9 missing; the A2-M2023 report is on a milestone,
    # not the item. Milestones due: A2-M2023, met 2024-02-10 (late). Delayed: P10.
    m = sc.loc["MIIT"]
    assert (m.items_led, m.reports_owed, m.reports_on_time, m.reports_late, m.reports_missing) == (10, 20, 11, 0, 9)
    assert m.on_time_rate == pytest.approx(11 / 20)
    assert (m.milestones_due, m.milestones_met_on_time, m.milestones_met_late, m.milestones_open) == (1, 0, 1, 0)
    assert m.items_delayed == 1
    # MOST leads T3, P07, A3: Q2 T3 and A3 on time, P07 late (07-18); Q1 none -> 2 on time, 1 late, 3 missing.
    s = sc.loc["MOST"]
    assert (s.reports_owed, s.reports_on_time, s.reports_late, s.reports_missing) == (6, 2, 1, 3)
    assert (s.milestones_due, s.milestones_open) == (1, 1)
    # CAC leads T6 T10 P13 A1 A6: Q2 all but A6 -> 4 of 10; A1-M2023 met on time, A6-M2023 open.
    c = sc.loc["CAC"]
    assert (c.items_led, c.reports_owed, c.reports_on_time) == (5, 10, 4)
    assert (c.milestones_due, c.milestones_met_on_time, c.milestones_open) == (2, 1, 1)
    assert c.milestones_on_time_rate == pytest.approx(0.5)
    # PBC reported A8 done in 2024Q1 (on time) and owes nothing after it; A8-M2023 met late by that report.
    b = sc.loc["PBC"]
    assert (b.reports_owed, b.reports_on_time, b.on_time_rate) == (1, 1, 1.0)
    assert (b.milestones_due, b.milestones_met_late) == (1, 1)
    # a participating province leads nothing but is on the card; Zhejiang co-leads A5
    assert sc.loc["440000"].items_led == 0 and sc.loc["330000"].items_led == 1
    one = scorecard(store, AS_OF, unit="MOST", cycle=CYCLE, monitoring=False)
    assert list(one.unit) == ["MOST"] and one.iloc[0].reports_late == 1
    store.engine.dispose()
