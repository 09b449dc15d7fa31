"""Projects in the store: import (all or nothing), candidates with reasons, the review queue, the
supervision list of the responsible units."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planmon.projects import ReviewRefused, decide, import_projects, queue, similar_to
from planmon.store import Store
from planmon.supervise import supervision_list

DUPSET = Path(__file__).parent / "dupset" / "projects.csv"
COLS = ["id", "name", "description", "owner_unit", "area_code", "level", "functions", "budget", "start", "end"]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, COLS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def dupset(ids: list[str]) -> list[dict[str, Any]]:
    rows = {r["id"]: r for r in csv.DictReader(DUPSET.open(encoding="utf-8"))}
    return [{**rows[i], "owner_unit": f"{rows[i]['area_code']} 大数据局"} for i in ids]


@pytest.fixture
def store(db_url: str) -> Any:
    s = Store.open(db_url)
    s.init()
    yield s
    s.engine.dispose()


def test_import_queues_likely_duplicates_with_reasons(store: Any, tmp_path: Path) -> None:
    first = import_projects(store, write_csv(tmp_path / "a.csv", dupset(["B15", "B16", "B17", "B37", "B18"])), "office")
    assert first.ok and first.added == 5
    # B15 (一体化政务服务平台) and B37 (好差评) share a field but are different systems: no pair yet
    assert first.candidates == []
    second = import_projects(store, write_csv(tmp_path / "b.csv", dupset(["B15-N", "B15-P", "H16"])), "office")
    assert second.ok and second.added == 3
    pairs = {(c.project.id, c.other.id) for c in second.candidates}
    assert ("B15-N", "B15") in pairs and ("B15-P", "B15") in pairs  # the capital city's copy, a reworded one
    assert not any("H16" in p for p in pairs)  # 排队叫号 is not 一网通办
    c = next(c for c in second.candidates if (c.project.id, c.other.id) == ("B15-N", "B15"))
    codes = [r["code"] for r in c.reasons]
    assert codes[:3] == ["phrases", "functions", "area"] and "period" in codes
    assert "一网通办" in c.phrases and "电子证照" in c.functions
    assert "地域范围重叠" in c.reasons[2]["zh"]
    rows = queue(store)
    assert {(r["project_a"], r["project_b"]) for r in rows} >= {("B15", "B15-N"), ("B15", "B15-P")}
    again = import_projects(store, tmp_path / "b.csv", "office")  # nothing new, nothing queued twice
    assert again.ok and again.added == 0 and len(queue(store)) == len(rows)


def test_bad_projects_file_is_refused_whole(store: Any, tmp_path: Path) -> None:
    good = dupset(["B01"])[0]
    rows = [good, {**good, "id": "X2", "area_code": "990000"}, {**good, "id": "B01"},
            {**good, "id": "X3", "budget": "三千"}, {**good, "id": "X4", "start": 2025, "end": 2021}]
    result = import_projects(store, write_csv(tmp_path / "bad.csv", rows), "office")
    assert not result.ok
    assert {(f.row, f.rule, f.column) for f in result.findings} == {
        (3, "unknown_area", "E"), (4, "duplicate_pilot", "A"), (5, "not_a_number", "H"), (6, "end_before_start", "J")}
    assert similar_to(store, _described(good)) == []  # nothing was written


def _described(row: dict[str, Any]) -> Any:
    from planmon.projects import Project

    return Project.from_row({**row, "id": "(new)"})


def test_review_confirm_and_dismiss_are_audited_and_confirmed_pairs_are_supervised(store: Any, tmp_path: Path) -> None:
    import_projects(store, write_csv(tmp_path / "a.csv", dupset(["B15", "B31"])), "office")
    import_projects(store, write_csv(tmp_path / "b.csv", dupset(["B15-N", "B31-P"])), "office")
    open_pairs = {(r["project_a"], r["project_b"]): r["id"] for r in queue(store)}
    dup, other = open_pairs[("B15", "B15-N")], open_pairs[("B31", "B31-P")]
    with pytest.raises(ReviewRefused):
        decide(store, dup, "confirm", "  ", "office")  # a reason is required
    decide(store, dup, "confirm", "市级平台与省平台功能重叠，应接入省平台", "office")
    decide(store, other, "dismiss", "同一项目的变更申报，不是新建", "office")
    with pytest.raises(ReviewRefused) as exc:
        decide(store, dup, "dismiss", "again", "office")
    assert exc.value.status == 409
    events = {e["action"]: e for e in store.audit_events(entity="duplicate_pairs")}
    assert events["duplicate.confirm"]["detail"] == "市级平台与省平台功能重叠，应接入省平台"
    assert events["duplicate.dismiss"]["after"]["state"] == "dismissed"
    sl = supervision_list(store, date.today(), monitoring=False)
    dups = sl[sl.kind == "duplicate_project"]
    assert set(dups.reference) == {f"DUP-{dup}"}
    # the city's copy was registered later: its owner must act (high); the province offers its platform (medium)
    assert dict(zip(dups.unit, dups.severity, strict=True)) == {"330100 大数据局": "high", "330000 大数据局": "medium"}
    assert set(dups.item) == {"B15", "B15-N"}
