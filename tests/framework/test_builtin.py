"""The built-in framework against ../shared/reference (the facts it must be faithful to)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

import planmon
from planmon.cli import app


def _summary() -> dict:
    result = CliRunner().invoke(app, ["framework", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_shape_and_counts() -> None:
    data = _summary()
    assert data["plan"]["id"] == "cn-informatization-14fyp"
    assert set(data["plan"]) >= {"id", "title_zh", "title_en", "period"}
    items = data["items"]
    by_kind: dict[str, list[dict]] = {}
    for it in items:
        by_kind.setdefault(it["kind"], []).append(it)
        assert set(it) >= {"id", "kind", "parent", "title_zh", "title_en", "links"}
    assert len(by_kind["aspect"]) == 8
    assert [t["id"] for t in by_kind["task"]] == [f"T{i}" for i in range(1, 11)]
    assert [p["id"] for p in by_kind["project"]] == [f"P{i:02d}" for i in range(1, 18)]
    tasks = {t["id"] for t in by_kind["task"]}
    assert all(p["parent"] in tasks for p in by_kind["project"])
    assert [g["id"] for g in by_kind["action_group"]] == ["G1", "G2", "G3"]
    actions = by_kind["action"]
    assert [a["id"] for a in actions] == [f"A{i}" for i in range(1, 11)]
    # 3 + 4 + 3 actions in the three groups (reference: priority actions table)
    assert [sum(a["parent"] == g for a in actions) for g in ["G1", "G2", "G3"]] == [3, 4, 3]
    # aspects link to their tasks; every task is linked from exactly one aspect
    linked = [t for a in by_kind["aspect"] for t in a["links"]]
    assert sorted(linked) == sorted(tasks)
    aspect4 = next(a for a in by_kind["aspect"] if a["title_zh"] == "推动数字经济高质量发展")
    assert aspect4["links"] == ["T4", "T5", "T9"]
    provinces = [u for u in data["units"] if u["kind"] == "region" and u.get("level") == "province"]
    assert len(provinces) == 31
    assert {"330000", "110000", "650000"} <= {u["code"] for u in provinces}
    assert any(u["id"] == "CN" for u in data["units"])


def test_indicators_equal_reference_table(shared: Path) -> None:
    data = _summary()
    inds = {x["id"]: x for x in data["indicators"]}
    ref = list(csv.DictReader((shared / "reference" / "plan-indicators.csv").open(encoding="utf-8")))
    assert len(inds) == len(ref) == 14
    for row in ref:
        x = inds[row["id"]]
        assert set(x) >= {"id", "name_zh", "name_en", "unit", "direction", "attribute", "kind", "area",
                          "baseline", "target", "proxy", "inferred"}
        assert x["target"] == {"period": row["target_year"], "value": float(row["target"])}
        if row["baseline"]:
            assert x["baseline"] == {"period": row["baseline_year"], "value": float(row["baseline"])}
        else:  # not found in the sources: stays absent, never invented
            assert x["baseline"] is None
        assert x["name_zh"] in row["name_zh"]
        assert x["attribute"] == "unknown"  # the attribute column was not found for any row


def test_builtin_observations_match_actuals(shared: Path) -> None:
    fw = planmon.load_framework("cn-informatization-14fyp")
    ref = [r for r in csv.DictReader((shared / "reference" / "plan-actuals.csv").open(encoding="utf-8"))
           if not r["indicator_id"].startswith("I00_alt")]
    got = {(o.indicator, o.period): o for o in fw.observations}
    assert len(got) == len(ref)
    for r in ref:
        o = got[(r["indicator_id"], r["year"])]
        assert o.value == float(r["value"])
        assert o.unit == "CN"
        assert o.proxy == r["source"].startswith("[PROXY")
        assert (o.status == "partial_year") == ("-" in r["year"])
    assert got[("I03", "2024-10")].status == "partial_year"


def test_priority_actions_carry_2023_and_2025_milestones() -> None:
    fw = planmon.load_framework()
    for a in fw.items_of_kind("action"):
        dues = sorted(m.due_date for m in a.milestones)
        assert dues == ["2023-12-31", "2025-12-31"]
    leads = {r.item for r in fw.responsibilities if r.role == "lead"}
    for kind in ("task", "project", "action"):
        assert {i.id for i in fw.items_of_kind(kind)} <= leads  # every one has a lead


def test_export_round_trip(tmp_path: Path) -> None:
    fw = planmon.load_framework()
    planmon.framework.export_framework(fw, tmp_path / "out")
    again = planmon.load_framework(tmp_path / "out")
    assert again.content_hash == fw.content_hash
