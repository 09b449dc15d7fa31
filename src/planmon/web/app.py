"""The web application object: ``create_app(store)`` gives a FastAPI app serving pages and ``/api/v1``.

Everything it loads ships with the package (templates, HTMX, ECharts): the site works
with no network. FastAPI's /docs and /redoc are switched off because they load their
scripts from a CDN; the OpenAPI document stays at /openapi.json.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from planmon import __version__, settings, vocab
from planmon.auth import secret_key
from planmon.auth.ratelimit import RateLimiter
from planmon.jsonsafe import jsonable
from planmon.refusal import Refusal
from planmon.report.citations import citation
from planmon.store import Store
from planmon.web import problems
from planmon.web.data import VersionedCache
from planmon.web.messages import MESSAGES, translator
from planmon.web.security import SESSION_COOKIE, SESSION_MAX_AGE, NotLoggedIn, SessionSigner, is_https
from planmon.web.uploads import UploadStash

log = logging.getLogger(__name__)
LANG_COOKIE = "planmon_lang"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _web_dir() -> Path:
    return Path(str(resources.files("planmon.web")))


def wants_json(request: Request) -> bool:
    """API paths, ``?format=json`` and clients asking for JSON (not HTML) get JSON; browsers get pages."""
    if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "html" not in accept


def who_label(actor: object) -> str:
    """An actor as a person reads it: ``web:gd`` → ``gd`` (the channel prefix is for the audit log)."""
    text = str(actor or "")
    return text.split(":", 1)[1] if re.match(r"^(web|cli|api):", text) else text


def _install_vocabulary(env: Any) -> None:
    """The one vocabulary (planmon.vocab) in the templates: codes become words in the reader's language."""
    env.filters["localtime"] = vocab.local_time  # stored UTC → Asia/Shanghai, "2026-11-30 16:50"
    env.filters["who"] = who_label
    env.globals.update(
        status_label=lambda code, lang: vocab.status(code, lang),
        basis_label=lambda code, lang: vocab.basis(code, lang) if code in vocab.BASIS else "",
        code_label=lambda kind, code, lang: vocab.code(kind, code, lang) if str(code) in vocab.CODES[kind] else code,
        severity_label=lambda code, lang: vocab.severity(code, lang) if code in vocab.SEVERITY else code,
        num=lambda v, unit=None, ind=None: vocab.number(v, unit, ind),
        share=lambda v: vocab.share(v) if v is not None else "—",
        cite=lambda text, lang: citation(text, lang) or "—",
    )


def _to_login(request: Request) -> Response:
    """To the login form; during an HTMX request the whole page goes there (a 303 would be followed by htmx
    and the login page swapped into the middle of the page: an expired session during an upload)."""
    if request.headers.get("hx-request"):
        current = request.headers.get("hx-current-url") or request.url.path
        path = urlsplit(current).path or "/"
        return Response(status_code=200, headers={"HX-Redirect": f"/login?next={quote(path)}"})
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


