"""Edge rules of the supervision list, each against a hand count on the built-in plan."""

from __future__ import annotations

from datetime import date

from planmon.store import Store
from planmon.supervise import add_progress_report, supervision_list


def test_after_the_plan_ends_only_milestones_are_owed(store: Store) -> None:
    # As of 2026-03-01 the current quarter (2025Q4, due 2026-01-15) is the plan's last: 37 leads owe it.
    sl = supervision_list(store, date(2026, 3, 1), monitoring=False)
    assert (sl.kind == "missing_report").sum() == 37 and set(sl[sl.kind == "missing_report"].reference) == {"2025Q4"}
    # As of 2026-11-29 the current quarter is 2026Q3, after the plan: no report is owed, but the 2023
    # milestones and 2025 targets of the ten actions are (20 entries, the targets 'high')
    sl = supervision_list(store, date(2026, 11, 29), monitoring=False)
    assert set(sl.kind) == {"overdue_milestone"} and len(sl) == 20
    assert set(sl[sl.reference.str.endswith("M2025")].severity) == {"high"}


def test_a_done_item_owes_no_more_reports_and_meets_its_milestones(store: Store) -> None:
    add_progress_report(store, "A9", "NHC", "2023Q4", "done", actor="nhc", share_done=1, reported_on=date(2023, 12, 30))
    sl = supervision_list(store, date(2024, 5, 1), monitoring=False)
    # 37 leads owe 2024Q1 (due 2024-04-15) except NHC for A9; 10 - 1 milestones overdue
    assert (sl.kind == "missing_report").sum() == 36 and not ((sl.item == "A9") & (sl.unit == "NHC")).any()
    assert (sl.kind == "overdue_milestone").sum() == 9
