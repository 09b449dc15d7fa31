"""Issue 12 on the web: target basis and intensive values on the indicator and region pages, the API's
``target_basis``, and a coordinator setting a region's target (refused whole when wrong)."""

from __future__ import annotations

from planmon.store import NewObservation
from tests.web.conftest import REPORTER_UNIT, WebEnv, csrf_of, login


def _data(web: WebEnv) -> None:
    web.store.write_observations([
        NewObservation("I01", REPORTER_UNIT, "2020", 0.50), NewObservation("I01", REPORTER_UNIT, "2022", 0.55),
        NewObservation("I02", REPORTER_UNIT, "2022", 40.0),
    ], "test")


def test_pages_and_api_show_basis_and_intensive_value(web: WebEnv) -> None:
    _data(web)
    client = web.client()
    login(client, "viewer")
    ind = client.get("/indicators/I01?format=json").json()
    zj = next(r for r in ind["by_region"] if r["unit"] == REPORTER_UNIT)
    # Zhejiang 2022: 0.55 亿 ÷ 6577 万 resident population (NBS) × 1e6 = 83.62 % internet penetration
    assert abs(zj["intensive"] - 0.55 / 6577 * 1e6) < 1e-9
    # its target is derived at the national pace: 0.50 × 12/9.89, never the national 12 亿
    assert zj["target_basis"] == "national_pace" and abs(zj["target"] - 0.50 * 12 / 9.89) < 1e-12
    assert zj["target_basis_words"] == "按全国目标增速推算"
    assert ind["basis"]["method"] == "national_pace" and ind["intensive_form"]["name"] == "互联网普及率"
    html = client.get("/indicators/I01").text
    assert "按全国目标增速推算" in html, html[:3000]
    # the provinces table shows the intensive value (internet penetration) beside the absolute one
    assert "相对值" in html and f'data-v="{zj["intensive"]}"' in html

    region = client.get(f"/regions/{REPORTER_UNIT}?format=json").json()
    rows = {r["indicator"]: r for r in region["values"]}
    assert rows["I02"]["target_basis"] == "national_target" and rows["I02"]["target"] == 56.0
    assert rows["I01"]["intensive"] is not None and rows["I02"]["intensive"] is None  # a rate is already intensive
    page = client.get(f"/regions/{REPORTER_UNIT}").text
    assert "对标全国目标" in page and "强度值" in page
    assert "set-target" not in page  # a viewer may not set targets

    api = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    body = api.get("/api/v1/assessments", params={"unit": REPORTER_UNIT}).json()
    rows = body["data"]["rows"] if "data" in body else body["rows"]
    by = {r["indicator"]: r for r in rows}
    assert by["I01"]["target_basis"] == "national_pace" and by["I02"]["target_basis"] == "national_target"


def test_coordinator_sets_a_target_and_a_wrong_one_is_refused(web: WebEnv) -> None:
    _data(web)
    client = web.client()
    csrf = login(client, "coordinator")
    assert "set-target" in client.get(f"/regions/{REPORTER_UNIT}").text
    bad = client.post(f"/regions/{REPORTER_UNIT}/targets", data={
        "csrf_token": csrf, "indicator": "I01", "kind": "national_target", "period": "2025", "value": ""})
    assert bad.status_code == 422 and "总量指标" in bad.text
    assert web.store.targets().empty
    ok = client.post(f"/regions/{REPORTER_UNIT}/targets", data={
        "csrf_token": csrf_of(bad.text), "indicator": "I01", "kind": "own_plan", "period": "2025", "value": "0.62",
        "source": "浙江省“十四五”规划（测试）", "reason": "adopted"})
    assert ok.status_code == 303
    got = web.store.targets(unit=REPORTER_UNIT)
    assert got["value"].tolist() == [0.62] and got["kind"].tolist() == ["own_plan"]
    region = client.get(f"/regions/{REPORTER_UNIT}?format=json").json()
    i01 = next(r for r in region["values"] if r["indicator"] == "I01")
    assert i01["target_basis"] == "own_plan" and i01["target"] == 0.62
    # a reporter may not set targets, even for its own unit
    rep = web.client()
    rcsrf = login(rep, "reporter")
    denied = rep.post(f"/regions/{REPORTER_UNIT}/targets", data={
        "csrf_token": rcsrf, "indicator": "I09", "kind": "own_plan", "period": "2025", "value": "15"})
    assert denied.status_code == 403
