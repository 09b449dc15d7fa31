"""Users, API tokens and the session-signing secret, kept in the store.

Passwords are argon2 hashes; API tokens are random 32-byte strings shown once and
stored as their SHA-256 (a token is already high-entropy, so a fast hash is enough and
lets a request find its token by an indexed equality).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from planmon.auth.passwords import hash_password, password_problem, verify_password
from planmon.auth.permissions import ROLES
from planmon.i18n import Message
from planmon.refusal import Refusal
from planmon.store import audit
from planmon.store.tables import api_tokens, settings, users, web_sessions

TOKEN_PREFIX = "pm_"


def session_hash(sid: str) -> str:
    """How a web session id is stored (its SHA-256, like an API token)."""
    return hashlib.sha256(sid.encode()).hexdigest()


def end_user_sessions(conn: Connection, user_id: int, keep: str | None = None) -> int:
    """End every session of ``user_id`` (but ``keep``, the caller's own, when given) in ``conn``'s transaction:
    a password reset, a role or unit change or a deactivation ends them (here, beside those changes)."""
    q = delete(web_sessions).where(web_sessions.c.user_id == user_id)
    if keep:
        q = q.where(web_sessions.c.id_hash != session_hash(keep))
    return int(conn.execute(q).rowcount)


class UserError(Refusal):
    """A refused user change, with its reason in both languages."""

    code = "user_refused"

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class User:
    id: int
    username: str
    role: str
    scopes: list[str] = field(default_factory=list)
    display_name: str = ""
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "role": self.role, "scopes": list(self.scopes),
                "display_name": self.display_name, "active": self.active}


def user_from_row(row: Any) -> User:
    return User(id=row["id"], username=row["username"], role=row["role"], scopes=list(row["scopes"] or []),
                display_name=row["display_name"] or "", active=bool(row["active"]))


def _check(username: str, role: str, password: str | None) -> None:
    if not username or len(username) > 100 or not all(c.isalnum() or c in "._-@" for c in username):
        raise UserError(Message("用户名只能包含字母、数字和 . _ - @（1–100 个字符）",
                                "a username has 1–100 letters, digits or . _ - @"))
    if role not in ROLES:
        raise UserError(Message(f"未知角色“{role}”，可选：{', '.join(ROLES)}",
                                f"unknown role '{role}'; choose one of {', '.join(ROLES)}"))
    if password is not None:
        problem = password_problem(password, username)
        if problem is not None:
            raise UserError(problem)


def add_user(engine: Engine, username: str, password: str, role: str, scopes: list[str] | None = None,
             actor: str = "system", display_name: str = "") -> User:
    """Create a user; a reporter needs at least one unit in ``scopes``."""
    _check(username, role, password)
    scopes = list(scopes or [])
    if role == "reporter" and not scopes:
        raise UserError(Message("填报人必须指定所属单位（--unit）", "a reporter needs its unit (--unit)"))
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UserError(Message(f"用户“{username}”已存在", f"user '{username}' already exists"))
        uid = conn.execute(users.insert().values(
            username=username, password_hash=hash_password(password), role=role, scopes=scopes,
            display_name=display_name, active=True, created_at=audit.now(),
        )).inserted_primary_key[0]  # type: ignore[index]
        audit.record(conn, actor, "user.add", "users", username, after={"role": role, "scopes": scopes})
    return User(int(uid), username, role, scopes, display_name, True)


def update_user(engine: Engine, username: str, actor: str, *, role: str | None = None,
                scopes: list[str] | None = None, active: bool | None = None, password: str | None = None) -> User:
    """Change a user (an administrator's act). Any change of role, units, state or password ends every web
    session of the user at once; a password reset or a deactivation also revokes the user's API tokens
    (whoever held the old password may have made one). The last active administrator cannot be demoted
    or deactivated."""
    before = get_user(engine, username)
    if before is None:
        raise UserError(Message(f"没有用户“{username}”", f"no user '{username}'"))
    new_role = role or before.role
    _check(username, new_role, password)
    values: dict[str, Any] = {"role": new_role}
    if scopes is not None:
        values["scopes"] = list(scopes)
    if active is not None:
        values["active"] = active
    if password is not None:
        values["password_hash"] = hash_password(password)
    if new_role == "reporter" and not values.get("scopes", before.scopes):
        raise UserError(Message("填报人必须指定所属单位", "a reporter needs its unit"))
    with engine.begin() as conn:
        if before.role == "admin" and before.active and (new_role != "admin" or active is False):
            _keep_an_admin(conn, before.id)
        conn.execute(update(users).where(users.c.username == username).values(**values))
        after = {k: v for k, v in values.items() if k != "password_hash"}
        changed = (new_role != before.role or (scopes is not None and list(scopes) != before.scopes)
                   or (active is not None and active != before.active) or password is not None)
        if changed:
            after["sessions_ended"] = end_user_sessions(conn, before.id)
        if password is not None or active is False:
            after["tokens_revoked"] = _revoke_all(conn, before.id)
        if password is not None:
            after["password"] = "reset"
        audit.record(conn, actor, "user.update", "users", username, before=before.to_dict(), after=after)
    user = get_user(engine, username)
    assert user is not None
    return user


def _keep_an_admin(conn: Connection, leaving: int) -> None:
    """Refuse when ``leaving`` is the last active administrator. The rows are locked on PostgreSQL
    (FOR UPDATE) so that two administrators demoting each other at once cannot both succeed."""
    q = select(users.c.id).where(users.c.role == "admin", users.c.active.is_(True), users.c.id != leaving)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    if not conn.execute(q).first():
        raise UserError(Message("这是最后一位在用的管理员：请先任命另一位管理员，再更改或停用此账号",
                                "this is the last active administrator: make someone else an administrator "
                                "before changing or deactivating this account"))


def change_password(engine: Engine, username: str, current: str, new: str, *, keep_session: str | None = None) -> None:
    """The user's own password change: the current password is required; every other session of the user
    ends (``keep_session``, the one making the change, stays). API tokens stay: the owner sees and revokes
    them on the account page."""
    user = authenticate(engine, username, current)
    if user is None:
        raise UserError(Message("当前密码不正确", "the current password is wrong"))
    if new == current:
        raise UserError(Message("新密码不能与当前密码相同", "the new password must differ from the current one"))
    problem = password_problem(new, username)
    if problem is not None:
        raise UserError(problem)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user.id).values(password_hash=hash_password(new)))
        n = end_user_sessions(conn, user.id, keep=keep_session)
        audit.record(conn, f"web:{username}", "user.password", "users", username, after={"sessions_ended": n})


def get_user(engine: Engine, username: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    return user_from_row(row) if row else None


def get_user_by_id(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return user_from_row(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [user_from_row(r) for r in conn.execute(select(users).order_by(users.c.username)).mappings()]


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user with this password, or ``None`` (the same work is done either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    ok = verify_password(row["password_hash"] if row else None, password)
    if not ok or row is None or not row["active"]:
        return None
    return user_from_row(row)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, username: str, name: str = "", actor: str = "system") -> str:
    """A new API token for ``username``; the clear token is returned once and never stored."""
    user = get_user(engine, username)
    if user is None:
        raise UserError(Message(f"没有用户“{username}”", f"no user '{username}'"))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(api_tokens.insert().values(
            user_id=user.id, name=name[:100], token_hash=_token_hash(token), created_at=audit.now(), revoked=False,
        ))
        audit.record(conn, actor, "token.create", "api_tokens", username, after={"name": name})
    return token


def user_for_token(engine: Engine, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(users).join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == _token_hash(token), api_tokens.c.revoked.is_(False))
        ).mappings().first()
    if row is None or not row["active"]:
        return None
    return user_from_row(row)


def list_tokens(engine: Engine, username: str) -> list[dict[str, Any]]:
    """The user's tokens, newest first: name, dates and state (never the token itself)."""
    with engine.connect() as conn:
        rows = conn.execute(select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at,
                                   api_tokens.c.last_used_at, api_tokens.c.revoked)
                            .join(users, users.c.id == api_tokens.c.user_id)
                            .where(users.c.username == username).order_by(api_tokens.c.id.desc())).mappings().all()
    return [{"id": r["id"], "name": r["name"], "created_at": r["created_at"].isoformat(),
             "last_used_at": r["last_used_at"].isoformat() if r["last_used_at"] else None,
             "revoked": bool(r["revoked"])} for r in rows]


def revoke_token(engine: Engine, username: str, token_id: int, actor: str) -> bool:
    """Revoke one of ``username``'s own tokens; False when it is not theirs or already revoked."""
    user = get_user(engine, username)
    if user is None:
        return False
    with engine.begin() as conn:
        n = conn.execute(update(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.user_id == user.id,
                                                  api_tokens.c.revoked.is_(False)).values(revoked=True)).rowcount
        if n:
            audit.record(conn, actor, "token.revoke", "api_tokens", username, after={"id": token_id})
    return bool(n)


def _revoke_all(conn: Connection, user_id: int) -> int:
    return int(conn.execute(update(api_tokens).where(api_tokens.c.user_id == user_id,
                                                     api_tokens.c.revoked.is_(False)).values(revoked=True)).rowcount)


def revoke_tokens(engine: Engine, username: str, actor: str = "system") -> int:
    """Revoke every API token of ``username``; returns how many were live."""
    user = get_user(engine, username)
    if user is None:
        raise UserError(Message(f"没有用户“{username}”", f"no user '{username}'"))
    with engine.begin() as conn:
        n = conn.execute(update(api_tokens).where(api_tokens.c.user_id == user.id, api_tokens.c.revoked.is_(False))
                         .values(revoked=True)).rowcount
        audit.record(conn, actor, "token.revoke", "api_tokens", username, after={"revoked": n})
    return int(n)


def secret_key(engine: Engine) -> str:
    """The session-signing key: made on first use and kept in the store (never in the repository)."""
    with engine.begin() as conn:
        row = conn.execute(select(settings.c.value).where(settings.c.name == "session_secret")).first()
        if row:
            return str(row[0])
        key = secrets.token_urlsafe(48)
        conn.execute(settings.insert().values(name="session_secret", value=key, updated_at=audit.now()))
        return key
