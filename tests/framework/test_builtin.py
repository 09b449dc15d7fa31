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
    # issue 15: the main table holds the 14 recovered indicators; I02M (MIIT proxy of I02) and ECOM
    # (unconfirmed candidate) are in the framework but not in the main table
    inds = {x["id"]: x for x in data["indicators"] if x["role"] == "main"}
    ref = list(csv.DictReader((shared / "reference" / "plan-indicators.csv").open(encoding="utf-8")))
    assert len(inds) == len(ref) == 14
    others = {x["id"]: x for x in data["indicators"] if x["role"] != "main"}
    assert others["I02M"]["role"] == "proxy" and others["I02M"]["proxy_of"] == "I02" and others["I02M"]["proxy"]
    assert others["I02M"]["target"] is None  # a proxy is never assessed against I02's target
    assert others["ECOM"]["role"] == "candidate"
    outcomes = list(csv.DictReader((shared / "reference" / "outcomes-2021-2025.csv").open(encoding="utf-8")))
    # I13's name and 2020 baseline as plan-update-2026.md / outcomes-2021-2025.csv give them, marked inferred
    i13_base = next(r for r in outcomes if r["indicator_id"] == "I13" and r["period"] == "2020")
    assert inds["I13"]["baseline"] == {"period": "2020", "value": float(i13_base["value"])}
    assert inds["I13"]["name_zh"] == "省级行政许可事项网上受理和“最多跑一次”比例" and inds["I13"]["inferred"]
    ecom_2020 = next(r for r in outcomes if r["indicator_id"] == "ECOM" and r["period"] == "2020")
    assert others["ECOM"]["baseline"]["value"] == float(ecom_2020["value"])
    for row in ref:
        x = inds[row["id"]]
        assert set(x) >= {"id", "name_zh", "name_en", "unit", "direction", "attribute", "kind", "area",
                          "baseline", "target", "proxy", "inferred"}
        assert x["target"] == {"period": row["target_year"], "value": float(row["target"])}
        if row["baseline"]:
            assert x["baseline"] == {"period": row["baseline_year"], "value": float(row["baseline"])}
        elif row["id"] != "I13":  # not found in the sources: stays absent, never invented
            assert x["baseline"] is None
        if row["id"] != "I13":
            assert x["name_zh"] in row["name_zh"]
        assert x["attribute"] == "unknown"  # the attribute column was not found for any row


def test_builtin_observations_match_actuals(shared: Path) -> None:
    """Every built-in value is one of the two reference files' rows (issue 15: both files are read)."""
    fw = planmon.load_framework("cn-informatization-14fyp")
    ref = [r for r in csv.DictReader((shared / "reference" / "plan-actuals.csv").open(encoding="utf-8"))
           if not r["indicator_id"].startswith("I00_alt")]
    outcomes = list(csv.DictReader((shared / "reference" / "outcomes-2021-2025.csv").open(encoding="utf-8")))
    got = {(o.indicator, o.period): o for o in fw.observations}
    expected: set[tuple[str, str]] = set()
    for r in ref:
        # the MIIT share of mobile subscribers is its own proxy series I02M, never on I02's line
        proxy_i02 = r["indicator_id"] == "I02"
        key = ("I02M" if proxy_i02 else r["indicator_id"], r["year"])
        expected.add(key)
        o = got[key]
        assert o.value == float(r["value"])
        assert o.unit == "CN"
        # I13's 2023 row was a proxy only while the indicator's name was unknown (plan-update-2026.md)
        assert o.proxy == (r["source"].startswith("[PROXY") and r["indicator_id"] != "I13")
        assert (o.status == "partial_year") == ("-" in r["year"])
        if r["source"].startswith("DERIVED") or "DERIVED" in r["source"][:10]:
            assert o.quality == "derived"
    for r in outcomes:
        key = (r["indicator_id"], r["period"])
        expected.add(key)
        o = got[key]
        assert o.value == float(r["value"]) and o.unit == "CN" and not o.proxy
        assert o.quality == r["quality"]
        assert r["source"] in o.source  # the citation fit to print, never the working note
        assert r["note"] not in o.source
    assert set(got) == expected
    assert got[("I03", "2024-10")].status == "partial_year"
    assert not any(o.indicator == "I02" and o.proxy for o in fw.observations)


def test_priority_actions_in_the_plans_own_numbering() -> None:
    """plan-update-2026.md: the plan numbers 绿色智慧生态文明建设行动 (六) and 数字乡村发展行动 (七)."""
    fw = planmon.load_framework()
    numbers = {a.title_zh: a.number for a in fw.items_of_kind("action")}
    assert numbers["绿色智慧生态文明建设行动"] == "（六）"
    assert numbers["数字乡村发展行动"] == "（七）"
    assert len(set(numbers.values())) == 10
    a1 = fw.item("A1")
    texts = [m.text_zh for m in sorted(a1.milestones, key=lambda m: m.due_date)]
    assert texts[0].startswith("到2023年，全民数字技能教育教学资源体系初步形成")
    assert texts[1].startswith("到2025年，全民数字技能教育培训广泛普及")
    assert not any(m.to_be_filled for m in a1.milestones)


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
