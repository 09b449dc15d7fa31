"""Targets per unit and basis declarations in the store: append-only revisions, the current row is the latest.

A row is one indicator × unit × target period, of kind ``own_plan`` / ``decomposed`` (a target value)
or ``national_target`` / ``national_pace`` / ``none`` (how the unit is compared when it has no target
of its own). Writing the same row again adds nothing; a change is the next revision, with its reason,
recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, select

from planmon.store import audit
from planmon.store.observations import WriteResult
from planmon.store.tables import unit_targets

TARGET_COLUMNS = ["indicator", "unit", "period", "value", "kind", "baseline_period", "baseline_value", "source", "note",
                  "illustrative", "revision"]
_COMPARED = ("value", "kind", "baseline_period", "baseline_value", "source", "illustrative")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return bool(a == b)


def _clean(v: Any) -> Any:
    if v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()):
        return None
    return v


def _stored(column: str, v: Any) -> Any:
    """A stored field in the form :func:`write_targets` builds a new one (for the unchanged test)."""
    if column == "illustrative":
        return bool(v)
    if column == "source":
        return str(v or "")
    return _clean(v)


def write_targets(conn: Connection, framework_id: str, rows: list[dict[str, Any]], actor: str, *, reason: str = "",
                  audit_action: str = "target.write") -> WriteResult:
    """Append the rows that change something (keys: indicator, unit, period; fields as :data:`TARGET_COLUMNS`)."""
    result = WriteResult()
    if not rows:
        return result
    t = unit_targets
    cur = current_targets(conn, framework_id)
    stored: dict[tuple[str, str, str], dict[str, Any]] = {
        (str(r["indicator"]), str(r["unit"]), str(r["period"])): {str(k): v for k, v in r.items()}
        for r in cur.to_dict("records")}
    now = audit.now()
    batch: list[dict[str, Any]] = []
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for r in rows:
        key = (str(r["indicator"]), str(r["unit"]), str(r["period"]))
        new = {"value": _clean(r.get("value")), "kind": str(r["kind"]), "baseline_period": _clean(r.get("baseline_period")),
               "baseline_value": _clean(r.get("baseline_value")), "source": str(r.get("source") or ""),
               "illustrative": bool(r.get("illustrative") or False)}
        old = stored.get(key)
        if old is not None and all(_same(_stored(c, old[c]), new[c]) for c in _COMPARED):
            result.unchanged += 1
            continue
        revision = int(old["revision"]) + 1 if old is not None else 1
        k = "/".join(key)
        if old is not None:
            result.revised += 1
            before[k] = {"value": _clean(old["value"]), "kind": old["kind"]}
        else:
            result.added += 1
        after[k] = {"value": new["value"], "kind": new["kind"]}
        stored[key] = dict(new, revision=revision)
        row: dict[str, Any] = {"framework_id": framework_id, "indicator_id": key[0], "unit_id": key[1],
                               "target_period": key[2]}
        row.update(new)
        batch.append({**row, "note": str(r.get("note") or ""), "revision": revision, "reason": reason,
                      "created_at": now, "created_by": actor})
    if batch:
        conn.execute(t.insert(), batch)
        audit.record(conn, actor, audit_action, "unit_targets", framework_id,
                     before={"targets": before} if before else None,
                     after={"rows": len(batch), "added": result.added, "revised": result.revised, "targets": after},
                     detail=reason)
    return result


def current_targets(conn: Connection, framework_id: str, indicator: str | None = None,
                    unit: str | list[str] | None = None) -> pd.DataFrame:
    """The latest revision of every (indicator, unit, target period): columns :data:`TARGET_COLUMNS`."""
    t = unit_targets
    cond: list[Any] = [t.c.framework_id == framework_id]
    if indicator:
        cond.append(t.c.indicator_id == indicator)
    if unit is not None:
        cond.append(t.c.unit_id.in_([unit] if isinstance(unit, str) else list(unit)))
    latest = (select(t.c.indicator_id, t.c.unit_id, t.c.target_period, func.max(t.c.revision).label("rev"))
              .where(and_(*cond)).group_by(t.c.indicator_id, t.c.unit_id, t.c.target_period).subquery())
    q = (select(t.c.indicator_id, t.c.unit_id, t.c.target_period, t.c.value, t.c.kind, t.c.baseline_period,
                t.c.baseline_value, t.c.source, t.c.note, t.c.illustrative, t.c.revision)
         .join(latest, and_(t.c.indicator_id == latest.c.indicator_id, t.c.unit_id == latest.c.unit_id,
                            t.c.target_period == latest.c.target_period, t.c.revision == latest.c.rev))
         .where(t.c.framework_id == framework_id)
         .order_by(t.c.indicator_id, t.c.unit_id, t.c.target_period))
    df = pd.DataFrame(conn.execute(q).all(), columns=TARGET_COLUMNS)
    df["value"] = df["value"].astype(float)
    df["baseline_value"] = df["baseline_value"].astype(float)
    df["illustrative"] = df["illustrative"].astype(bool)
    return df


def target_history(conn: Connection, framework_id: str, indicator: str, unit: str) -> list[dict[str, Any]]:
    t = unit_targets
    out = []
    for r in conn.execute(select(t).where(t.c.framework_id == framework_id, t.c.indicator_id == indicator,
                                          t.c.unit_id == unit).order_by(t.c.target_period, t.c.revision)).mappings():
        d = dict(r)
        d["created_at"] = d["created_at"].isoformat() if d["created_at"] else None
        out.append(d)
    return out
