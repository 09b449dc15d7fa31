"""The audit log: who did what, when, to which record, before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from planmon.store.tables import audit_events


def now() -> datetime:
    return datetime.now(UTC)


def data_version(conn: Connection) -> int:
    """The store's data version: the newest audit event id. Every write is audited in its own
    transaction, so any change to data, duties, reports or users moves it on."""
    return int(conn.execute(select(func.max(audit_events.c.id))).scalar() or 0)


def record(
    conn: Connection,
    actor: str,
    action: str,
    entity: str,
    entity_id: str = "",
    before: Any = None,
    after: Any = None,
    detail: str = "",
) -> None:
    """Write one audit event inside the caller's transaction (so it commits or rolls back with it)."""
    conn.execute(
        audit_events.insert().values(
            at=now(), actor=actor, action=action, entity=entity, entity_id=entity_id,
            before=before, after=after, detail=detail,
        )
    )


def list_events(conn: Connection, entity: str | None = None, entity_id: str | None = None,
                actor: str | None = None, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
    q = select(audit_events).order_by(audit_events.c.id.desc()).limit(limit).offset(offset)
    if entity:
        q = q.where(audit_events.c.entity == entity)
    if entity_id:
        q = q.where(audit_events.c.entity_id == entity_id)
    if actor:
        q = q.where(audit_events.c.actor == actor)
    rows = []
    for r in conn.execute(q).mappings():
        d = dict(r)
        d["at"] = d["at"].isoformat() if d["at"] else None
        rows.append(d)
    return rows
