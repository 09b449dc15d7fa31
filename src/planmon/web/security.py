"""Sessions, CSRF, principals and the permission check of every route.

* The session is a signed cookie (itsdangerous) holding a random session id and the CSRF token;
  HttpOnly, SameSite=Lax, Secure when the request came over HTTPS. The id must be live in the
  store (:mod:`planmon.auth.sessions`) on every request, so logout, a password change, a role
  change or a deactivation end a session at once, not when the cookie expires.
* Every visitor gets a CSRF token (the login form needs one too); an unsafe request
  authenticated by the cookie must echo it, as the ``csrf_token`` form field or the
  ``X-CSRF-Token`` header (HTMX sends the header, see base.html).
* Scripts authenticate with ``Authorization: Bearer <token>`` and need no CSRF token.
* :func:`need` is the one dependency that guards a route: it names the permission
  (looked up in :mod:`planmon.auth.permissions`) and audits every refusal.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from planmon.auth import User, allowed, may_act_for, units_in_scope, user_for_token
from planmon.auth.sessions import end_session, session_user, start_session
from planmon.store import audit
from planmon.web.problems import ApiProblem

SESSION_COOKIE = "planmon_session"
SESSION_MAX_AGE = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Session:
    sid: str | None
    csrf: str
    new: bool = False
    changed: bool = False


@dataclass
class Principal:
    user: User
    via: str  # "session" | "token"

    @property
    def actor(self) -> str:
        return f"web:{self.user.username}" if self.via == "session" else f"api:{self.user.username}"


class NotLoggedIn(Exception):
    """Raised by :func:`need` when nobody is logged in (pages redirect, the API answers 401)."""


class SessionSigner:
    def __init__(self, secret: str) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="planmon-session")

    def load(self, raw: str | None) -> Session:
        if raw:
            try:
                data = self._s.loads(raw, max_age=SESSION_MAX_AGE)
                sid = data.get("sid")
                return Session(sid=sid if isinstance(sid, str) else None, csrf=str(data["csrf"]))
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return Session(sid=None, csrf=secrets.token_urlsafe(32), new=True)

    def dump(self, session: Session) -> str:
        return self._s.dumps({"sid": session.sid, "csrf": session.csrf})


def session_of(request: Request) -> Session:
    sess = request.state.session
    assert isinstance(sess, Session)
    return sess


def login_session(request: Request, user: User) -> None:
    """Start a fresh server-side session for ``user`` (a new id and CSRF token too: no fixation)."""
    end_session(request.app.state.store.engine, session_of(request).sid)
    sid = start_session(request.app.state.store.engine, user.id, client=client_ip(request))
    request.state.session = Session(sid=sid, csrf=secrets.token_urlsafe(32), changed=True)


def logout_session(request: Request) -> None:
    """End this session in the store (the old cookie stops working at once) and start an anonymous one."""
    end_session(request.app.state.store.engine, session_of(request).sid)
    request.state.session = Session(sid=None, csrf=secrets.token_urlsafe(32), changed=True)


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


async def _csrf_ok(request: Request) -> bool:
    expected = session_of(request).csrf
    sent = request.headers.get("x-csrf-token", "")
    if not sent and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else ""
    return bool(sent) and hmac.compare_digest(sent, expected)


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe cookie-authenticated request without the session's CSRF token."""
    if request.method in SAFE_METHODS or request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    if not await _csrf_ok(request):
        raise HTTPException(403, detail={"code": "csrf", "message_zh": "表单已过期或缺少校验码，请刷新页面后重试",
                                         "message_en": "missing or stale CSRF token: reload the page and retry"})


def principal(request: Request) -> Principal | None:
    """Who is making this request: a Bearer token first, else the session cookie."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    engine = request.app.state.store.engine
    found: Principal | None = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = token_user(request, auth[7:].strip())
        found = Principal(user, "token") if user else None
    else:
        sid = session_of(request).sid
        if sid is not None:
            user = session_user(engine, sid)
            found = Principal(user, "session") if user else None
    request.state.principal = found
    return found


def data_version(request: Request) -> int:
    """The store's data version (newest audit event id), read once per request."""
    if not hasattr(request.state, "data_version"):
        request.state.data_version = request.app.state.cache.version()
    return int(request.state.data_version)


def token_user(request: Request, token: str) -> User | None:
    """The token's user, remembered until the next write to the store: every revocation and
    user change is audited, so it moves the data version and drops this memory."""
    memo: dict[str, tuple[int, User | None]] = request.app.state.token_memo
    version = data_version(request)
    hit = memo.get(token)
    if hit is not None and hit[0] == version:
        return hit[1]
    user = user_for_token(request.app.state.store.engine, token)
    if len(memo) > 10_000:
        memo.clear()
    memo[token] = (version, user)
    return user


def deny(request: Request, who: Principal, permission: str, detail: str = "", *, code: str = "forbidden",
         zh: str = "无权执行此操作", en: str = "you may not do this", **extra: Any) -> ApiProblem:
    """Write the refusal to the audit log and give the 403 problem to raise."""
    with request.app.state.store.engine.begin() as conn:
        audit.record(conn, who.actor, "access.denied", "web", f"{request.method} {request.url.path}",
                     after={"permission": permission, "role": who.user.role}, detail=detail)
    return ApiProblem(403, code, zh, en, permission=permission, **extra)


def need(permission: str) -> Callable[[Request], Awaitable[Principal]]:
    """The dependency that guards a route with ``permission`` (and CSRF for cookie sessions)."""

    async def dependency(request: Request) -> Principal:
        who = principal(request)
        if who is None:
            raise NotLoggedIn()
        await check_csrf(request)
        if not allowed(who.user.role, permission):
            raise deny(request, who, permission)
        return who

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def require_unit(request: Request, who: Principal, unit: str, permission: str) -> None:
    """Refuse (403, audited) acting for a unit outside the user's scope."""
    if not may_act_for(who.user.role, who.user.scopes, unit, request.app.state.framework):
        raise deny(request, who, permission, detail=f"unit {unit} outside scope {who.user.scopes}")


def scope_of(request: Request, who: Principal) -> set[str] | None:
    return units_in_scope(who.user.role, who.user.scopes, request.app.state.framework)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "?"


def context_user(request: Request) -> dict[str, Any] | None:
    who = principal(request)
    return who.user.to_dict() if who else None
