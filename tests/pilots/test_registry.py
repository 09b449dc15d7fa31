"""The pilot registry: built-in published lists, all-or-nothing import with located findings,
state changes as revisions with reasons, export round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from planmon.pilots import (
    TransitionRefused,
    export_registry,
    get_pilot,
    history,
    import_registry,
    list_pilots,
    transition,
)
from planmon.pilots.tables import pilot_revisions, pilots
from tests.pilots.conftest import workbook


def _count(store: Any) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(pilots)).scalar_one(),
                conn.execute(select(func.count()).select_from(pilot_revisions)).scalar_one())


def test_builtin_registry_holds_the_published_pilots_marked_partial(store: Any) -> None:
    rows = list_pilots(store)
    # pilots-seed.csv names 29 pilots (6 + 1 + 2 + 4 + 16) in 5 programmes
    assert len(rows) == 29
    assert all(r["partial"] and r["state"] == "approved" for r in rows)
    suzhou = get_pilot(store, "SMEDX-1-320500")
    assert suzhou["unit_name"] == "苏州市" and "117号" in suzhou["source"] and suzhou["url"].startswith("http")
    assert {r["programme_id"] for r in rows} == {"DEZ", "BCC", "BCS", "DRP", "SMEDX"}
    # an institution has no area code
    assert any(r["area_code"] is None and r["level"] == "institution" for r in rows)


GOOD = {"programme": "SMEDX", "batch": 3, "unit_name": "杭州市", "area_code": "330100", "level": "地市级",
        "theme": "中小企业数字化转型", "start": "2025-07-01", "end": "2027-06-30", "budget": 15000, "state": "批复"}


def test_file_with_eight_kinds_of_mistakes_is_refused_whole_and_every_finding_located(store: Any, tmp_path: Path) -> None:
    before = _count(store)
    rows = [
        dict(GOOD),                                                             # row 2: fine
        {**GOOD, "programme": "智慧城市试点", "unit_name": "甲市", "area_code": "330300"},  # 3: unknown programme
        {**GOOD, "unit_name": "乙市", "area_code": "990100"},                      # 4: unknown area code
        {**GOOD, "unit_name": "温州市", "area_code": "330300", "end": "2024-12-31"},  # 5: end before start
        {**GOOD, "programme": "DEZ", "unit_name": "江苏省", "area_code": "320000", "state": "申报"},  # 6: DEZ has no 'applied'
        {**GOOD, "budget": 12000},                                              # 7: duplicate of row 2 (same pilot)
        {**GOOD, "unit_name": "嘉兴市", "area_code": "330400", "budget": 15000},    # 8: cap 10000 for a non-capital
        {**GOOD, "unit_name": "湖州市", "area_code": "330500", "budget": "一亿"},   # 9: not a number
        {**GOOD, "unit_name": "绍兴市", "area_code": "330600", "budget": 8000, "state": "验收通过"},  # 10: enters past the entry states
        {**GOOD, "pilot_id": "SMEDX-1-320500", "unit_name": "苏州市", "area_code": "320500", "batch": 1,
         "start": "2023", "budget": None, "state": "已评估", "reason": "年度评估"},              # 11: approved → evaluated skips active
    ]
    path = workbook(tmp_path / "名单.xlsx", rows)
    result = import_registry(store, path, "office")
    assert not result.ok
    got = {(f.row, f.rule, f.column) for f in result.findings}
    # columns: A pilot_id, B programme, C batch, D unit_name, E area_code, H start, I end, K budget, L state
    assert got == {
        (3, "unknown_programme", "B"), (4, "unknown_area", "E"), (5, "end_before_start", "I"),
        (6, "state_not_allowed", "L"), (7, "duplicate_pilot", "D"), (8, "over_cap", "K"), (9, "not_a_number", "K"),
        (10, "skipped_state", "L"), (11, "skipped_state", "L"),
    }
    assert {f.rule for f in result.findings} >= {"unknown_programme", "unknown_area", "end_before_start",
                                                  "state_not_allowed", "duplicate_pilot", "over_cap", "not_a_number",
                                                  "skipped_state"}
    for f in result.findings:
        assert f.file == "名单.xlsx" and f.sheet == "试点" and f.message_zh and f.message_en
        assert "第" in f.format("zh") and "row" in f.format("en")
    assert _count(store) == before  # nothing written, not even the good row
    assert get_pilot(store, "SMEDX-1-320500")["state"] == "approved"


def test_good_file_imports_then_reimport_changes_nothing(store: Any, tmp_path: Path) -> None:
    rows = [dict(GOOD), {**GOOD, "unit_name": "宁波市（第三批复核）", "area_code": None, "level": "单位", "budget": 9000}]
    targets = [{"pilot_id": "SMEDX-3-330100", "indicator": "SME1", "baseline_period": "2025", "baseline": 0,
                "target_period": "2027", "target": 3000}]
    path = workbook(tmp_path / "ok.xlsx", rows, targets)
    result = import_registry(store, path, "office")
    assert result.ok, [f.format() for f in result.findings]
    assert (result.added, result.revised, result.targets) == (2, 0, 1)
    hz = get_pilot(store, "SMEDX-3-330100")
    # a provincial capital: the higher cap (15000 万元) applies, so 15000 passes
    assert hz["budget"] == 15000 and hz["state"] == "approved" and hz["level"] == "city"
    again = import_registry(store, path, "office")
    assert again.ok and (again.added, again.revised, again.unchanged, again.targets) == (0, 0, 2, 0)
    events = store.audit_events(entity="pilots")
    assert {e["action"] for e in events} >= {"pilot.create", "pilots.import"}


def test_state_change_by_import_is_a_revision_with_its_reason(store: Any, tmp_path: Path) -> None:
    row = {"pilot_id": "SMEDX-1-320500", "programme": "SMEDX", "batch": 1, "unit_name": "苏州市", "area_code": "320500",
           "level": "city", "theme": "中小企业数字化转型", "start": "2023", "end": "2025", "state": "实施中",
           "state_date": "2023-09-01", "source": "财政部、工业和信息化部（财建〔2023〕117号）",
           "url": "http://www.cwx.com.cn/cellphone/202505/72541.html"}
    no_reason = import_registry(store, workbook(tmp_path / "a.xlsx", [row]), "office")
    assert [f.rule for f in no_reason.findings] == ["missing_reason"]
    ok = import_registry(store, workbook(tmp_path / "b.xlsx", [{**row, "reason": "实施方案已批复"}]), "office")
    assert ok.ok and ok.transitions == 1 and ok.revised == 1
    h = history(store, "SMEDX-1-320500")
    assert [r["revision"] for r in h["revisions"]] == [1, 2]
    last = h["decisions"][-1]
    assert (last["from_state"], last["to_state"], last["decided_on"], last["reason"], last["created_by"]) == (
        "approved", "active", "2023-09-01", "实施方案已批复", "office")


def test_transition_one_step_with_reason_and_refusals(store: Any) -> None:
    with pytest.raises(TransitionRefused):
        transition(store, "DRP-1-520122", "active", "office", "")  # no reason
    with pytest.raises(TransitionRefused) as exc:
        transition(store, "DRP-1-520122", "graduated", "office", "通过验收")  # approved → graduated skips two
    assert "跳过" in exc.value.message_zh and "skipped" in exc.value.message_en
    with pytest.raises(TransitionRefused):
        transition(store, "DEZ-1-330000", "applied", "office", "x")  # DEZ has no 'applied'
    from datetime import date

    transition(store, "DRP-1-520122", "active", "office", "启动实施", on=date(2020, 11, 1))
    rec = transition(store, "DRP-1-520122", "exited", "office", "试点推进不力，取消试点资格", on=date(2021, 12, 1))
    assert rec["state"] == "exited" and rec["revision"] == 3 and rec["state_since"] == "2021-12-01"
    ev = [e for e in store.audit_events(entity="pilots", entity_id="DRP-1-520122") if e["action"] == "pilot.revise"]
    assert ev[0]["after"] == {"state": "exited", "state_since": "2021-12-01"}
    assert ev[0]["before"] == {"state": "active", "state_since": "2020-11-01"}
    with pytest.raises(TransitionRefused):
        transition(store, "DRP-1-520122", "active", "office", "恢复")  # exited is final


def test_export_imports_back_unchanged(store: Any, tmp_path: Path) -> None:
    path = tmp_path / "registry.xlsx"
    assert export_registry(store, path) == 29
    result = import_registry(store, path, "office")
    assert result.ok and result.unchanged == 29 and result.added == result.revised == 0
