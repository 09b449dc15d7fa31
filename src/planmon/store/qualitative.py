"""Office-entered statuses of qualitative targets in the store: append-only revisions, the latest is current.

A row is one indicator × unit × period × scheme: the status the planning office entered (a status code
of the scheme), its evidence (zh, en), the document it comes from, who entered it and when. Entering the
same status with the same evidence again adds nothing; a change is the next revision with its reason.
Each written revision is one audit event (before and after), in the same transaction.

The checks (is the indicator qualitative, is the status one of the scheme's, may the user enter) are
the library's, in :mod:`planmon.monitor.qualitative`; this module only reads and writes rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from planmon.store import audit
from planmon.store.tables import qualitative_statuses

#: Columns of :func:`current_statuses` and :func:`status_history` (history adds ``current``).
STATUS_COLUMNS = ["indicator", "unit", "period", "scheme", "status", "evidence_zh", "evidence_en", "source",
                  "revision", "reason", "entered_by", "entered_at"]
_COMPARED = ("status", "evidence_zh", "evidence_en", "source")
ENTITY = "qualitative_statuses"


@dataclass(frozen=True)
class NewStatus:
    """One status to enter (already checked by :func:`planmon.monitor.qualitative.enter_status`)."""

    indicator: str
    unit: str
    period: str
    scheme: str
    status: str
    evidence_zh: str
    evidence_en: str = ""
    source: str = ""


@dataclass(frozen=True)
class Written:
    """What one entry did: ``added`` (revision 1), ``revised`` (a later revision) or ``unchanged``."""

    outcome: str
    revision: int
    previous: dict[str, Any] | None


def entity_id(framework_id: str, s: NewStatus) -> str:
    """The audit log's id of a status series: ``plan/indicator/unit/period/scheme``."""
    return f"{framework_id}/{s.indicator}/{s.unit}/{s.period}/{s.scheme}"


def _latest(conn: Connection, framework_id: str, s: NewStatus) -> dict[str, Any] | None:
    q = qualitative_statuses
    row = conn.execute(
        select(q).where(q.c.framework_id == framework_id, q.c.indicator_id == s.indicator, q.c.unit_id == s.unit,
                        q.c.period == s.period, q.c.scheme == s.scheme)
        .order_by(q.c.revision.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {"status": row["status"], "evidence_zh": row["evidence_zh"], "evidence_en": row["evidence_en"],
            "source": row["source"], "revision": row["revision"], "entered_by": row["entered_by"]}


def write_status(conn: Connection, framework_id: str, s: NewStatus, actor: str, *, reason: str = "",
                 audit_action: str = "qualitative.enter") -> Written:
    """Append ``s`` unless it repeats the current revision; one audit event per written revision."""
    old = _latest(conn, framework_id, s)
    if old is not None and all(old[c] == getattr(s, c) for c in _COMPARED):
        return Written("unchanged", int(old["revision"]), _public(old))
    revision = int(old["revision"]) + 1 if old is not None else 1
    row = {"framework_id": framework_id, "indicator_id": s.indicator, "unit_id": s.unit, "period": s.period,
           "scheme": s.scheme, "status": s.status, "evidence_zh": s.evidence_zh, "evidence_en": s.evidence_en,
           "source": s.source, "revision": revision, "reason": reason, "entered_at": audit.now(),
           "entered_by": actor}
    conn.execute(qualitative_statuses.insert().values(**row))
    audit.record(conn, actor, audit_action if old is None else "qualitative.revise", ENTITY,
                 entity_id(framework_id, s), before=_public(old) if old is not None else None,
                 after=_public(row), detail=reason)
    return Written("added" if old is None else "revised", revision, _public(old) if old is not None else None)


def _frame(rows: list[Any]) -> pd.DataFrame:
    df = pd.DataFrame([tuple(r) for r in rows], columns=STATUS_COLUMNS)
    df["revision"] = df["revision"].astype(int)
    df["entered_at"] = [v.isoformat() if hasattr(v, "isoformat") else v for v in df["entered_at"]]
    return df


def _columns() -> list[Any]:
    q = qualitative_statuses
    return [q.c.indicator_id, q.c.unit_id, q.c.period, q.c.scheme, q.c.status, q.c.evidence_zh, q.c.evidence_en,
            q.c.source, q.c.revision, q.c.reason, q.c.entered_by, q.c.entered_at]


def _where(framework_id: str, indicator: str | None, unit: str | None, scheme: str | None) -> list[Any]:
    q = qualitative_statuses
    cond: list[Any] = [q.c.framework_id == framework_id]
    if indicator:
        cond.append(q.c.indicator_id == indicator)
    if unit:
        cond.append(q.c.unit_id == unit)
    if scheme:
        cond.append(q.c.scheme == scheme)
    return cond


def current_statuses(conn: Connection, framework_id: str, indicator: str | None = None, unit: str | None = None,
                     scheme: str | None = None) -> pd.DataFrame:
    """The latest revision of every indicator × unit × period × scheme (columns :data:`STATUS_COLUMNS`)."""
    q = qualitative_statuses
    cond = _where(framework_id, indicator, unit, scheme)
    latest = (select(q.c.indicator_id, q.c.unit_id, q.c.period, q.c.scheme, func.max(q.c.revision).label("rev"))
              .where(and_(*cond)).group_by(q.c.indicator_id, q.c.unit_id, q.c.period, q.c.scheme).subquery())
    query = (select(*_columns())
             .join(latest, and_(q.c.indicator_id == latest.c.indicator_id, q.c.unit_id == latest.c.unit_id,
                                q.c.period == latest.c.period, q.c.scheme == latest.c.scheme,
                                q.c.revision == latest.c.rev))
             .where(q.c.framework_id == framework_id)
             .order_by(q.c.indicator_id, q.c.unit_id, q.c.scheme, q.c.period))
    return _frame(list(conn.execute(query)))


def status_history(conn: Connection, framework_id: str, indicator: str | None = None, unit: str | None = None,
                   scheme: str | None = None) -> pd.DataFrame:
    """Every revision, superseded ones included, oldest first; ``current`` marks the latest of each period."""
    q = qualitative_statuses
    query = (select(*_columns()).where(and_(*_where(framework_id, indicator, unit, scheme)))
             .order_by(q.c.indicator_id, q.c.unit_id, q.c.scheme, q.c.period, q.c.revision))
    df = _frame(list(conn.execute(query)))
    keys = ["indicator", "unit", "period", "scheme"]
    df["current"] = df["revision"] == df.groupby(keys)["revision"].transform("max") if len(df) else pd.Series(
        dtype=bool)
    return df
