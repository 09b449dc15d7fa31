"""Pages and their JSON twins, the message catalogue, the dashboard cache."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from planmon.store import NewObservation
from planmon.web.messages import MESSAGES
from planmon.web.services import tile_grid
from tests.web.conftest import REPORTER_UNIT, WebEnv, login

PAGES = ["/", "/indicators/I01", f"/regions/{REPORTER_UNIT}", "/plan", "/submissions", "/review", "/reports",
         "/admin/users", "/account"]


def test_catalogue_complete_and_every_template_key_present() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
    folder = Path(str(resources.files("planmon.web"))) / "templates"
    used: set[str] = set()
    for f in folder.glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_]+)'\)", f.read_text(encoding="utf-8")))
    assert used, "no keys found: the pattern is wrong"
    missing = used - set(MESSAGES)
    assert not missing, f"keys used by templates but missing from the catalogue: {sorted(missing)}"
    # keys built at run time: role_*, state_*, progress_*
    for prefix, values in [("role_", ["admin", "coordinator", "reviewer", "reporter", "viewer"]),
                           ("state_", ["draft", "submitted", "accepted", "returned"]),
                           ("progress_", ["not_started", "on_schedule", "delayed", "done"])]:
        for v in values:
            assert prefix + v in MESSAGES


def test_every_page_renders_in_both_languages(web: WebEnv) -> None:
    client = web.client()
    login(client, "admin")
    for path in PAGES:
        zh = client.get(path)
        assert zh.status_code == 200, (path, zh.text[:300])
        assert 'lang="zh-CN"' in zh.text and "规划实施监测评估系统" in zh.text
    client.get("/?lang=en")  # the switch sticks in a cookie
    for path in PAGES:
        en = client.get(path)
        assert 'lang="en"' in en.text and "Plan Implementation Monitoring" in en.text, path


def test_json_twins(web: WebEnv) -> None:
    client = web.client()
    login(client, "admin")
    for path in PAGES:
        r = client.get(path, params={"format": "json"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), path
    page = client.get("/", params={"format": "json"}).json()
    api = client.get("/api/v1/overview").json()
    assert page == api


def test_overview_shows_the_builtin_values(web: WebEnv) -> None:
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    data = client.get("/api/v1/overview", params={"lang": "en"}).json()
    cards = {c["id"]: c for c in data["indicators"]}
    # builtin observations.yaml (issue 15): I01 (internet users, 100 million) 2025 = 11.25 (CNNIC 57th report),
    # the latest period on the time axis (2025 > 2025-06); baseline 9.89 (2020), target 12.0 (2025)
    assert cards["I01"]["latest"] == 11.25 and cards["I01"]["latest_period"] == "2025"
    assert cards["I01"]["baseline"] == {"period": "2020", "value": 9.89}
    assert cards["I01"]["trajectory"][0] == {"period": "2020", "value": 9.89, "time": 2020.0}
    assert cards["I01"]["trajectory"][-1] == {"period": "2025", "value": 12.0, "time": 2025.0}
    assert cards["I01"]["name"] == "Number of internet users"
    assert len(data["map"]["tiles"]) == 34
    # status counts carry the ndrc labels (I03 gigabit users 20300 > 6000: achieved; I01 lags)
    labels = {s["status"]: s["label"] for s in data["monitor"]["status_counts"]}
    assert labels["achieved"] == "achieved early" or labels["achieved"].lower().startswith("achiev")
    zh = client.get("/api/v1/overview", params={"lang": "zh"}).json()
    assert {s["status"]: s["label"] for s in zh["monitor"]["status_counts"]}["lagging"] == "滞后"
    html = client.get("/", params={"lang": "zh"}).text
    assert "提前实现" in html and "滞后" in html


def test_new_value_reaches_the_overview_and_map(web: WebEnv) -> None:
    """The dashboard cache is keyed on the audit log, so a write shows on the next request."""
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    before = client.get("/api/v1/overview", params={"map_indicator": "I13"}).json()
    tile = next(t for t in before["map"]["tiles"] if t["code"] == REPORTER_UNIT)
    assert tile["value"] is None
    web.store.write_observations([NewObservation("I13", REPORTER_UNIT, "2024", 97.5),
                                  NewObservation("I13", "110000", "2024", 90.0)], actor="test")
    after = client.get("/api/v1/overview", params={"map_indicator": "I13"}).json()
    tile = next(t for t in after["map"]["tiles"] if t["code"] == REPORTER_UNIT)
    assert tile["value"] == 97.5 and tile["share"] == 1.0  # the highest of the two reported
    bj = next(t for t in after["map"]["tiles"] if t["code"] == "110000")
    assert bj["share"] == 0.0
    ind = client.get("/api/v1/indicators/I13").json()
    assert [r["unit"] for r in ind["by_region"]][:2] == [REPORTER_UNIT, "110000"]


def test_tile_grid_has_34_distinct_cells() -> None:
    tiles = tile_grid()
    assert len(tiles) == 34
    assert len({(t["row"], t["col"]) for t in tiles}) == 34
    assert len({t["code"] for t in tiles}) == 34


def test_unknown_indicator_and_region_are_404(web: WebEnv) -> None:
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    assert client.get("/api/v1/indicators/NOPE").status_code == 404
    assert client.get("/api/v1/regions/999999").status_code == 404
    assert client.get("/indicators/NOPE").status_code == 404


def test_report_download_refuses_path_tricks(web: WebEnv) -> None:
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    (web.tmp / "secret.txt").write_text("no")
    for name in ["..%2Fsecret.txt", ".hidden", "a%00b"]:
        assert client.get(f"/api/v1/reports/{name}").status_code == 404


def test_app_on_both_engines(db_url: str, tmp_path: Path) -> None:
    """The same app over SQLite and PostgreSQL: login secret, tokens, writes, dashboard reads."""
    from fastapi.testclient import TestClient

    from planmon.auth import add_user, create_token, secret_key
    from planmon.store import Store
    from planmon.web.app import create_app

    store = Store.open(db_url)
    try:
        store.init()
        add_user(store.engine, "boss", "long-enough-1", "coordinator")
        token = create_token(store.engine, "boss")
        app = create_app(store, reports_dir=tmp_path / "r")
        key = secret_key(store.engine)  # made on first run, then read back: sessions survive a restart
        assert len(key) >= 48 and secret_key(store.engine) == key
        client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        r = client.post("/api/v1/observations", json={"rows": [
            {"indicator": "I13", "unit": "330000", "period": "2024", "value": 96.0},
            {"indicator": "I13", "unit": "110000", "period": "2024", "value": 94.0}]})
        assert r.status_code == 200 and r.json()["added"] == 2
        ind = client.get("/api/v1/indicators/I13").json()
        assert [(r["unit"], r["value"]) for r in ind["by_region"]] == [("330000", 96.0), ("110000", 94.0)]
        obs = client.get("/api/v1/observations", params={"indicator": "I13", "unit": "330000"}).json()
        assert obs["rows"][0]["value"] == 96.0
        # a refused write changes nothing: unknown indicator → 422, nothing added
        r = client.post("/api/v1/observations", json={"rows": [
            {"indicator": "I13", "unit": "330000", "period": "2023", "value": 1.0},
            {"indicator": "NOPE", "unit": "330000", "period": "2024", "value": 1.0}]})
        # one error shape (issue 11): problem+json with the library's findings; a JSON row's "row" is its
        # record number from 1, as in a JSON file
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "import_refused"
        assert [(f["rule"], f["row"], f["column"]) for f in r.json()["findings"] if f["severity"] == "error"] == [
            ("unknown_indicator", 2, "indicator")]
        assert store.current_observations(indicator="I13", unit="330000")["period"].tolist() == ["2024"]
    finally:
        store.engine.dispose()


def test_observations_csv_is_formula_safe(web: WebEnv) -> None:
    web.store.write_observations([NewObservation("I13", REPORTER_UNIT, "2024", 97.5, source="=HYPERLINK(\"x\")"),
                                  NewObservation("I13", "110000", "2024", -3.0, source="@SUM(A1)")], actor="t")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    r = client.get("/api/v1/observations", params={"indicator": "I13", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "indicator,unit,period,value,status,source,proxy,revision"
    assert lines[1] == "I13,110000,2024,-3.0,final,'@SUM(A1),False,1"  # a negative number stays a number
    assert lines[2] == 'I13,330000,2024,97.5,final,"\'=HYPERLINK(""x"")",False,1'


def test_region_page_on_demo_data_reads_like_the_report(web: WebEnv) -> None:
    """Heilongjiang is the demo's planted laggard (planmon.demo): ranked, with an interval, strengths and
    weaknesses in words; the overview's status counts are the nation's 14 main indicators, not 31 × 14 series."""
    from planmon.demo import load_demo

    load_demo(web.store, actor="test")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    region = client.get("/regions/230000", params={"format": "json", "lang": "zh"}).json()
    idx = region["index"]
    assert idx["ranked"] and idx["n_units"] == 31 and 1 <= idx["rank"] <= 31
    assert idx["rank"] >= 25  # the planted laggard ranks near the bottom
    assert idx["q05"] is not None and idx["q05"] <= idx["q95"]
    assert "第" in idx["strengths"] and "np.str_" not in idx["strengths"] + idx["weaknesses"]
    html = client.get("/regions/230000", params={"lang": "zh"}).text
    assert "按时报送率" in html and "np.str_" not in html
    overview = client.get("/api/v1/overview", params={"lang": "zh"}).json()
    assert sum(s["count"] for s in overview["monitor"]["status_counts"]) <= 14
