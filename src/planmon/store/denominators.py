"""Denominator series in the store: append-only revisions, the current value is the latest.

Same rules as observations: writing the same value (and source) again adds nothing; a different
value for a (name, unit, period) key becomes its next revision, with the reason, and one audit
event records what changed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from planmon.denominators import DENOMINATOR_COLUMNS
from planmon.periods import Period
from planmon.store import audit
from planmon.store.observations import WriteResult
from planmon.store.tables import denominators


def write_denominators(conn: Connection, frame: pd.DataFrame, actor: str, *, reason: str = "",
                       audit_action: str = "denominator.write") -> WriteResult:
    """Append the rows of ``frame`` (name, unit, period, value [, measure_unit, source, note]) that change something."""
    result = WriteResult()
    if frame.empty:
        return result
    d = denominators
    names = sorted({str(x) for x in frame["name"]})
    stored: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in conn.execute(select(d.c.name, d.c.unit_id, d.c.period, d.c.revision, d.c.value, d.c.source)
                          .where(d.c.name.in_(names)).order_by(d.c.revision)).mappings():
        stored[(r["name"], r["unit_id"], r["period"])] = dict(r)
    now = audit.now()
    batch: list[dict[str, Any]] = []
    before: dict[str, float] = {}
    after: dict[str, float] = {}
    for rec in frame.to_dict("records"):
        period = str(Period.parse(str(rec["period"])))
        key = (str(rec["name"]), str(rec["unit"]), period)
        source = str(rec.get("source") or "")
        cur = stored.get(key)
        if cur is not None and cur["value"] == float(rec["value"]) and cur["source"] == source:
            result.unchanged += 1
            continue
        revision = (cur["revision"] + 1) if cur else 1
        if cur is not None:
            result.revised += 1
            before["/".join(key)] = float(cur["value"])
        else:
            result.added += 1
        after["/".join(key)] = float(rec["value"])
        stored[key] = {"revision": revision, "value": float(rec["value"]), "source": source}
        batch.append({
            "name": key[0], "unit_id": key[1], "period": period, "period_time": Period.parse(period).time,
            "value": float(rec["value"]), "measure_unit": str(rec.get("measure_unit") or ""), "source": source,
            "note": str(rec.get("note") or ""), "revision": revision, "reason": reason, "created_at": now,
            "created_by": actor,
        })
    if batch:
        conn.execute(d.insert(), batch)
        audit.record(conn, actor, audit_action, "denominators", ",".join(names),
                     before={"values": before} if before else None,
                     after={"rows": len(batch), "added": result.added, "revised": result.revised,
                            "values": after if len(after) <= 200 else {}},
                     detail=reason)
    return result


def current_denominators(conn: Connection, name: str | list[str] | None = None, unit: str | list[str] | None = None,
                         period: str | None = None) -> pd.DataFrame:
    """The current value of every (name, unit, period): columns :data:`DENOMINATOR_COLUMNS`."""
    d = denominators
    cond: list[Any] = []
    for col, v in ((d.c.name, name), (d.c.unit_id, unit)):
        if v is not None:
            cond.append(col.in_([v] if isinstance(v, str) else list(v)))
    if period is not None:
        cond.append(d.c.period == str(Period.parse(str(period))))
    latest = (select(d.c.name, d.c.unit_id, d.c.period, func.max(d.c.revision).label("rev"))
              .where(and_(True, *cond)).group_by(d.c.name, d.c.unit_id, d.c.period).subquery())
    q = (select(d.c.name, d.c.unit_id.label("unit"), d.c.period, d.c.period_time, d.c.value, d.c.measure_unit,
                d.c.source, d.c.note, d.c.revision)
         .join(latest, and_(d.c.name == latest.c.name, d.c.unit_id == latest.c.unit_id,
                            d.c.period == latest.c.period, d.c.revision == latest.c.rev))
         .order_by(d.c.name, d.c.unit_id, d.c.period_time))
    return pd.DataFrame(conn.execute(q).all(), columns=DENOMINATOR_COLUMNS)


def denominator_history(conn: Connection, name: str, unit: str) -> list[dict[str, Any]]:
    """Every revision of one denominator series, oldest first."""
    d = denominators
    out = []
    for r in conn.execute(select(d).where(d.c.name == name, d.c.unit_id == unit)
                          .order_by(d.c.period_time, d.c.revision)).mappings():
        row = dict(r)
        row["created_at"] = row["created_at"].isoformat() if row["created_at"] else None
        out.append(row)
    return out
