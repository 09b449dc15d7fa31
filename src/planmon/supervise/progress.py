"""Progress reports (进展情况报告): a unit reports on a plan item for a period.

Reports are revisions, like observations: a second report on the same item, unit
and period is stored as the next revision and nothing is overwritten; the current
report is the latest revision made on or before the date looked at.

A report may also be made on a milestone (``item="A1-M2023"``): a ``done`` report
on a milestone, or on its item, marks the milestone met on the report's date.

The reporting cycle
-------------------
Periods use the project's forms (``2024``, ``2024Q2``, ``2024-06``). By default the
lead unit of every task, key project and priority action reports **quarterly**; the
report for a period is due ``grace_days`` (15) days after the period ends, e.g. the
report for 2024Q2 by 2024-07-15. A report made after that is *late*. The cycle can
be set per call (:class:`ReportingCycle`) or by the environment variables
``PLANMON_REPORTING_FREQUENCY`` (annual|quarterly|monthly),
``PLANMON_REPORTING_GRACE_DAYS`` and ``PLANMON_REPORTING_START`` (first period owed;
by default the first period of the plan).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from planmon import settings
from planmon.framework import BUILTIN_DEFAULT
from planmon.i18n import Message
from planmon.periods import Frequency, Period, PeriodError
from planmon.refusal import Refusal
from planmon.store import Store, audit
from planmon.store.tables import evidence_files, frameworks, milestones, plan_items, progress_reports, units
from planmon.supervise.duties import division

STATUSES: dict[str, tuple[str, str]] = {
    "not_started": ("未启动", "not started"),
    "on_schedule": ("按计划推进", "on schedule"),
    "delayed": ("滞后", "delayed"),
    "done": ("已完成", "done"),
}
_STATUS_BY_LABEL = {label: code for code, pair in STATUSES.items() for label in pair}
#: per-file evidence limit; None: the one upload ceiling of :mod:`planmon.settings` (``PLANMON_MAX_UPLOAD_MB``)
EVIDENCE_MAX_BYTES: int | None = None
REPORT_COLUMNS = ["id", "item", "unit", "period", "status", "status_zh", "status_en", "share_done", "narrative",
                  "revision", "reported_on", "due", "late", "evidence", "created_by"]


class ProgressReportRejected(Refusal):
    """A report that cannot be stored, with every reason in zh and en (nothing written)."""

    code = "progress_report_invalid"

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems  # (field, message_zh, message_en)
        super().__init__([Message(f"{f}: {zh}", f"{f}: {en}") for f, zh, en in problems],
                         text="; ".join(f"{f}: {en}" for f, _, en in problems))

    def messages(self, lang: str = "zh") -> list[str]:
        return [f"{f}: {en if lang.startswith('en') else zh}" for f, zh, en in self.problems]


@dataclass(frozen=True)
class ReportingCycle:
    """How often lead units report, and how long after a period ends the report is due."""

    frequency: Frequency = "quarterly"
    grace_days: int = 15
    start: str | None = None  # first period owed; None: the plan's first period

    @classmethod
    def from_env(cls) -> ReportingCycle:
        """The cycle of ``PLANMON_REPORTING_FREQUENCY`` / ``_GRACE_DAYS`` / ``_START`` (:mod:`planmon.settings`)."""
        freq = settings.get("PLANMON_REPORTING_FREQUENCY").text()
        return cls(freq, settings.get("PLANMON_REPORTING_GRACE_DAYS").integer(),  # type: ignore[arg-type]
                   settings.get("PLANMON_REPORTING_START").raw() or None)

    def period_of(self, d: date) -> Period:
        """The period of this cycle that contains ``d``."""
        if self.frequency == "annual":
            return Period(d.year, "annual")
        if self.frequency == "quarterly":
            return Period(d.year, "quarterly", (d.month - 1) // 3 + 1)
        return Period(d.year, "monthly", d.month)

    def previous(self, p: Period) -> Period:
        return self.period_of(period_start(p) - timedelta(days=1))

    def due(self, p: Period | str) -> date:
        """The last day a report for period ``p`` is on time."""
        return period_end(Period.parse(str(p))) + timedelta(days=self.grace_days)

    def current(self, as_of: date) -> Period:
        """The period owed as of a date: the latest period that has ended before it."""
        return self.previous(self.period_of(as_of))

    def owed(self, as_of: date, plan_start: str, plan_end: str | None = None) -> list[Period]:
        """Every period from the first owed to the current one whose due date has passed
        (none after the plan's last period: the final evaluation takes over then)."""
        first = Period.parse(self.start) if self.start else self.period_of(period_start(Period.parse(plan_start)))
        out: list[Period] = []
        p = self.current(as_of)
        if plan_end is not None:
            p = min(p, self.period_of(period_end(Period.parse(plan_end))))
        while p >= first:
            if self.due(p) < as_of:
                out.append(p)
            p = self.previous(p)
        return sorted(out)


def period_start(p: Period) -> date:
    """The first day of ``p`` (kept for callers; :attr:`Period.start` is the rule)."""
    return p.start


def period_end(p: Period) -> date:
    """The last day of ``p`` (kept for callers; :attr:`Period.end` is the rule)."""
    return p.end


def parse_status(text: str) -> str | None:
    """A status code from its code or its zh / en label (未启动, 'on schedule'…)."""
    s = text.strip()
    if s in STATUSES:
        return s
    return _STATUS_BY_LABEL.get(s) or _STATUS_BY_LABEL.get(s.lower())


def parse_share(value: float | str | None) -> float | None:
    """Share done as a fraction: 0.6, '60%' and 60 all mean 0.6."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        s = value.strip()
        v = float(s.rstrip("%"))
        return v / 100 if s.endswith("%") or v > 1 else v
    return value / 100 if value > 1 else float(value)


def plan_period(conn: Connection, framework_id: str) -> tuple[str, str]:
    """The plan's first and last period (``2021``, ``2025``)."""
    row = conn.execute(select(frameworks.c.content).where(frameworks.c.id == framework_id)).first()
    if row is None:
        raise KeyError(f"framework '{framework_id}' is not in the store: run 'planmon init'")
    return str(row[0]["plan"]["period_start"]), str(row[0]["plan"]["period_end"])


def add_progress_report(
    store: Store,
    item: str,
    unit: str,
    period: str,
    status: str,
    actor: str,
    share_done: float | str | None = None,
    narrative: str = "",
    evidence: Sequence[Path | tuple[str, bytes]] = (),
    reported_on: date | None = None,
    framework_id: str = BUILTIN_DEFAULT,
) -> int:
    """Store a report as the next revision for (item, unit, period); returns its id.

    ``item`` is a plan item or a milestone id. ``status`` is a code or its zh/en label.
    Evidence files (paths, or ``(filename, content)`` pairs from an upload) are stored whole
    with their SHA-256 and must be at most ``EVIDENCE_MAX_BYTES`` each. Raises :class:`ProgressReportRejected` listing every problem.
    """
    problems: list[tuple[str, str, str]] = []
    code = parse_status(status)
    if code is None:
        problems.append(("status", f"状态“{status}”无效：应为 {'、'.join(f'{k}（{v[0]}）' for k, v in STATUSES.items())}",
                         f"invalid status '{status}': expected one of {', '.join(STATUSES)}"))
    try:
        per = str(Period.parse(period))
    except PeriodError as exc:
        problems.append(("period", exc.message_zh, exc.message_en))
        per = period
    share: float | None = None
    try:
        share = parse_share(share_done)
        if share is not None and not 0 <= share <= 1:
            problems.append(("share_done", f"完成比例 {share_done} 超出 0–100%", f"share done {share_done} is outside 0–100%"))
    except ValueError:
        problems.append(("share_done", f"完成比例“{share_done}”不是数字", f"share done '{share_done}' is not a number"))
    files: list[tuple[Path, bytes]] = []
    limit = settings.max_upload_bytes() if EVIDENCE_MAX_BYTES is None else EVIDENCE_MAX_BYTES
    for f in evidence:
        if isinstance(f, tuple):
            fp, size = Path(Path(f[0]).name), len(f[1])
        else:
            fp = Path(f)
            if not fp.is_file():
                problems.append(("evidence", f"证明材料 {fp} 不存在", f"evidence file {fp} does not exist"))
                continue
            size = fp.stat().st_size
        if size > limit:
            problems.append(("evidence", f"证明材料 {fp.name} 为 {size} 字节，超过上限 {limit} 字节",
                             f"evidence file {fp.name} is {size} bytes, over the limit of {limit}"))
            continue
        files.append((fp, f[1] if isinstance(f, tuple) else fp.read_bytes()))
    on = reported_on or date.today()
    with store.engine.begin() as conn:
        known_item = conn.execute(select(plan_items.c.id).where(plan_items.c.framework_id == framework_id,
                                                                plan_items.c.id == item)).first()
        ms_item = conn.execute(select(milestones.c.item_id).where(milestones.c.framework_id == framework_id,
                                                                  milestones.c.id == item)).first()
        if known_item is None and ms_item is None:
            problems.append(("item", f"规划事项或阶段目标“{item}”不存在", f"unknown plan item or milestone '{item}'"))
        if conn.execute(select(units.c.id).where(units.c.id == unit)).first() is None:
            problems.append(("unit", f"单位“{unit}”不存在", f"unknown unit '{unit}'"))
        elif known_item is not None or ms_item is not None:
            target = item if known_item is not None else str(ms_item[0])  # type: ignore[index]
            div = division(conn, framework_id, [target])
            if unit not in set(div.unit):
                problems.append(("unit", f"单位“{unit}”不承担规划事项 {target} 的分工，不能报送其进展",
                                 f"unit '{unit}' has no responsibility for plan item {target} and cannot report on it"))
        if problems:
            raise ProgressReportRejected(problems)
        pr = progress_reports
        last = conn.execute(select(func.max(pr.c.revision)).where(
            pr.c.framework_id == framework_id, pr.c.item_id == item, pr.c.unit_id == unit, pr.c.period == per)).scalar()
        revision = int(last or 0) + 1
        rid = conn.execute(pr.insert().values(
            framework_id=framework_id, item_id=item, unit_id=unit, period=per, status=code, share_done=share,
            narrative=narrative, revision=revision, reported_on=on.isoformat(), created_at=audit.now(),
            created_by=actor).returning(pr.c.id)).scalar_one()
        for fp, content in files:
            conn.execute(evidence_files.insert().values(
                progress_report_id=rid, filename=fp.name,
                media_type=mimetypes.guess_type(fp.name)[0] or "application/octet-stream",
                sha256=hashlib.sha256(content).hexdigest(), size=len(content), content=content))
        audit.record(conn, actor, "progress_report.add", "progress_reports", f"{item}/{unit}/{per}",
                     after={"id": rid, "revision": revision, "status": code, "share_done": share,
                            "reported_on": on.isoformat(), "evidence": [fp.name for fp, _ in files]})
    return int(rid)


def report_rows(conn: Connection, framework_id: str, as_of: date | None = None) -> pd.DataFrame:
    """Every revision made on or before ``as_of`` (all if None), with its evidence count."""
    pr = progress_reports
    q = select(pr).where(pr.c.framework_id == framework_id)
    if as_of is not None:
        q = q.where(pr.c.reported_on <= as_of.isoformat())
    df = pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in pr.columns])
    counts: dict[int, int] = dict(conn.execute(select(evidence_files.c.progress_report_id, func.count())
                               .group_by(evidence_files.c.progress_report_id)).all())
    df["evidence"] = df["id"].map(lambda i: counts.get(int(i), 0)) if len(df) else pd.Series(dtype=int)
    return df.rename(columns={"item_id": "item", "unit_id": "unit"})


