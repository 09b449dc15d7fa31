"""Observations: append-only revisions; the current value is the latest accepted one.

Writing the same value again adds nothing (imports are idempotent); a different
value for a key that already has one becomes the next revision, with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from planmon.periods import Period
from planmon.store import audit
from planmon.store.tables import observations

CURRENT_COLUMNS = [
    "indicator", "unit", "period", "period_time", "value", "status", "source", "note", "proxy", "revision",
]


@dataclass
class NewObservation:
    indicator: str
    unit: str
    period: str
    value: float
    status: str = "final"
    source: str = ""
    note: str = ""
    proxy: bool = False


@dataclass
class WriteResult:
    added: int = 0
    unchanged: int = 0
    revised: int = 0
    ids: list[int] = field(default_factory=list)


def _latest(conn: Connection, framework_id: str, keys: set[tuple[str, str, str]] | None,
            states: Sequence[str] = ("accepted",)) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The latest revision per key among rows in ``states`` (and the max revision of any state)."""
    o = observations
    q = select(o).where(o.c.framework_id == framework_id)
    if keys is not None and len(keys) < 500:
        inds = {k[0] for k in keys}
        q = q.where(o.c.indicator_id.in_(inds))
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in conn.execute(q).mappings():
        key = (r["indicator_id"], r["unit_id"], r["period"])
        if keys is not None and key not in keys:
            continue
        cur = out.setdefault(key, {"max_revision": 0, "current": None})
        cur["max_revision"] = max(cur["max_revision"], r["revision"])
        if r["state"] in states and (cur["current"] is None or r["revision"] > cur["current"]["revision"]):
            cur["current"] = dict(r)
    return out


def write_observations(
    conn: Connection,
    framework_id: str,
    rows: Iterable[NewObservation],
    actor: str,
    *,
    state: str = "accepted",
    submission_id: int | None = None,
    reason: str = "",
    audit_action: str = "observation.write",
) -> WriteResult:
    """Append the rows that change something; runs inside the caller's transaction."""
    rows = list(rows)
    keys = {(r.indicator, r.unit, r.period) for r in rows}
    latest = _latest(conn, framework_id, keys)
    result = WriteResult()
    now = audit.now()
    batch: list[dict[str, Any]] = []
    for r in rows:
        key = (r.indicator, r.unit, r.period)
        info = latest.get(key, {"max_revision": 0, "current": None})
        cur = info["current"]
        if cur is not None and cur["value"] == r.value and cur["status"] == r.status and cur["proxy"] == r.proxy:
            result.unchanged += 1
            continue
        revision = info["max_revision"] + 1
        info["max_revision"] = revision
        latest[key] = info
        if cur is not None:
            result.revised += 1
        else:
            result.added += 1
        batch.append(
            {
                "framework_id": framework_id, "indicator_id": r.indicator, "unit_id": r.unit,
                "period": r.period, "period_time": Period.parse(r.period).time, "value": float(r.value),
                "status": r.status, "source": r.source, "note": r.note, "proxy": r.proxy,
                "revision": revision, "state": state, "submission_id": submission_id, "reason": reason,
                "created_at": now, "created_by": actor,
            }
        )
    if batch:
        conn.execute(observations.insert(), batch)
        audit.record(
            conn, actor, audit_action, "observations", framework_id,
            after={"rows": len(batch), "submission_id": submission_id, "state": state},
            detail=reason,
        )
    return result


def current_observations(conn: Connection, framework_id: str, indicator: str | None = None,
                         unit: str | None = None) -> pd.DataFrame:
    """The current value of every key: the latest accepted revision."""
    o = observations
    cond = [o.c.framework_id == framework_id, o.c.state == "accepted"]
    if indicator:
        cond.append(o.c.indicator_id == indicator)
    if unit:
        cond.append(o.c.unit_id == unit)
    latest = (
        select(o.c.indicator_id, o.c.unit_id, o.c.period, func.max(o.c.revision).label("rev"))
        .where(and_(*cond))
        .group_by(o.c.indicator_id, o.c.unit_id, o.c.period)
        .subquery()
    )
    q = (
        select(
            o.c.indicator_id.label("indicator"), o.c.unit_id.label("unit"), o.c.period, o.c.period_time,
            o.c.value, o.c.status, o.c.source, o.c.note, o.c.proxy, o.c.revision,
        )
        .join(
            latest,
            and_(
                o.c.indicator_id == latest.c.indicator_id, o.c.unit_id == latest.c.unit_id,
                o.c.period == latest.c.period, o.c.revision == latest.c.rev,
            ),
        )
        .where(o.c.framework_id == framework_id)
        .order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time)
    )
    df = pd.DataFrame(conn.execute(q).all(), columns=CURRENT_COLUMNS)
    if not df.empty:
        df["proxy"] = df["proxy"].astype(bool)
    return df


def history(conn: Connection, framework_id: str, indicator: str, unit: str) -> list[dict[str, Any]]:
    """Every revision of every period of one series, oldest first."""
    o = observations
    q = (
        select(o)
        .where(o.c.framework_id == framework_id, o.c.indicator_id == indicator, o.c.unit_id == unit)
        .order_by(o.c.period_time, o.c.period, o.c.revision)
    )
    out = []
    for r in conn.execute(q).mappings():
        d = dict(r)
        d["created_at"] = d["created_at"].isoformat() if d["created_at"] else None
        out.append(d)
    return out
