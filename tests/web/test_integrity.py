"""Issue 11: one write path, scopes that cannot be bypassed, no double review, sessions that end.

Every test goes through the real app (and, for concurrency, a real uvicorn server over real SQLite
and PostgreSQL), and checks the stored data, not only the status codes.
"""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from planmon.auth import add_user, create_token
from planmon.collect import export_observations
from planmon.store import NewObservation, Store
from planmon.web.app import create_app
from tests.web.browser import serve
from tests.web.conftest import PASSWORD, REPORTER_UNIT, WebEnv, csrf_of, denied_events, login


def _export(store: Store) -> bytes:
    """Every revision of every value, pending and accepted alike (the full history export)."""
    buf = io.BytesIO()
    export_observations(store, "csv", buf, history=True)
    return buf.getvalue()


def _submission_count(store: Store) -> int:
    from sqlalchemy import func, select

    from planmon.store.tables import submissions

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(submissions)).scalar_one())


# ---- 1. a reporter cannot write other units' data, by any road ------------------------------------------

MULTI_UNIT = [  # a reporter of 浙江 (330000) names Guangdong and the nation too (CN's I01 = 99 亿人)
    {"indicator": "I13", "unit": REPORTER_UNIT, "period": "2024", "value": 95.0},
    {"indicator": "I13", "unit": "440000", "period": "2024", "value": 10.0},
    {"indicator": "I01", "unit": "CN", "period": "2024", "value": 99.0},
]


def _multi_csv(path: Path) -> Path:
    path.write_text("indicator,unit,period,value\n" + "".join(
        f"{r['indicator']},{r['unit']},{r['period']},{r['value']}\n" for r in MULTI_UNIT), encoding="utf-8")
    return path


