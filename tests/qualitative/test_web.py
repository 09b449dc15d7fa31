"""The office's statuses on the web (issue 19): the JSON API, the form on the indicator page (CSRF), the
page and its JSON twin for every role; a reporter refused on every path, each refusal audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from planmon.monitor.qualitative import current_statuses
from planmon.web.app import create_app
from tests.qualitative.conftest import GDP_WORDS, QUAL, qual_store
from tests.web.conftest import WebEnv, csrf_of, denied_events, login, make_users

EVIDENCE = "2023年GDP增长5.2%，高于5%左右的年度预期目标"
URL = "/api/v1/qualitative-statuses"


@pytest.fixture
def qweb(tmp_path: Path) -> WebEnv:
    store = qual_store(f"sqlite:///{tmp_path / 'web.db'}")
    tokens = make_users(store)
    return WebEnv(store, create_app(store, reports_dir=tmp_path / "reports"), tokens, tmp_path)


def api(env: WebEnv, role: str) -> TestClient:
    return env.client(headers={"Authorization": f"Bearer {env.tokens[role]}"})


def test_api_entry_revision_history(qweb: WebEnv) -> None:
    c = api(qweb, "coordinator")
    r = c.post(URL, json={"indicator": QUAL, "period": "2023", "status": "基本符合预期", "evidence_zh": EVIDENCE,
                          "source": "国家统计局"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "as_expected" and r.json()["entered_by"] == "api:coordinator"
    assert c.post(URL, json={"indicator": QUAL, "period": "2023", "status": "as_expected", "evidence_zh": EVIDENCE,
                             "source": "国家统计局"}).status_code == 200  # unchanged
    r = c.post(URL, json={"indicator": QUAL, "period": "2023", "status": "滞后", "evidence_zh": "复核", "reason": ""})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "reason_missing" and "修订须写明原因" in r.json()["message_zh"]
    r = c.post(URL, json={"indicator": QUAL, "period": "2023", "status": "lagging", "evidence_zh": "复核",
                          "reason": "按统计公报终值复核"})
    assert r.status_code == 201 and r.json()["revision"] == 2
    viewer = api(qweb, "viewer")
    rows = viewer.get(URL).json()["rows"]
    assert [(x["indicator"], x["status"], x["revision"]) for x in rows] == [(QUAL, "lagging", 2)]
    hist = viewer.get(f"{URL}/{QUAL}/history").json()["rows"]
    assert [(h["revision"], h["status"], h["current"]) for h in hist] == [(1, "as_expected", False),
                                                                         (2, "lagging", True)]
    assert viewer.get(f"{URL}/NOPE/history").status_code == 404
    assert viewer.get(URL, params={"plan": "nope"}).status_code == 404
    # the assessment API shows it, entered and with its evidence
    body = viewer.get("/api/v1/assessments").json()
    rows = body["data"]["rows"] if "data" in body else body["rows"]
    row = next(x for x in rows if x["indicator"] == QUAL)
    assert row["status"] == "lagging" and row["entered"] is True and row["entered_evidence_zh"] == "复核"


def test_api_refuses_a_level_indicator_and_a_status_outside_the_scheme(qweb: WebEnv) -> None:
    c = api(qweb, "coordinator")
    r = c.post(URL, json={"indicator": "I01", "period": "2023", "status": "基本符合预期", "evidence_zh": EVIDENCE})
    assert r.status_code == 422 and r.json()["code"] == "not_qualitative"
    assert "I01" in r.json()["message_zh"] and "level" in r.json()["message_en"]
    r = c.post(URL, json={"indicator": QUAL, "period": "2023", "status": "优秀", "evidence_zh": EVIDENCE})
    assert r.status_code == 422 and r.json()["code"] == "unknown_status"
    assert current_statuses(qweb.store).empty


def test_a_reporter_is_refused_on_every_path(qweb: WebEnv) -> None:
    before = len(denied_events(qweb.store))
    rep = api(qweb, "reporter")
    r = rep.post(URL, json={"indicator": QUAL, "period": "2023", "status": "基本符合预期", "evidence_zh": EVIDENCE})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["permission"] == "qualitative.enter"
    page = qweb.client()
    csrf = login(page, "reporter")
    html = page.get(f"/indicators/{QUAL}").text
    assert 'id="qual-form"' not in html and "只有规划办" in html
    r = page.post(f"/indicators/{QUAL}/qualitative", data={"csrf_token": csrf, "period": "2023",
                                                           "status": "as_expected", "evidence_zh": EVIDENCE})
    assert r.status_code == 403
    events = denied_events(qweb.store)
    assert len(events) == before + 2
    assert {e["entity_id"] for e in events[:2]} == {f"POST {URL}", f"POST /indicators/{QUAL}/qualitative"}
    assert current_statuses(qweb.store).empty


def test_coordinator_form_with_csrf_and_the_page_for_every_role(qweb: WebEnv) -> None:
    page = qweb.client()
    csrf = login(page, "coordinator")
    html = page.get(f"/indicators/{QUAL}").text
    assert 'id="qual-form"' in html and GDP_WORDS in html and "尚未认定：待规划办公室评定" in html
    assert "待规划办公室评定" in html.split('id="status-card"')[1][:600]  # the status card, not 暂无法评估
    # without the CSRF token: refused, nothing written
    r = page.post(f"/indicators/{QUAL}/qualitative", data={"period": "2023", "status": "as_expected",
                                                           "evidence_zh": EVIDENCE})
    assert r.status_code == 403 and current_statuses(qweb.store).empty
    # a refused entry comes back on the page with its reason and the text typed
    bad = page.post(f"/indicators/{QUAL}/qualitative", data={"csrf_token": csrf, "period": "2023",
                                                             "status": "as_expected", "evidence_zh": " "})
    assert bad.status_code == 422 and "请填写认定依据" in bad.text and 'id="qual-errors"' in bad.text
    ok = page.post(f"/indicators/{QUAL}/qualitative", data={
        "csrf_token": csrf_of(bad.text), "period": "2023", "status": "as_expected", "evidence_zh": EVIDENCE,
        "evidence_en": "5.2 % in 2023", "source": "国家统计局"})
    assert ok.status_code == 303 and ok.headers["location"] == f"/indicators/{QUAL}#qualitative"
    ok = page.post(f"/indicators/{QUAL}/qualitative", data={
        "csrf_token": csrf, "period": "2023", "status": "faster", "evidence_zh": "复核：全年增长5.2%，快于预期",
        "reason": "统计公报发布后复核"})
    assert ok.status_code == 303
    for role in ("viewer", "reporter", "coordinator"):
        c = qweb.client()
        login(c, role)
        html = c.get(f"/indicators/{QUAL}").text
        card = html.split('id="status-card"')[1][:800]
        assert "快于预期" in card and "规划办认定" in card, role
        assert "复核：全年增长5.2%，快于预期" in html and EVIDENCE in html  # current and superseded evidence
        assert "已被修订" in html and "统计公报发布后复核" in html
        assert ('id="qual-form"' in html) == (role == "coordinator")
        twin = c.get(f"/indicators/{QUAL}?format=json").json()
        q = twin["qualitative"]
        assert q["current"]["status"] == "faster" and q["current"]["revision"] == 2
        assert [h["revision"] for h in q["history"]] == [2, 1] and q["plan_words"] == GDP_WORDS
        nat = next(a for a in twin["assessment"] if a["unit"] == "CN")
        assert nat["entered"] is True and nat["notes_zh"].startswith("由规划办认定：复核")
    en = qweb.client()
    login(en, "viewer")
    html = en.get(f"/indicators/{QUAL}?lang=en").text
    assert "faster than expected" in html and "entered by the planning office" in html
    # a level indicator's page has no such block
    assert "qual-form" not in page.get("/indicators/I01").text
    assert page.get("/indicators/I01?format=json").json()["qualitative"] is None


def test_openapi_documents_the_endpoints(qweb: WebEnv) -> None:
    doc = qweb.client().get("/openapi.json").json()
    post = doc["paths"][URL]["post"]
    assert {"201", "403", "422"} <= set(post["responses"])
    assert "application/problem+json" in post["responses"]["422"]["content"]
    assert "get" in doc["paths"][URL] and "get" in doc["paths"][f"{URL}/{{indicator_id}}/history"]
    assert "evidence_zh" in doc["components"]["schemas"]["StatusIn"]["properties"]