def create_app(store: Store, *, secure_cookies: bool | None = None, reports_dir: Path | None = None,
               max_upload_bytes: int | None = None, rate_limiter: RateLimiter | None = None) -> FastAPI:
    """The app over ``store`` (already initialised). ``secure_cookies=None``: Secure when the request is HTTPS;
    ``max_upload_bytes=None``: the one upload ceiling of :mod:`planmon.settings` (``PLANMON_MAX_UPLOAD_MB``)."""
    app = FastAPI(
        title="planmon API", version=__version__, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        description="规划实施监测评估系统 REST API. Authenticate with `Authorization: Bearer <token>` "
                    "(`planmon token create USERNAME`).",
    )
    app.state.store = store
    app.state.framework = store.framework()
    app.state.signer = SessionSigner(secret_key(store.engine))
    app.state.cache = VersionedCache(store.engine)
    app.state.token_memo = {}
    app.state.limiter = rate_limiter or RateLimiter()
    app.state.max_upload = settings.max_upload_bytes() if max_upload_bytes is None else max_upload_bytes
    app.state.uploads = UploadStash()
    app.state.reports_dir = reports_dir or settings.reports_dir().resolve()
    web = _web_dir()
    templates = Jinja2Templates(directory=str(web / "templates"))
    templates.env.globals["MESSAGES"] = MESSAGES
    _install_vocabulary(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(web / "static")), name="static")
    app.mount("/assets", StaticFiles(directory=str(Path(str(resources.files("planmon"))) / "assets")), name="assets")

    app.add_middleware(Envelope, secure_cookies=secure_cookies)

    def problem_or_page(request: Request, problem: dict[str, Any], headers: dict[str, str] | None = None,
                        key: str | None = None) -> Response:
        """The one error answer: problem+json for the API and scripts, an HTML page for a browser."""
        if wants_json(request):
            return problems.response(problem, headers)
        status = int(problem["status"])
        key = key or {403: "forbidden", 404: "not_found"}.get(status, "error")
        return render_error(request, status, key, problem)

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, exc: NotLoggedIn) -> Response:
        if wants_json(request):
            return problems.response(problems.body(401, instance=request.url.path), {"WWW-Authenticate": "Bearer"})
        return _to_login(request)

    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> Response:
        """The library refused the input (a bad period, scheme, parameter, report …): 422 with its stable
        code and its reasons in both languages (every library exception is a Refusal: no guessing)."""
        problem = problems.body(422, exc.code, exc.text("zh"), exc.text("en"), request.url.path,
                                reasons=exc.to_dict()["reasons"])
        if wants_json(request):
            return problems.response(problem)
        return render_error(request, 422, "error", exc.text(getattr(request.state, "lang", "zh")))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        problem = problems.from_detail(exc.status_code, exc.detail, request.url.path)
        return problem_or_page(request, problem, dict(exc.headers or {}))

    @app.exception_handler(problems.ApiProblem)
    async def api_problem(request: Request, exc: problems.ApiProblem) -> Response:
        return problem_or_page(request, problems.body(exc.status, exc.code, exc.message_zh, exc.message_en,
                                                      request.url.path, **exc.extra))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """Nothing of the failure (no traceback, path or SQL) reaches the client; the log has it."""
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_or_page(request, problems.body(500, instance=request.url.path))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = _jsonable_errors(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):  # not JSON at all: a malformed request
            problem = problems.body(400, "malformed_json", "请求内容不是有效的 JSON", "the request body is not valid JSON",
                                    request.url.path, errors=errors)
        else:
            where = "; ".join(".".join(str(x) for x in e.get("loc", [])) for e in errors[:5])
            problem = problems.body(422, "invalid_request", f"请求内容不符合要求：{where}",
                                    f"the request does not match the API: {where}", request.url.path, errors=errors)
        return problem_or_page(request, problem)

    def render_error(request: Request, status: int, key: str, detail: Any = None) -> Response:
        lang = getattr(request.state, "lang", "zh")
        # an HTMX request gets the panel alone, swapped in where the result would have gone
        template = "_error.html" if request.headers.get("hx-request") else "error.html"
        return templates.TemplateResponse(request, template, {
            "t": translator(lang), "lang": lang, "key": key, "detail": detail, "user": None, "csrf": "",
            "nav": "",
        }, status_code=status)

    from planmon.web import routes_api, routes_pages

    app.include_router(routes_pages.router)
    app.include_router(routes_api.router)
    from planmon.web import routes_pilots  # pilots and duplicate review (issue 17)

    app.include_router(routes_pilots.router)
    app.include_router(routes_pilots.api)
    from planmon.web import routes_qualitative  # the office's status of qualitative targets (issue 19)

    app.include_router(routes_qualitative.router)
    app.include_router(routes_qualitative.api)
    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems.problem_media_type(plain_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


class Envelope:
    """Pure ASGI middleware around every request: upload limit, session and language in,
    cookies and security headers out (cheaper than Starlette's BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp, secure_cookies: bool | None = None) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:  # HEAD wherever GET is: answered as GET, without the body
            scope = {**scope, "method": "GET"}
        request = Request(scope)
        state = request.app.state
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > state.max_upload:
            mb = state.max_upload / 2**20
            detail = problems.body(413, "too_large", f"上传内容过大（上限 {mb:.0f} MB）",
                                   f"upload too large (limit {mb:.0f} MB)", request.url.path, limit=state.max_upload)
            response: Response = problems.response(detail)
            if request.headers.get("hx-request") or not wants_json(request):
                en = (request.cookies.get(LANG_COOKIE) or "").startswith("en")
                response = HTMLResponse(f'<div class="panel error">{detail["message_en" if en else "message_zh"]}</div>',
                                        status_code=413)
            response.headers.update(SECURITY_HEADERS)
            await response(scope, receive, send)
            return
        request.state.session = state.signer.load(request.cookies.get(SESSION_COOKIE))
        lang_q = request.query_params.get("lang")
        lang = lang_q or request.cookies.get(LANG_COOKIE) or "zh"
        request.state.lang = "en" if lang.lower().startswith("en") else "zh"
        path = request.url.path
        bearer = request.headers.get("authorization", "").lower().startswith("bearer ")

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = Response()
                sess = request.state.session
                if sess.changed or (sess.new and not bearer and not path.startswith("/api/")):
                    secure = is_https(request) if self.secure_cookies is None else self.secure_cookies
                    cookies.set_cookie(SESSION_COOKIE, state.signer.dump(sess), max_age=SESSION_MAX_AGE,
                                       httponly=True, samesite="lax", secure=secure, path="/")
                if lang_q:
                    cookies.set_cookie(LANG_COOKIE, request.state.lang, max_age=365 * 86400, samesite="lax",
                                       httponly=True, path="/")
                for key, value in cookies.raw_headers:
                    if key == b"set-cookie":
                        headers.append("set-cookie", value.decode("latin-1"))
                for k, v in SECURITY_HEADERS.items():
                    headers.setdefault(k, v)
                if path.startswith(("/api/", "/login")) or request.method != "GET":
                    headers.setdefault("Cache-Control", "no-store")
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_wrapped)


def _jsonable_errors(errors: Any) -> Any:
    return [{k: jsonable(v) for k, v in e.items() if k != "ctx"} for e in errors]


def iter_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Every endpoint route of an app or router as (full path, APIRoute), through included routers
    (the permission test enumerates them so that no endpoint escapes it)."""
    from fastapi.routing import APIRoute

    out: list[tuple[str, Any]] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append((prefix + r.path, r))
        elif hasattr(r, "original_router"):
            ctx = getattr(r, "include_context", None)
            out.extend(iter_routes(list(r.original_router.routes), prefix + str(getattr(ctx, "prefix", "") or "")))
    return out