@pytest.mark.parametrize("road", ["page", "api_file", "api_json"])
def test_multi_unit_file_from_a_province_reporter_is_refused_whole(web: WebEnv, road: str) -> None:
    before, n_subs, n_denied = _export(web.store), _submission_count(web.store), len(denied_events(web.store))
    csv = _multi_csv(web.tmp / "three-units.csv")
    if road == "page":
        client = web.client()
        csrf = login(client, "reporter")
        with csv.open("rb") as fh:
            r = client.post("/submissions/upload", data={"unit": REPORTER_UNIT, "csrf_token": csrf},
                            files={"file": (csv.name, fh, "text/csv")}, headers={"accept": "application/json"})
    else:
        client = web.client(headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
        if road == "api_file":
            with csv.open("rb") as fh:
                r = client.post("/api/v1/observations/import", files={"files": (csv.name, fh, "text/csv")})
        else:
            r = client.post("/api/v1/observations", json={"rows": MULTI_UNIT})
    assert r.status_code == 403, r.text[:300]
    body = r.json()
    assert body["code"] == "outside_scope" and r.headers["content-type"] == "application/problem+json"
    outside = sorted((f["row"], f["value"]) for f in body["findings"] if f["rule"] == "outside_scope")
    first = 2 if road != "api_json" else 1  # spreadsheet row (header is row 1) vs JSON record number
    assert outside == [(first + 1, "440000"), (first + 2, "CN")]  # a finding per foreign row, none for 浙江's
    # nothing stored: not the foreign rows, not 浙江's own row either; the attempt is audited
    assert _export(web.store) == before and _submission_count(web.store) == n_subs
    assert len(denied_events(web.store)) == n_denied + 1


def test_coordinator_multi_unit_file_becomes_one_submission_per_unit(web: WebEnv) -> None:
    """Staff may submit for several units; each unit's rows are then reviewed as that unit's."""
    csv = web.tmp / "two.csv"
    csv.write_text(f"indicator,unit,period,value\nI13,{REPORTER_UNIT},2024,95\nI13,440000,2024,93\n", encoding="utf-8")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['coordinator']}"})
    with csv.open("rb") as fh:
        r = client.post("/api/v1/observations/import", files={"files": (csv.name, fh, "text/csv")})
    assert r.status_code == 200, r.text[:300]
    ids = r.json()["submission_ids"]
    subs = [client.get(f"/api/v1/submissions/{i}").json() for i in ids]
    assert sorted(s["unit_id"] for s in subs) == ["330000", "440000"] and all(s["rows"] == 1 for s in subs)
    # the reporter of 浙江 sees its unit's submission and not Guangdong's
    rep = web.client(headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    seen = {s["id"] for s in rep.get("/api/v1/submissions").json()["rows"]}
    assert {s["id"] for s in subs if s["unit_id"] == REPORTER_UNIT} <= seen
    assert not {s["id"] for s in subs if s["unit_id"] == "440000"} & seen


# ---- 2. JSON rows and file rows: the same rules, the same findings ---------------------------------------

# the ten mistakes of tests/collect/broken/make_broken.py, record n = spreadsheet row n + 1
TEN = [
    ("I01", "浙江省", "2024", 0.55, "final"),     # fine
    ("I99", "浙江", "2024", 5, ""),               # unknown_indicator
    ("I01", "火星省", "2024", 5, ""),             # unknown_unit
    ("I01", "江苏", "2024年度", 5, ""),           # bad_period
    ("I01", "江苏", "2031", 5, ""),               # future_period
    ("I03", "江苏", "2023", None, ""),            # missing_value
    ("I03", "江苏", "2022", "约5万", ""),          # not_a_number
    ("I01", "江苏", "2022", "12.3%", ""),         # wrong_measure: I01 is in 亿人
    ("I02", "江苏", "2022", 150, ""),             # out_of_range: a rate above 100 %
    ("I02", "江苏", "2021", 30, "draft"),         # bad_status
    ("I01", "浙江省", "2024", 0.55, "final"),     # duplicate_key of the first
]
EXPECTED = {("unknown_indicator", 2, "indicator"), ("unknown_unit", 3, "unit"), ("bad_period", 4, "period"),
            ("future_period", 5, "period"), ("missing_value", 6, "value"), ("not_a_number", 7, "value"),
            ("wrong_measure", 8, "value"), ("out_of_range", 9, "value"), ("bad_status", 10, "status"),
            ("duplicate_key", 11, "value")}


def _findings_by(road: str, web: WebEnv) -> tuple[int, set[tuple[str, int, str]]]:
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['coordinator']}"})
    if road == "csv":
        lines = ["indicator,unit,period,value,status"] + [
            f"{i},{u},{p},{'' if v is None else v},{s}" for i, u, p, v, s in TEN]
        r = client.post("/api/v1/observations/import",
                        files={"files": ("ten.csv", ("\n".join(lines) + "\n").encode(), "text/csv")})
        shift = 1  # CSV rows count the header
    else:
        rows = [{"indicator": i, "unit": u, "period": p, "value": v, **({"status": s} if s else {})}
                for i, u, p, v, s in TEN]
        r = client.post("/api/v1/observations", json={"rows": rows})
        shift = 0
    assert r.headers["content-type"] == "application/problem+json"
    return r.status_code, {(f["rule"], f["row"] - shift, f["field"]) for f in r.json()["findings"]}


@pytest.mark.parametrize("road", ["csv", "json"])
def test_json_rows_get_the_same_findings_as_a_csv(web: WebEnv, road: str) -> None:
    before = _export(web.store)
    status, found = _findings_by(road, web)
    assert status == 422 and found == EXPECTED
    assert _export(web.store) == before


def test_json_route_checks_plausibility_and_reasons_like_a_file(web: WebEnv) -> None:
    """The issue's examples: I09 = 250 % for 2025-11 and I02 = −5 for 2031 were accepted; a coordinator's
    I13 = 1e9 % replaced an accepted value without a reason."""
    web.store.write_observations([NewObservation("I13", REPORTER_UNIT, "2024", 95.0)], actor="t")
    staff = web.client(headers={"Authorization": f"Bearer {web.tokens['coordinator']}"})
    r = staff.post("/api/v1/observations", json={"rows": [
        {"indicator": "I09", "unit": "CN", "period": "2025-11", "value": 250},
        {"indicator": "I02", "unit": "CN", "period": "2031", "value": -5}]})
    assert r.status_code == 422
    assert {f["rule"] for f in r.json()["findings"]} >= {"future_period"} and r.json()["errors"] >= 2
    r = staff.post("/api/v1/observations", json={"rows": [
        {"indicator": "I13", "unit": REPORTER_UNIT, "period": "2024", "value": 1e9}]})
    assert r.status_code == 422 and "out_of_range" in {f["rule"] for f in r.json()["findings"]}
    r = staff.post("/api/v1/observations", json={"rows": [
        {"indicator": "I13", "unit": REPORTER_UNIT, "period": "2024", "value": 96.0}]})
    assert r.status_code == 422 and [f["rule"] for f in r.json()["findings"]] == ["revises_accepted"]
    assert web.store.current_observations(indicator="I13", unit=REPORTER_UNIT)["value"].tolist() == [95.0]
    r = staff.post("/api/v1/observations", json={"reason": "统计局更正公报", "rows": [
        {"indicator": "I13", "unit": REPORTER_UNIT, "period": "2024", "value": 96.0}]})
    assert r.status_code == 200 and r.json()["revised"] == 1
    assert web.store.current_observations(indicator="I13", unit=REPORTER_UNIT)["value"].tolist() == [96.0]


