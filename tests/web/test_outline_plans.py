"""The 14th and 15th FYP outlines side by side in the web's plan pages (issue 19)."""

from __future__ import annotations

from planmon.web.plans import plans_list
from tests.web.conftest import WebEnv


def test_outline_plans_in_the_switcher_and_their_pages(web: WebEnv) -> None:
    web.store.init("cn-outline-14fyp")
    web.store.init("cn-outline-15fyp")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    ids = {p["id"] for p in client.get("/api/v1/plans").json()["plans"]}
    assert {"cn-outline-14fyp", "cn-outline-15fyp", "cn-informatization-14fyp"} <= ids
    listed = {p["id"]: p for p in plans_list(web.store, "zh")["plans"]}
    assert listed["cn-outline-15fyp"]["previous"] == "cn-outline-14fyp"

    page14 = client.get("/plans/cn-outline-14fyp").text
    # the outline's own indicators with their published values: urbanisation 65.22 % in 2022, patents 16 in 2025
    assert "常住人口城镇化率" in page14 and "每万人口高价值发明专利拥有量" in page14
    page15 = client.get("/plans/cn-outline-15fyp").text
    assert "待补充" in page15 and "人均预期寿命" in page15 and 'href="/plans/cn-outline-14fyp"' in page15

    # the core-industry share across the two outlines: the 14th's values (the informatization plan's I09,
    # read through same_series: 9.9 in 2023, ≈10 in 2024), its target 10 (2025), the 15th's 12.5 (2030)
    s = client.get("/api/v1/plans/cn-outline-15fyp/continuity/F21").json()
    assert [(p["period"], p["value"]) for p in s["points"]] == [("2020", 7.8), ("2023", 9.9), ("2024", 10.0)]
    assert [(t["plan"], t["period"], t["value"]) for t in s["targets"]] == [
        ("cn-outline-14fyp", "2025", 10.0), ("cn-outline-15fyp", "2030", 12.5)]
