"""Pilot pages, the duplicate-review queue and their JSON twins; roles enforced on the server."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from planmon.pilots.illustrative import generate_illustrative
from planmon.projects import import_projects
from tests.web.conftest import WebEnv, login

DUPSET = Path(__file__).resolve().parents[1] / "projects" / "dupset" / "projects.csv"


def seed_projects(web: WebEnv) -> None:
    rows = {r["id"]: r for r in csv.DictReader(DUPSET.open(encoding="utf-8"))}
    for n, ids in enumerate((["B15", "B31"], ["B15-N", "B31-P"])):
        path = web.tmp / f"p{n}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "name", "description", "owner_unit", "area_code", "level", "functions", "budget",
                        "start", "end"])
            for i in ids:
                r = rows[i]
                w.writerow([i, r["name"], r["description"], f"{r['area_code']} 大数据局", r["area_code"], r["level"],
                            r["functions"], r["budget"], r["start"], r["end"]])
        assert import_projects(web.store, path, "test").ok


def test_pilot_pages_and_json_twins(web: WebEnv) -> None:
    generate_illustrative(web.store)
    c = web.client()
    login(c, "viewer")
    home = c.get("/pilots")
    assert home.status_code == 200 and "试点示范项目" in home.text and "tilegrid" in home.text
    j = c.get("/pilots?format=json").json()
    assert j["pilot_total"] == 29 + 12
    zj = next(t for t in j["map"]["tiles"] if t["code"] == "330000")
    assert zj["count"] == 3  # 浙江省, 宁波市 and the illustrative 杭州
    prog = c.get("/pilots/programmes/SMEDX?format=json").json()
    scored = [p for p in prog["pilots"] if p["score"] is not None]
    assert len(scored) == 11 and all(p["rank_q05"] <= p["rank"] <= p["rank_q95"] for p in scored)
    assert any(f["rule"] == "behind_targets" for p in prog["pilots"] for f in p["flags"])
    assert prog["evaluation"]["illustrative"]
    page = c.get("/pilots/programmes/SMEDX")
    assert page.status_code == 200 and "示意" in page.text and "退出候选" in page.text
    en = c.get("/pilots/programmes/SMEDX?lang=en")
    assert "Exit candidates" in en.text and "illustrative" in en.text
    p = c.get("/pilots/SMEDX-90-140100?lang=zh")
    assert p.status_code == 200 and "连续 2 个报告期" in p.text
    assert "transition-form" not in p.text  # a viewer sees no form
    assert c.get("/pilots/NOPE").status_code == 404
    api = c.get("/api/v1/pilots/SMEDX-90-330100").json()
    assert api["score"]["rank"] == 1 and api["pilot"]["illustrative"]


def test_roles_are_enforced_on_the_server(web: WebEnv) -> None:
    seed_projects(web)
    viewer, coord = web.client(), web.client()
    vt = login(viewer, "viewer")
    ct = login(coord, "coordinator")
    r = viewer.post("/pilots/DRP-1-520122/transition", data={"to": "active", "reason": "x", "csrf_token": vt})
    assert r.status_code == 403
    r = viewer.post("/projects/review/1", data={"decision": "confirm", "reason": "x", "csrf_token": vt})
    assert r.status_code == 403
    assert viewer.get("/projects/review").status_code == 403  # the queue is for the reviewing office
    r = coord.post("/pilots/DRP-1-520122/transition", data={"to": "graduated", "reason": "x", "csrf_token": ct})
    assert r.status_code == 422 and "跳过" in r.text
    r = coord.post("/pilots/DRP-1-520122/transition", data={"to": "active", "reason": "启动实施", "csrf_token": ct})
    assert r.status_code == 303
    rep = web.client()
    login(rep, "reporter")
    auth = {"Authorization": f"Bearer {web.tokens['reporter']}"}
    assert rep.post("/api/v1/projects/duplicates/1", json={"decision": "confirm", "reason": "x"}, headers=auth).status_code == 403
    ok = coord.post("/api/v1/projects/duplicates/1", json={"decision": "dismiss", "reason": "变更申报"},
                    headers={"Authorization": f"Bearer {web.tokens['coordinator']}"})
    assert ok.status_code == 200 and ok.json()["state"] == "dismissed"
    again: Any = coord.post("/api/v1/projects/duplicates/1", json={"decision": "confirm", "reason": "x"},
                            headers={"Authorization": f"Bearer {web.tokens['coordinator']}"})
    assert again.status_code == 409
