"""Implementation tracking (跟踪督促): the division of responsibility, progress reports,
the supervision list, the unit scorecard and reminders.

Each submodule does one thing; this package is the public edge::

    from planmon.supervise import import_duties, add_progress_report, supervision_list
    import_duties(store, "分工方案.xlsx", actor="office")
    add_progress_report(store, "A1", "CAC", "2024Q2", "on_schedule", actor="cac", share_done=0.5)
    supervision_list(store, date(2024, 7, 20))      # a DataFrame, most severe first
"""

from planmon.supervise.duties import DutiesResult, Problem, division, export_duties, import_duties, read_duties
from planmon.supervise.progress import (
    EVIDENCE_MAX_BYTES,
    STATUSES,
    ProgressReportRejected,
    ReportingCycle,
    add_progress_report,
    evidence_of,
    list_progress_reports,
)
from planmon.supervise.reminders import export_reminders, reminders, safe_cell
from planmon.supervise.scorecard import scorecard
from planmon.supervise.supervision import supervision_list

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "STATUSES",
    "DutiesResult",
    "Problem",
    "ProgressReportRejected",
    "ReportingCycle",
    "add_progress_report",
    "division",
    "evidence_of",
    "export_duties",
    "export_reminders",
    "import_duties",
    "list_progress_reports",
    "read_duties",
    "reminders",
    "safe_cell",
    "scorecard",
    "supervision_list",
]