# ---- 3. twenty reviewers accept one submission at once: one wins ----------------------------------------

def _race(store: Store, tmp: Path) -> None:
    add_user(store.engine, "rev", PASSWORD, "reviewer", actor="t")
    add_user(store.engine, "rep", PASSWORD, "reporter", [REPORTER_UNIT], actor="t")
    rev, rep = create_token(store.engine, "rev"), create_token(store.engine, "rep")
    app = create_app(store, reports_dir=tmp / "r")
    with serve(app) as base:
        r = httpx.post(f"{base}/api/v1/observations", headers={"Authorization": f"Bearer {rep}"},
                       json={"rows": [{"indicator": "I13", "unit": REPORTER_UNIT, "period": "2024", "value": 95.0}]})
        assert r.status_code == 200, r.text
        sid = r.json()["submission_id"]
        barrier = threading.Barrier(20)
        codes: list[int] = []

        def accept() -> None:
            with httpx.Client(headers={"Authorization": f"Bearer {rev}"}, timeout=60) as c:
                barrier.wait()
                codes.append(c.post(f"{base}/api/v1/submissions/{sid}/accept", json={"comment": ""}).status_code)

        threads = [threading.Thread(target=accept) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(codes) == [200] + [409] * 19
    events = [e for e in store.audit_events(limit=100000) if e["action"] == "submission.accept"]
    assert len(events) == 1 and events[0]["entity_id"] == str(sid)
    assert store.current_observations(indicator="I13", unit=REPORTER_UNIT)["value"].tolist() == [95.0]


def test_twenty_concurrent_accepts_one_wins(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    try:
        store.init()
        _race(store, tmp_path)
    finally:
        store.engine.dispose()


# ---- 4. sessions end at logout, password change and role change; revoked tokens end ----------------------

def _cookie_client(web: WebEnv, user: str) -> tuple[TestClient, str]:
    c = web.client()
    login(c, user)
    cookie = c.cookies.get("planmon_session")
    assert cookie and c.get("/api/v1/me").status_code == 200
    return c, cookie


def _old_cookie_status(web: WebEnv, cookie: str) -> int:
    return web.client(cookies={"planmon_session": cookie}).get("/api/v1/me").status_code


def test_old_cookie_dies_at_logout(web: WebEnv) -> None:
    c, cookie = _cookie_client(web, "viewer")
    csrf = csrf_of(c.get("/account").text)
    assert c.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert _old_cookie_status(web, cookie) == 401


def test_old_cookie_dies_at_password_change_and_reset(web: WebEnv) -> None:
    # the user's own change: the other sessions end, the one that made the change goes on
    _c1, cookie1 = _cookie_client(web, "reviewer")
    c2, cookie2 = _cookie_client(web, "reviewer")
    csrf = csrf_of(c2.get("/account").text)
    r = c2.post("/account/password", data={"csrf_token": csrf, "current": PASSWORD, "new": "quiet-river-lantern-7",
                                           "confirm": "quiet-river-lantern-7"})
    assert r.status_code == 200 and 'id="password-ok"' in r.text
    assert _old_cookie_status(web, cookie1) == 401 and c2.get("/api/v1/me").status_code == 200
    # an administrator's reset ends every session and revokes the user's API tokens
    admin = web.client(headers={"Authorization": f"Bearer {web.tokens['admin']}"})
    assert admin.patch("/api/v1/users/reviewer", json={"password": "another-fresh-phrase-9"}).status_code == 200
    assert _old_cookie_status(web, cookie2) == 401
    assert web.client(headers={"Authorization": f"Bearer {web.tokens['reviewer']}"}).get("/api/v1/me").status_code == 401


def test_old_cookie_dies_at_role_change(web: WebEnv) -> None:
    _, cookie = _cookie_client(web, "coordinator")
    admin = web.client(headers={"Authorization": f"Bearer {web.tokens['admin']}"})
    assert admin.patch("/api/v1/users/coordinator", json={"role": "viewer"}).status_code == 200
    assert _old_cookie_status(web, cookie) == 401


def test_revoked_token_gets_401_and_owner_lists_tokens(web: WebEnv) -> None:
    c = web.client(headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    made = c.post("/api/v1/tokens", json={"name": "nightly"}).json()["token"]
    other = web.client(headers={"Authorization": f"Bearer {made}"})
    assert other.get("/api/v1/me").status_code == 200
    listed = c.get("/api/v1/tokens").json()["rows"]
    assert [t["name"] for t in listed][:2] == ["nightly", "test"] and "token" not in json.dumps(listed).lower()
    nightly = listed[0]["id"]
    # another user cannot revoke it
    assert web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"}).delete(
        f"/api/v1/tokens/{nightly}").status_code == 404
    assert c.delete(f"/api/v1/tokens/{nightly}").status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    assert c.get("/api/v1/me").status_code == 200  # the owner's other token still works


def test_password_rule_and_last_admin(web: WebEnv) -> None:
    admin = web.client(headers={"Authorization": f"Bearer {web.tokens['admin']}"})
    for weak in ("12345678", "123456789012", "password1234", "short-pw"):
        r = admin.post("/api/v1/users", json={"username": "weak", "password": weak, "role": "viewer"})
        assert r.status_code == 422 and r.json()["code"] == "user_refused", weak
        assert r.json()["message_zh"] and r.json()["message_en"]
    r = admin.post("/api/v1/users", json={"username": "fresh", "password": "tidal-copper-notebook"})
    assert r.status_code == 201 and r.json()["role"] == "viewer"  # least privilege by default
    for change in ({"role": "viewer"}, {"active": False}):
        r = admin.patch("/api/v1/users/admin", json=change)
        assert r.status_code == 409 and r.json()["code"] == "last_admin"
    assert admin.get("/api/v1/me").json()["role"] == "admin"


def test_login_throttle_slows_but_never_locks_out_the_owner(web: WebEnv) -> None:
    """An attacker's failures from one client block that client for that account; the owner, from
    another client, waits a little and gets in."""
    from planmon.auth.ratelimit import RateLimiter

    app = create_app(web.store, rate_limiter=RateLimiter(max_failures=3, window_seconds=60, max_delay=0.5))
    attacker = TestClient(app, follow_redirects=False, client=("203.0.113.9", 5000))
    token = csrf_of(attacker.get("/login").text)
    for _ in range(4):
        attacker.post("/login", data={"username": "reviewer", "password": "guess-guess", "csrf_token": token})
    r = attacker.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    owner = TestClient(app, follow_redirects=False, client=("198.51.100.7", 5000))
    token = csrf_of(owner.get("/login").text)
    r = owner.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303


# ---- API consistency: one error shape, statuses, pagination, HEAD, HTML for browsers ----------------------

def test_every_error_status_is_a_problem_document(web: WebEnv) -> None:
    from tests.web.test_schemathesis import problem_errors

    admin = web.client(headers={"Authorization": f"Bearer {web.tokens['admin']}"})
    viewer = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    small = TestClient(create_app(web.store, max_upload_bytes=1000),
                       headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    sid = _race_free_submission(web)
    assert admin.post(f"/api/v1/submissions/{sid}/accept", json={"comment": ""}).status_code == 200
    calls = {
        400: lambda: admin.post("/api/v1/observations", content=b"{not json", headers={"content-type": "application/json"}),
        401: lambda: web.client().get("/api/v1/me"),
        403: lambda: viewer.get("/api/v1/users"),
        404: lambda: admin.get("/api/v1/submissions/99999"),
        409: lambda: admin.post(f"/api/v1/submissions/{sid}/accept", json={"comment": ""}),
        413: lambda: small.post("/api/v1/observations/import", files={"files": ("a.csv", b"x" * 5000, "text/csv")}),
        422: lambda: admin.get("/api/v1/observations", params={"limit": 0}),
    }
    for status, call in calls.items():
        r = call()
        assert r.status_code == status, (status, r.text[:200])
        assert problem_errors(status, r.headers["content-type"], r.json()) == [], (status, r.json())
    # a 404 for an unknown API route is a problem too; a browser gets a page
    r = admin.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    r = web.client().get("/nothing-here", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "未找到" in r.text


def _race_free_submission(web: WebEnv) -> int:
    rep = web.client(headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    r = rep.post("/api/v1/observations", json={"rows": [{"indicator": "I13", "unit": REPORTER_UNIT,
                                                          "period": "2024", "value": 90.0}]})
    assert r.status_code == 200, r.text
    return int(r.json()["submission_id"])


def test_head_where_get_and_lists_paginate_with_total_and_next(web: WebEnv) -> None:
    viewer = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    r = viewer.head("/")
    assert r.status_code == 200 and r.content == b"" and r.headers["content-type"].startswith("text/html")
    assert viewer.head("/api/v1/me").status_code == 200
    page1 = viewer.get("/api/v1/observations", params={"limit": 3}).json()
    assert page1["total"] > 3 and len(page1["rows"]) == 3 and page1["next"].startswith("/api/v1/observations?")
    page2 = viewer.get(page1["next"]).json()
    assert page2["offset"] == 3 and page2["rows"] != page1["rows"]
    admin = web.client(headers={"Authorization": f"Bearer {web.tokens['admin']}"})
    audit = admin.get("/api/v1/audit", params={"limit": 2}).json()
    assert audit["total"] >= 10 and len(audit["rows"]) == 2 and audit["rows"][0]["id"] > audit["rows"][1]["id"]
    risks = viewer.get("/api/v1/risks", params={"limit": 5}).json()
    assert set(risks) >= {"rows", "total", "limit", "offset", "next"} and len(risks["rows"]) <= 5
    first, second = _race_free_submission(web), _race_free_submission_2(web)
    rev = web.client(headers={"Authorization": f"Bearer {web.tokens['reviewer']}"})
    subs = rev.get("/api/v1/submissions", params={"limit": 1}).json()
    assert subs["total"] == 2 and [s["id"] for s in subs["rows"]] == [second] and subs["next"]  # newest first
    assert [s["id"] for s in rev.get(subs["next"]).json()["rows"]] == [first]


def _race_free_submission_2(web: WebEnv) -> int:
    rep = web.client(headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    r = rep.post("/api/v1/observations", json={"rows": [{"indicator": "I13", "unit": REPORTER_UNIT,
                                                          "period": "2023", "value": 89.0}]})
    assert r.status_code == 200, r.text
    return int(r.json()["submission_id"])


def test_unreadable_upload_names_no_server_path(web: WebEnv) -> None:
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['reporter']}"})
    r = client.post("/api/v1/observations/import", files={"files": ("broken.xlsx", b"PK\x03\x04 not a workbook",
                                                                    "application/octet-stream")})
    assert r.status_code == 422
    text = json.dumps(r.json(), ensure_ascii=False)
    assert "/tmp" not in text and "planmon-upload" not in text and "broken.xlsx" in text


def test_refused_workbook_offers_the_annotated_copy_then_reasons_pass_warnings(web: WebEnv) -> None:
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    ws.append(["indicator", "unit", "period", "value"])
    ws.append(["I13", REPORTER_UNIT, "2024", "九十"])
    bad = web.tmp / "zj.xlsx"
    wb.save(bad)
    client = web.client()
    csrf = login(client, "reporter")
    r = client.post("/submissions/upload", data={"unit": REPORTER_UNIT, "csrf_token": csrf},
                    files={"file": (bad.name, bad.read_bytes(), "application/octet-stream")},
                    headers={"hx-request": "true"})
    assert r.status_code == 200 and "not_a_number" not in r.text  # messages, not rule codes, on the page
    import re as _re

    link = _re.search(r'href="(/submissions/upload/[^"]+/annotated/zj\.checked\.xlsx)"', r.text)
    assert link, r.text[:500]
    got = client.get(link.group(1))
    assert got.status_code == 200
    out = web.tmp / "annotated.xlsx"
    out.write_bytes(got.content)
    comment = load_workbook(out)["数据"]["D2"].comment
    assert comment is not None and "not_a_number" in comment.text
    # someone else cannot fetch it
    other = web.client(headers={"Authorization": f"Bearer {web.tokens['coordinator']}"})
    assert other.get(link.group(1)).status_code == 404
