"""Issue 15: the plan switcher, a plan's evaluation and the continuity series through the API and pages;
I02 on the plan basis and its MIIT proxy stay separate series in the API."""

from __future__ import annotations

from datetime import date

from planmon.web.plans import plans_list
from tests.web.conftest import WebEnv


def test_api_plans_evaluation_continuity_and_separate_i02_series(web: WebEnv) -> None:
    web.store.init("cn-digital-15fyp")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    plans = client.get("/api/v1/plans").json()
    assert {p["id"] for p in plans["plans"]} == {"cn-informatization-14fyp", "cn-digital-15fyp"}
    # today (2026-11) lies in the 15th period: it is the current plan; its predecessor is the 14th
    assert plans_list(web.store, "zh", date(2026, 11, 30))["current"] == "cn-digital-15fyp"
    assert plans_list(web.store, "zh", date(2024, 6, 1))["current"] == "cn-informatization-14fyp"
    p15 = next(p for p in plans["plans"] if p["id"] == "cn-digital-15fyp")
    assert p15["previous"] == "cn-informatization-14fyp"

    s = client.get("/api/v1/plans/cn-digital-15fyp/continuity/D01").json()
    # 2020 baseline 7.8 and the reported 9.9 (2023), ≈10 (2024) of the 14th plan's I09 (plan-indicators.csv,
    # plan-actuals.csv), then the 14th plan's target 10 (2025) and the 15th's 12.5 (2030, plan-update-2026.md)
    assert [(p["period"], p["value"]) for p in s["points"]] == [("2020", 7.8), ("2023", 9.9), ("2024", 10.0)]
    assert [p["quality"] for p in s["points"]][-1] == "approx"
    assert [(t["plan"], t["period"], t["value"]) for t in s["targets"]] == [
        ("cn-informatization-14fyp", "2025", 10.0), ("cn-digital-15fyp", "2030", 12.5)]
    assert s["span"] == [2020, 2030]
    # the 15th plan's baseline is the 14th plan's final value, with its period and source
    assert s["baseline"]["inherited"] and s["baseline"]["period"] == "2024" and s["baseline"]["source"]
    assert client.get("/api/v1/plans/cn-digital-15fyp/continuity/NOPE").status_code == 404

    ev = client.get("/api/v1/plans/cn-informatization-14fyp/evaluation", params={"lang": "en"}).json()
    assert ev["kind"] == "final" and ev["summary"]["generated"] is True
    assert client.get("/api/v1/plans/none/evaluation").status_code == 404

    # I02 (5G users ÷ population) and I02M (MIIT share of mobile subscribers) are two series in the API
    i02 = client.get("/api/v1/indicators/I02").json()
    i02m = client.get("/api/v1/indicators/I02M").json()
    text02, text02m = str(i02), str(i02m)
    assert "83.9" in text02 and "65.3" not in text02 and "56.7" not in text02
    assert "65.3" in text02m and "83.9" not in text02m


def test_plan_pages_switch_between_plans(web: WebEnv) -> None:
    web.store.init("cn-digital-15fyp")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    r = client.get("/plans")
    assert r.status_code == 303 and r.headers["location"].startswith("/plans/")
    page15 = client.get("/plans/cn-digital-15fyp").text
    assert "实施监测（起步）" in page15 and "12.5" in page15 and "待补充" in page15
    assert 'href="/plans/cn-informatization-14fyp"' in page15  # the previous plan's evaluation, one click away
    page14 = client.get("/plans/cn-informatization-14fyp").text
    assert "实施情况总结评估报告" in page14 and "生成的文字" in page14
    assert client.get("/plans/nope").status_code == 404
    js = client.get("/plans/cn-informatization-14fyp", params={"format": "json"}).json()
    assert js["kind"] == "final" and "body" not in js
