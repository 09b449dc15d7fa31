"""One truth per as-of (issue 13): the report, the web page's JSON twin, /api/v1 and the CLI read one snapshot.

Before the snapshot, Jiangsu's 2024 composite score was 78.94 in the report, 84.01 on its web page and 83.85
from ``planmon index --period 2024``; these tests read the same numbers from all four faces and compare them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from planmon.cli import app as cli_app
from planmon.demo import LAGGING_PROVINCE, load_demo
from planmon.report import build_model
from planmon.snapshot import COMPUTED
from planmon.store import NewObservation
from tests.web.conftest import WebEnv

JIANGSU = "320000"


def _cli(web: WebEnv, *args: str) -> Any:
    r = CliRunner().invoke(cli_app, ["--db", web.store.url, *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture
def demo(web: WebEnv) -> WebEnv:
    load_demo(web.store, actor="test")
    return web


def test_four_faces_show_the_same_numbers(demo: WebEnv) -> None:
    web = demo
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    q = {"as_of": "2024", "lang": "zh"}

    # 1. the report model
    model = build_model(web.store, as_of="2024", lang="zh")
    assert model.regional.index is not None
    rep = model.regional.index.table.set_index("code").loc[JIANGSU]
    report = {"score": round(float(rep["score"]), 6), "rank": int(rep["rank"]),
              "q05": float(rep["rank_q05"]), "q95": float(rep["rank_q95"])}
    i01 = next(b for b in model.indicators if b.id == "I01")
    report_status, report_sup = i01.status, len(model.supervision)
    report_period = (model.comparison["period"], model.comparison["units"])

    # 2. the web page's JSON twin
    page = client.get(f"/regions/{JIANGSU}", params={**q, "format": "json"}).json()["index"]
    web_page = {"score": round(page["score"], 6), "rank": page["rank"], "q05": page["q05"], "q95": page["q95"]}
    ind = client.get("/indicators/I01", params={**q, "format": "json"}).json()
    page_status = next(r["status"] for r in ind["assessment"] if r["unit"] == "CN")
    page_sup = len(client.get("/plan", params={**q, "format": "json"}).json()["supervision"]["rows"])
    page_period = (page["comparison"]["period"], page["comparison"]["units"])

    # 3. the REST API
    idx = client.get("/api/v1/index", params={"as_of": "2024"}).json()
    row = next(r for r in idx["table"] if r["code"] == JIANGSU)
    api = {"score": round(row["score"], 6), "rank": row["rank"], "q05": row["rank_q05"], "q95": row["rank_q95"]}
    rows = client.get("/api/v1/assessments", params={"as_of": "2024", "unit": "CN"}).json()["rows"]
    api_status = next(r["status"] for r in rows if r["indicator"] == "I01")
    api_sup = len(client.get("/api/v1/supervision", params={"as_of": "2024"}).json()["rows"])
    api_period = (idx["comparison"]["period"], idx["comparison"]["units"])

    # 4. the command line's JSON
    out = _cli(web, "index", "--period", "2024")
    mine = next(r for r in out["scores"] if r["uCode"] == JIANGSU)
    unc = next(r for r in out["uncertainty"]["ranks"] if r["uCode"] == JIANGSU)
    cli = {"score": round(mine["INDEX"], 6), "rank": mine["rank"], "q05": unc["q05"], "q95": unc["q95"]}
    cli_status = next(r["status"] for r in _cli(web, "progress", "--as-of", "2024", "--unit", "CN")
                      if r["indicator"] == "I01")
    cli_sup = len(_cli(web, "supervise", "--as-of", "2024"))
    cli_period = (out["comparison"]["period"], out["comparison"]["units"])

    assert report == web_page == api == cli
    assert 1 <= report["q05"] <= report["q95"] <= 31 and 1 <= report["rank"] <= 31
    assert report_status == page_status == api_status == cli_status
    assert report_sup == page_sup == api_sup == cli_sup > 0
    assert report_period == page_period == api_period == cli_period == ("2024", 31)


def test_report_and_cli_supervise_as_of_2024_give_the_same_list(demo: WebEnv) -> None:
    """The report as of 2024 takes its supervision list on 2024-12-31 with the monitoring of 2024, annual values
    included; ``planmon supervise --as-of 2024`` is the same list."""
    model = build_model(demo.store, as_of="2024", lang="zh")
    assert model.supervision is not None
    report = json.loads(model.supervision.to_json(orient="records"))
    cli = _cli(demo, "supervise", "--as-of", "2024")
    assert cli == report
    # entries on lagging indicators date from the end of the value's period: the annual 2024 values count
    # (a view on 2024-11 would have taken 2023 as the latest and dated them 2023-12-31)
    lagging = [r for r in cli if r["kind"] in ("indicator_lagging", "indicator_at_risk")]
    assert lagging and any(r["since"] == "2024-12-31" for r in lagging)
    assert _cli(demo, "supervise", "--as-of", "2024-12-31") == cli  # the period means its last day


def test_one_province_uploading_a_new_year_does_not_move_the_ranking(demo: WebEnv) -> None:
    web = demo
    web.store.write_observations([NewObservation("I13", "330000", "2025", 99.0)], actor="test")
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    idx = client.get("/api/v1/index").json()
    # rule of evaluation.yaml: full years only, the latest with ≥ max(3, ⌈0.67 × 31⌉) = 21 provinces reporting
    assert idx["comparison"]["period"] == "2024" and idx["comparison"]["units"] == 31
    assert idx["comparison"]["threshold"] == 21
    assert {"period": "2025", "units": 1, "why": "too_few"} in idx["comparison"]["not_ranked"]
    assert idx["n_units"] == 31 and len(idx["table"]) == 31
    region = client.get("/regions/330000", params={"format": "json", "lang": "zh"}).json()["index"]
    assert region["ranked"] and region["n_units"] == 31 and region["period"] == "2024"
    assert "2025 年仅 1 个单位报送，未纳入排名" in region["comparison"]["reason_zh"]
    en = client.get(f"/api/v1/regions/{LAGGING_PROVINCE}", params={"lang": "en"}).json()["index"]
    assert en["rank"] == 31 and "2025: only 1 units reported, not ranked" in en["comparison"]["reason_en"]
    html = client.get("/regions/330000", params={"lang": "zh"}).text
    assert "比较期为 2024 年" in html  # the page says which period is ranked and why
    cli = CliRunner().invoke(cli_app, ["--db", web.store.url, "index"])
    assert cli.exit_code == 0 and "比较期为 2024 年：31 个单位报送了数据" in " ".join(cli.stdout.split())


def test_snapshot_computed_once_per_data_version(demo: WebEnv) -> None:
    web = demo
    client = web.client(headers={"Authorization": f"Bearer {web.tokens['viewer']}"})
    paths = ["/api/v1/index", "/api/v1/assessments", "/api/v1/risks", "/api/v1/supervision", "/api/v1/scorecard",
             "/api/v1/overview", f"/api/v1/regions/{JIANGSU}", "/api/v1/regions/230000", "/api/v1/plan",
             "/api/v1/indicators/I01"]
    before = COMPUTED.copy()
    for _ in range(2):
        for p in paths:
            assert client.get(p).status_code == 200, p
    once = COMPUTED - before
    for part in ("observations", "assessments:ndrc", "risks", "index", "supervision", "scorecards", "comparison"):
        assert once[part] == 1, (part, dict(once))
    web.store.write_observations([NewObservation("I13", "330000", "2024", 98.0)], actor="test")  # a new version
    for p in paths:
        assert client.get(p).status_code == 200, p
    twice = COMPUTED - before
    assert twice["observations"] == 2 and twice["index"] == 2 and twice["supervision"] == 2
