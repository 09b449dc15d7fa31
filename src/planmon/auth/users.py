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

from sqlalchemy import Engine, select, update

from planmon.auth.passwords import MIN_LENGTH, hash_password, verify_password
from planmon.auth.permissions import ROLES
from planmon.i18n import Message
from planmon.refusal import Refusal
from planmon.store import audit
from planmon.store.tables import api_tokens, settings, users

TOKEN_PREFIX = "pm_"


class UserError(Refusal):
    """A refused user change, with its reason in both languages."""

    default_code = "user_refused"

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


def _user(row: Any) -> User:
    return User(id=row["id"], username=row["username"], role=row["role"], scopes=list(row["scopes"] or []),
                display_name=row["display_name"] or "", active=bool(row["active"]))


def _check(username: str, role: str, password: str | None) -> None:
    if not username or len(username) > 100 or not all(c.isalnum() or c in "._-@" for c in username):
        raise UserError(Message("用户名只能包含字母、数字和 . _ - @（1–100 个字符）",
                                "a username has 1–100 letters, digits or . _ - @"))
    if role not in ROLES:
        raise UserError(Message(f"未知角色“{role}”，可选：{', '.join(ROLES)}",
                                f"unknown role '{role}'; choose one of {', '.join(ROLES)}"))
    if password is not None and len(password) < MIN_LENGTH:
        raise UserError(Message(f"密码至少 {MIN_LENGTH} 个字符", f"a password needs at least {MIN_LENGTH} characters"))


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
        conn.execute(update(users).where(users.c.username == username).values(**values))
        after = {k: v for k, v in values.items() if k != "password_hash"}
        audit.record(conn, actor, "user.update", "users", username, before=before.to_dict(), after=after)
    user = get_user(engine, username)
    assert user is not None
    return user


def get_user(engine: Engine, username: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    return _user(row) if row else None


def get_user_by_id(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.username)).mappings()]


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user with this password, or ``None`` (the same work is done either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    ok = verify_password(row["password_hash"] if row else None, password)
    if not ok or row is None or not row["active"]:
        return None
    return _user(row)


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
    return _user(row)


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
