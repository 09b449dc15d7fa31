"""The collection commands end to end through the real CLI (typer runner and one subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from planmon.cli import app
from tests.cli_helpers import run_planmon


def test_template_import_submissions_cycle(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    r = CliRunner()
    assert r.invoke(app, ["--db", db, "init", "-q"]).exit_code == 0
    out = tmp_path / "gd.xlsx"
    res = r.invoke(app, ["--db", db, "template", "--unit", "广东", "--period", "2023", "-o", str(out)])
    assert res.exit_code == 0 and out.exists()
    wb = load_workbook(out)
    ws = wb["填报 Data"]
    ws["G6"] = 0.79  # I01 internet users, 亿人
    ws["G17"] = 2.1  # I12 online retail, 万亿元 (row 5 is I00)
    wb.save(out)
    res = r.invoke(app, ["--db", db, "--actor", "unit:gd", "import", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["ok"] and report["added"] == 2 and report["submission_ids"] == [1]
    listed = json.loads(r.invoke(app, ["--db", db, "submissions", "list", "--state", "submitted", "--format", "json"]).stdout)
    assert [(s["id"], s["unit_id"], s["period"], s["rows"]) for s in listed] == [(1, "440000", "2023", 2)]
    shown = json.loads(r.invoke(app, ["--db", db, "submissions", "show", "1", "--format", "json"]).stdout)
    assert {(o["indicator"], o["value"], o["state"]) for o in shown["observations"]} == {
        ("I01", 0.79, "pending"), ("I12", 2.1, "pending")}
    bad = r.invoke(app, ["--db", db, "--lang", "en", "submissions", "return", "1"])
    assert bad.exit_code == 1 and "comment" in bad.output
    assert r.invoke(app, ["--db", db, "--actor", "rev", "submissions", "return", "1", "--comment", "来源不明"]).exit_code == 0
    again = r.invoke(app, ["--db", db, "--lang", "en", "submissions", "accept", "1"])
    assert again.exit_code == 1 and "returned" in again.output
    audit = json.loads(r.invoke(app, ["--db", db, "audit", "--entity", "submissions", "--format", "json"]).stdout)
    assert [(e["action"], e["actor"], e["detail"]) for e in audit] == [
        ("submission.return", "rev", "来源不明"), ("submission.create", "unit:gd", "")]
    assert audit[0]["before"] == {"state": "submitted"} and audit[0]["after"]["state"] == "returned"


def test_unknown_unit_and_bad_period_for_template_exit_1(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    r = CliRunner()
    r.invoke(app, ["--db", db, "init", "-q"])
    assert r.invoke(app, ["--db", db, "template", "--unit", "火星", "--period", "2023", "-o", str(tmp_path / "x.xlsx")]).exit_code == 1
    res = r.invoke(app, ["--db", db, "--lang", "en", "template", "--unit", "330000", "--period", "2023年", "-o",
                         str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1 and "unrecognised period" in res.output


def test_tampered_template_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    r = CliRunner()
    r.invoke(app, ["--db", db, "init", "-q"])
    out = tmp_path / "zj.xlsx"
    r.invoke(app, ["--db", db, "template", "--unit", "330000", "--period", "2023", "-o", str(out)])
    wb = load_workbook(out)
    wb["填报 Data"]["G6"] = 0.5
    meta = wb["_planmon"]
    for row in meta.iter_rows():
        if row[0].value == "unit":
            row[1].value = "320000"  # re-labelled as Jiangsu's form
    wb.save(out)
    res = r.invoke(app, ["--db", db, "--lang", "en", "import", str(out), "--format", "json"])
    assert res.exit_code == 1
    report = json.loads(res.stdout[: res.stdout.rindex("}") + 1])
    assert [f["rule"] for f in report["findings"]] == ["template_tampered"]


def test_subprocess_import_and_export_json(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert run_planmon("--db", db, "init", "-q").returncode == 0
    f = tmp_path / "d.json"
    f.write_text(json.dumps({"period": "2023", "observations": [
        {"indicator": "I02", "unit": "上海", "value": "69.2%"}, {"indicator": "网民规模", "unit": "上海市", "value": 0.24}]},
        ensure_ascii=False), encoding="utf-8")
    p = run_planmon("--db", db, "import", str(f), "--accept")
    assert p.returncode == 0, p.stderr
    p = run_planmon("--db", db, "export", "--format", "json")
    recs = [x for x in json.loads(p.stdout) if x["unit"] == "310000"]
    assert sorted((x["indicator"], x["value"]) for x in recs) == [("I01", 0.24), ("I02", 69.2)]


def test_commands_on_an_uninitialised_database_exit_1_with_advice(tmp_path: Path) -> None:
    db = str(tmp_path / "never.db")
    f = tmp_path / "a.csv"
    f.write_text("indicator,unit,period,value\nI01,330000,2023,0.5\n", encoding="utf-8")
    r = CliRunner()
    for args in (["import", str(f)], ["submissions", "list"], ["history", "I01", "330000"], ["audit"],
                 ["export", "--format", "csv"]):
        res = r.invoke(app, ["--db", db, "--lang", "en", *args])
        assert res.exit_code == 1 and "planmon init" in res.output, args
