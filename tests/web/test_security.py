"""CSRF, security headers, cookies, login rate limit, upload size limit, sessions."""

from __future__ import annotations

import pytest

from planmon.auth.ratelimit import RateLimiter
from planmon.web.app import create_app
from tests.web.conftest import PASSWORD, WebEnv, csrf_of, login


def _script_src(csp: str) -> str:
    parts = {p.strip().split(" ", 1)[0]: p.strip() for p in csp.split(";") if p.strip()}
    return parts["script-src"]


@pytest.mark.parametrize("path", ["/login", "/", "/api/v1/overview", "/static/app.css", "/nope", "/openapi.json"])
def test_security_headers_on_every_kind_of_response(web: WebEnv, path: str) -> None:
    r = web.client().get(path)
    csp = r.headers["content-security-policy"]
    script = _script_src(csp)
    assert script == "script-src 'self'", script  # no inline script, no eval
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script(web: WebEnv) -> None:
    client = web.client()
    login(client, "admin")
    for path in ["/", "/indicators/I01", "/regions/330000", "/plan", "/submissions", "/review", "/reports",
                 "/admin/users", "/account"]:
        html = client.get(path).text
        for tag in html.split("<script")[1:]:
            head, _, rest = tag.partition(">")
            assert "src=" in head, f"inline script on {path}"
            assert rest.startswith("</script>"), f"inline script body on {path}"
        assert " on" + "click=" not in html and "javascript:" not in html


def test_no_cdn_anywhere(web: WebEnv) -> None:
    client = web.client()
    login(client, "admin")
    html = client.get("/").text
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
    assert client.get("/assets/vendor/echarts-6.1.0.min.js").status_code == 200


def test_session_cookie_flags(web: WebEnv) -> None:
    r = web.client().get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    r = web.client(base_url="https://testserver").get("/login")
    assert "secure" in r.headers["set-cookie"].lower()


def test_csrf_is_checked_on_every_unsafe_cookie_request(web: WebEnv) -> None:
    client = web.client()
    # the login form itself needs the token
    r = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert r.status_code == 403
    token = login(client, "admin")
    for url, data in [("/account/tokens", {"name": "x"}), ("/logout", {}),
                      ("/admin/users", {"username": "zed", "password": "long-enough-1", "role": "viewer"})]:
        assert client.post(url, data=data).status_code == 403, url
        assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 403, url
    # the API through the session cookie needs the header
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403
    assert client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": token}).status_code == 201
    # with the token, the form works
    r = client.post("/account/tokens", data={"name": "x", "csrf_token": token})
    assert r.status_code == 200 and 'id="new-token"' in r.text
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    assert client.get("/").status_code == 303  # logged out


def test_login_replaces_the_session_token(web: WebEnv) -> None:
    client = web.client()
    before = csrf_of(client.get("/login").text)
    after = login(client, "viewer")
    assert before != after


def test_login_rate_limit_per_username(web: WebEnv) -> None:
    app = create_app(web.store, rate_limiter=RateLimiter(max_failures=3, window_seconds=60, max_per_ip=100))
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    for _ in range(3):
        r = client.post("/login", data={"username": "viewer", "password": "wrong-guess", "csrf_token": token})
        assert r.status_code == 401
    # the right password is refused too while the username is locked
    r = client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    # another user from the same client is not affected (the IP limit is higher)
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303
    actions = [e["action"] for e in web.store.audit_events(entity="session")]
    assert actions.count("login.failed") == 3 and "login.limited" in actions


def test_login_rate_limit_per_ip(web: WebEnv) -> None:
    app = create_app(web.store, rate_limiter=RateLimiter(max_failures=100, window_seconds=60, max_per_ip=4))
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    for n in range(4):
        client.post("/login", data={"username": f"guess{n}", "password": "x", "csrf_token": token})
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429


def test_upload_size_limit(web: WebEnv) -> None:
    app = create_app(web.store, max_upload_bytes=1000)
    from fastapi.testclient import TestClient

    client = TestClient(app, headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    r = client.post("/api/v1/observations/import", params={"unit": "330000"},
                    files={"files": ("big.xlsx", b"x" * 5000, "application/octet-stream")})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json" and r.json()["code"] == "too_large"


def test_tokens_are_stored_hashed_and_revocable(web: WebEnv) -> None:
    from sqlalchemy import select

    from planmon.auth import revoke_tokens
    from planmon.store.tables import api_tokens

    token = web.tokens["viewer"]
    with web.store.engine.connect() as conn:
        stored = [r[0] for r in conn.execute(select(api_tokens.c.token_hash))]
    assert token not in stored and all(len(h) == 64 for h in stored)
    client = web.client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/me").json()["username"] == "viewer"
    revoke_tokens(web.store.engine, "viewer", actor="test")
    assert client.get("/api/v1/me").status_code == 401
    assert web.client(headers={"Authorization": "Bearer pm_forged"}).get("/api/v1/me").status_code == 401


def test_open_redirect_refused(web: WebEnv) -> None:
    client = web.client()
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token,
                                    "next": "//evil.example/"})
    assert r.headers["location"] == "/"


def test_htmx_requests_get_a_panel_not_a_page(web: WebEnv) -> None:
    client = web.client()
    token = login(client, "reporter")
    r = client.post("/submissions/upload", data={"unit": "110000", "csrf_token": token},
                    files={"file": ("bj.xlsx", b"PK", "application/octet-stream")}, headers={"HX-Request": "true"})
    assert r.status_code == 403
    assert "<html" not in r.text and "无权访问" in r.text
    small = create_app(web.store, max_upload_bytes=100)
    from fastapi.testclient import TestClient

    r = TestClient(small).post("/submissions/upload", content=b"x" * 500,
                               headers={"HX-Request": "true", "Content-Type": "application/octet-stream"})
    assert r.status_code == 413 and r.text.startswith('<div class="panel error">上传内容过大')


def test_rate_limit_window_expires() -> None:
    import time

    lim = RateLimiter(max_failures=2, window_seconds=0.3, max_per_ip=10)
    lim.failure("Ann", "10.0.0.1")
    assert not lim.blocked("ann", "10.0.0.1")
    lim.failure("ann", "10.0.0.1")
    assert lim.blocked("ANN", "10.0.0.1")  # per username and address, whatever the case
    # issue 11: another address is not locked out, only slowed down (delay, not block)
    assert not lim.blocked("ann", "10.0.0.2") and lim.delay("ann") == 1.0
    time.sleep(0.35)
    assert not lim.blocked("ann", "10.0.0.1") and lim.delay("ann") == 0.0
