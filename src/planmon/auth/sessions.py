"""Server-side web sessions: the cookie carries only a random id, the store says whether it still counts.

A signed cookie alone cannot be taken back: it stays valid until it expires. Here the cookie's
session id (32 random bytes, stored as its SHA-256 like an API token) must be found in
``web_sessions`` on every request, so logging out deletes one session, and a password reset, a
role or unit change or a deactivation deletes every session of that user at once
(:func:`end_user_sessions`, called inside the same transaction as the change).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select

from planmon.auth.users import User, end_user_sessions, user_from_row
from planmon.auth.users import session_hash as _hash
from planmon.store import audit
from planmon.store.tables import users, web_sessions

SESSION_HOURS = 12


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite gives back naive UTC


def start_session(engine: Engine, user_id: int, client: str = "", hours: float = SESSION_HOURS) -> str:
    """A new session for ``user_id``; returns the id for the cookie (never stored in clear)."""
    sid = secrets.token_urlsafe(32)
    now = audit.now()
    with engine.begin() as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))  # keep the table small
        conn.execute(web_sessions.insert().values(id_hash=_hash(sid), user_id=user_id, created_at=now,
                                                  expires_at=now + timedelta(hours=hours), client=client[:100]))
    return sid


def session_user(engine: Engine, sid: str | None) -> User | None:
    """The active user of a live session, or ``None`` (unknown, ended or expired)."""
    if not sid:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(users, web_sessions.c.expires_at.label("_expires"))
                           .join(web_sessions, web_sessions.c.user_id == users.c.id)
                           .where(web_sessions.c.id_hash == _hash(sid))).mappings().first()
    if row is None or not row["active"] or _aware(row["_expires"]) <= audit.now():
        return None
    return user_from_row(row)


def end_session(engine: Engine, sid: str | None) -> None:
    if sid:
        with engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.id_hash == _hash(sid)))


def count_sessions(engine: Engine, user_id: int) -> int:
    with engine.connect() as conn:
        rows: Any = conn.execute(select(web_sessions.c.id_hash).where(web_sessions.c.user_id == user_id)).all()
    return len(rows)


__all__ = ["SESSION_HOURS", "count_sessions", "end_session", "end_user_sessions", "session_user", "start_session"]


