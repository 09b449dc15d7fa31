"""Progress reports: revisions, evidence with hashes and a size limit, every problem at once;
the reporting cycle's periods and due dates."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planmon.periods import Period
from planmon.store import Store
from planmon.store.tables import evidence_files, progress_reports
from planmon.supervise import (
    ProgressReportRejected,
    ReportingCycle,
    add_progress_report,
    evidence_of,
    list_progress_reports,
)
from planmon.supervise import progress as progress_module


def count(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(progress_reports)).scalar_one(),
                conn.execute(select(func.count()).select_from(evidence_files)).scalar_one())


def test_a_second_report_is_a_revision_and_nothing_is_overwritten(store: Store, tmp_path: Path) -> None:
    pdf = tmp_path / "会议纪要.pdf"
    pdf.write_bytes(b"%PDF-1.4 minutes of the meeting")
    first = add_progress_report(store, "A1", "CAC", "2024Q2", "按计划推进", actor="cac", share_done="40%",
                                narrative="培训 3000 万人次", evidence=[pdf], reported_on=date(2024, 7, 10))
    second = add_progress_report(store, "A1", "CAC", "2024Q2", "delayed", actor="cac", share_done=0.35,
                                 narrative="更正：受预算影响", reported_on=date(2024, 7, 12))
    assert second != first
    allrev = list_progress_reports(store, item="A1", all_revisions=True)
    assert list(allrev.revision) == [1, 2]
    assert list(allrev.status) == ["on_schedule", "delayed"]  # the zh label 按计划推进 was accepted
    assert list(allrev.share_done) == [0.4, 0.35]
    assert list(allrev.narrative) == ["培训 3000 万人次", "更正：受预算影响"]
    cur = list_progress_reports(store, item="A1")
    assert len(cur) == 1 and cur.iloc[0].revision == 2 and cur.iloc[0].status_zh == "滞后"
    ev = evidence_of(store, first)
    assert len(ev) == 1 and ev[0]["filename"] == "会议纪要.pdf" and ev[0]["media_type"] == "application/pdf"
    assert ev[0]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest() and ev[0]["size"] == pdf.stat().st_size
    assert bytes(ev[0]["content"]) == pdf.read_bytes()
    assert allrev.iloc[0].evidence == 1 and allrev.iloc[1].evidence == 0
    events = store.audit_events(entity="progress_reports")
    assert [e["after"]["revision"] for e in events] == [2, 1]


def test_every_problem_listed_and_nothing_written(store: Store, tmp_path: Path) -> None:
    before = count(store)
    with pytest.raises(ProgressReportRejected) as exc:
        add_progress_report(store, "T99", "MARS", "2024Q5", "going well", actor="x", share_done="150%",
                            evidence=[tmp_path / "missing.pdf"])
    fields = [f for f, _, _ in exc.value.problems]
    assert sorted(fields) == ["evidence", "item", "period", "share_done", "status", "unit"]
    for _, zh, en in exc.value.problems:
        assert zh and en and zh != en
    assert count(store) == before


def test_a_unit_reports_only_on_items_it_shares(store: Store) -> None:
    with pytest.raises(ProgressReportRejected) as exc:
        add_progress_report(store, "A9", "MIIT", "2024Q2", "done", actor="miit")  # A9 is NHC's (and CAC, NDRC)
    assert exc.value.problems[0][0] == "unit" and "A9" in exc.value.problems[0][2]
    # a milestone id stands for its item: CAC leads A1, so it may report A1-M2023 done
    rid = add_progress_report(store, "A1-M2023", "CAC", "2023Q4", "done", actor="cac", reported_on=date(2023, 12, 20))
    assert rid > 0


def test_evidence_over_the_size_limit_is_refused(store: Store, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "EVIDENCE_MAX_BYTES", 1000)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 1001)
    small = tmp_path / "ok.txt"
    small.write_bytes(b"x" * 1000)  # exactly the limit is allowed
    with pytest.raises(ProgressReportRejected) as exc:
        add_progress_report(store, "T1", "MIIT", "2024Q2", "on_schedule", actor="miit", evidence=[small, big])
    assert len(exc.value.problems) == 1 and "1001" in exc.value.problems[0][2]
    assert count(store) == (0, 0)
    rid = add_progress_report(store, "T1", "MIIT", "2024Q2", "on_schedule", actor="miit", evidence=[small])
    assert evidence_of(store, rid)[0]["size"] == 1000


def test_reporting_cycle() -> None:
    q = ReportingCycle()  # quarterly, due 15 days after the quarter
    assert str(q.current(date(2024, 7, 20))) == "2024Q2"
    assert str(q.current(date(2024, 1, 1))) == "2023Q4"
    assert q.due("2024Q2") == date(2024, 7, 15) and q.due("2023Q4") == date(2024, 1, 15)
    # as of 2024-07-20 from 2024Q1: Q1 (due 04-15) and Q2 (due 07-15); on 2024-07-15 Q2 is not yet overdue
    assert [str(p) for p in ReportingCycle(start="2024Q1").owed(date(2024, 7, 20), "2021")] == ["2024Q1", "2024Q2"]
    assert [str(p) for p in ReportingCycle(start="2024Q1").owed(date(2024, 7, 15), "2021")] == ["2024Q1"]
    # from the plan's start (2021): 2021Q1 … 2024Q2 = 4 × 3 + 2 = 14 quarters
    assert len(ReportingCycle().owed(date(2024, 7, 20), "2021")) == 14
    # nothing is owed after the plan's last period: 2021Q1 … 2025Q4 = 20 quarters, however late the date
    assert len(ReportingCycle().owed(date(2027, 1, 1), "2021", "2025")) == 20
    m = ReportingCycle("monthly", 10)
    assert str(m.current(date(2024, 3, 5))) == "2024-02" and m.due(Period.parse("2024-02")) == date(2024, 3, 10)
    a = ReportingCycle("annual", 31)
    assert str(a.current(date(2024, 3, 5))) == "2023" and a.due("2023") == date(2024, 1, 31)


def test_cycle_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANMON_REPORTING_FREQUENCY", "monthly")
    monkeypatch.setenv("PLANMON_REPORTING_GRACE_DAYS", "5")
    monkeypatch.setenv("PLANMON_REPORTING_START", "2024-01")
    assert ReportingCycle.from_env() == ReportingCycle("monthly", 5, "2024-01")


def test_uploaded_evidence_as_name_and_bytes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web form passes uploads as (filename, content); the path part of a name is dropped."""
    monkeypatch.setattr(progress_module, "EVIDENCE_MAX_BYTES", 10)
    with pytest.raises(ProgressReportRejected):
        add_progress_report(store, "T1", "MIIT", "2024Q2", "done", actor="web", evidence=[("x.bin", b"x" * 11)])
    rid = add_progress_report(store, "T1", "MIIT", "2024Q2", "done", actor="web",
                              evidence=[("../../etc/照片.png", b"\x89PNG")])
    ev = evidence_of(store, rid)[0]
    assert ev["filename"] == "照片.png" and ev["media_type"] == "image/png" and ev["size"] == 4
    assert ev["sha256"] == hashlib.sha256(b"\x89PNG").hexdigest()