def current_reports(conn: Connection, framework_id: str, as_of: date | None = None) -> pd.DataFrame:
    """The latest revision per (item, unit, period) among reports made on or before ``as_of``."""
    df = report_rows(conn, framework_id, as_of)
    if df.empty:
        return df
    df = df.sort_values(["item", "unit", "period", "revision"])
    return df.groupby(["item", "unit", "period"], sort=False).tail(1).reset_index(drop=True)


def list_progress_reports(store: Store, item: str | None = None, unit: str | None = None,
                          period: str | None = None, all_revisions: bool = False,
                          cycle: ReportingCycle | None = None,
                          framework_id: str = BUILTIN_DEFAULT) -> pd.DataFrame:
    """Reports as a DataFrame (current ones, or every revision), with labels and lateness."""
    cyc = cycle or ReportingCycle.from_env()
    with store.engine.connect() as conn:
        df = report_rows(conn, framework_id) if all_revisions else current_reports(conn, framework_id)
    if df.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    for col, val in (("item", item), ("unit", unit), ("period", period)):
        if val is not None:
            df = df[df[col] == val]
    df = df.copy()
    df["status_zh"] = df.status.map(lambda s: STATUSES[s][0])
    df["status_en"] = df.status.map(lambda s: STATUSES[s][1])
    df["due"] = df.period.map(lambda p: cyc.due(p).isoformat())
    df["late"] = df.reported_on > df.due
    df = df.sort_values(["item", "unit", "period", "revision"])
    return df[REPORT_COLUMNS].reset_index(drop=True)


def evidence_of(store: Store, report_id: int) -> list[dict[str, Any]]:
    """The evidence files of a report (name, media type, sha256, size, content)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(evidence_files).where(evidence_files.c.progress_report_id == report_id)
                            .order_by(evidence_files.c.id)).mappings().all()
    return [dict(r) for r in rows]
