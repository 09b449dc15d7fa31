"""The supervise commands through the real ``planmon`` executable."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from planmon.cli import app
from tests.cli_helpers import run_planmon


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def planmon(*args: str) -> Result:
    """The CLI in-process (fast); the must-show command below runs the real executable."""
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return Result(r.exit_code, r.stdout, r.stderr)

ACTIONS = [f"A{n}" for n in range(1, 11)]


def test_no_reports_supervise_lists_2023_milestones_of_all_ten_actions(tmp_path: Path) -> None:
    """Must show: with no progress reports, as of 2024-01-01 the ten 2023 milestones are overdue.

    As of 2024-01-01 the current quarter owed is 2023Q4, due 2024-01-15: no report is overdue
    yet, so the list holds exactly the ten milestones (due 2023-12-31, one day overdue), one per
    priority action, owed by its (inferred) lead unit.
    """
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run_planmon("--db", db, "init", "-q").returncode == 0
    out = run_planmon("--db", db, "supervise", "--as-of", "2024-01-01", "--format", "json")
    assert out.returncode == 0, out.stderr
    everything = json.loads(out.stdout)
    # with monitoring present, items whose linked indicators lag are listed too: I01 (internet users,
    # 11.08 in 2024 against 12 in 2025) lags, and links to T1 (lead MIIT) and T8 (lead NDRC)
    others = [(e["kind"], e["item"], e["unit"], e["reference"]) for e in everything if e["kind"] != "overdue_milestone"]
    assert others in ([], [("indicator_lagging", "T1", "MIIT", "I01"), ("indicator_lagging", "T8", "NDRC", "I01")])
    entries = [e for e in everything if e["kind"] == "overdue_milestone"]
    assert [e["item"] for e in entries] == ACTIONS
    assert [e["reference"] for e in entries] == [f"{a}-M2023" for a in ACTIONS]
    assert {(e["since"], e["days_overdue"]) for e in entries} == {("2023-12-31", 1)}
    leads = {"A1": "CAC", "A2": "MIIT", "A3": "MOST", "A4": "MOFCOM", "A5": "MCA", "A6": "CAC", "A7": "MEE",
             "A8": "PBC", "A9": "NHC", "A10": "MCA"}  # responsibilities.yaml
    assert {e["item"]: e["unit"] for e in entries} == leads
    for e in entries:
        assert {"kind", "item", "item_title_zh", "item_title_en", "unit", "unit_name_zh", "owed_zh", "owed_en",
                "since", "days_overdue", "suggested_zh", "suggested_en", "severity"} <= set(e)
    # csv and table carry the same entries
    out = planmon("--db", db, "supervise", "--as-of", "2024-01-01", "--format", "csv")
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert [r["reference"] for r in rows if r["kind"] == "overdue_milestone"] == [f"{a}-M2023" for a in ACTIONS]
    out = planmon("--db", db, "--lang", "en", "supervise", "--as-of", "2024-01-01")
    assert out.returncode == 0 and "Supervision list as of 2024-01-01" in out.stdout
    assert all(f"{a}-M2023" in out.stdout for a in ACTIONS)  # ids are never folded in the table
    assert "monitoring is not available" in out.stdout or "monitoring" not in out.stdout
    # on the due day the milestones are not yet overdue; the current quarter is then 2023Q3 (due 2023-10-15),
    # unreported by the lead of each of the 10 tasks, 17 projects and 10 actions
    out = planmon("--db", db, "supervise", "--as-of", "2023-12-31", "--format", "json")
    late = [e for e in json.loads(out.stdout) if not e["kind"].startswith("indicator_")]
    assert {(e["kind"], e["reference"], e["since"]) for e in late} == {("missing_report", "2023Q3", "2023-10-15")}
    assert len(late) == 37
    assert planmon("--db", db, "supervise", "--as-of", "2024-13-01").returncode == 2


def test_report_scorecard_and_remind(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert planmon("--db", db, "init", "-q").returncode == 0
    ev = tmp_path / "evidence.txt"
    ev.write_text("纪要", encoding="utf-8")
    out = planmon("--db", db, "--actor", "nhc", "progress-report", "add", "--item", "A9", "--unit", "NHC",
                      "--period", "2024Q1", "--status", "滞后", "--share", "30%", "--narrative", "=HYPERLINK(\"x\")",
                      "--evidence", str(ev), "--reported-on", "2024-04-10")
    assert out.returncode == 0, out.stderr
    out = planmon("--db", db, "progress-report", "add", "--item", "A9", "--unit", "NHC", "--period", "2024Q9",
                      "--status", "bad")
    assert out.returncode == 1 and "2024Q9" in out.stderr and "bad" in out.stderr
    out = planmon("--db", db, "progress-report", "list", "--format", "json")
    reports = json.loads(out.stdout)
    assert len(reports) == 1 and reports[0]["status"] == "delayed" and reports[0]["evidence"] == 1
    # machine output stays pure data (notes only under a table), even where stderr is mixed in
    mixed = CliRunner().invoke(app, ["--db", db, "supervise", "--as-of", "2024-05-01", "-f", "json"]).output
    assert {e["kind"] for e in json.loads(mixed)} >= {"overdue_milestone", "delayed", "missing_report"}
    out = planmon("--db", db, "scorecard", "--unit", "NHC", "--as-of", "2024-05-01", "--since", "2024Q1",
                      "--format", "json")
    card = json.loads(out.stdout)
    # NHC leads A9; 2024Q1 due 2024-04-15, reported 04-10: 1 of 1 on time; A9-M2023 open; A9 delayed
    assert len(card) == 1 and card[0]["reports_owed"] == 1 and card[0]["on_time_rate"] == 1.0
    assert card[0]["milestones_open"] == 1 and card[0]["items_delayed"] == 1
    xlsx = tmp_path / "提醒.xlsx"
    out = planmon("--db", db, "remind", "-o", str(xlsx), "--as-of", "2024-05-01")
    assert out.returncode == 0, out.stderr
    ws = load_workbook(xlsx).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "单位编号", "责任单位")
    nhc = [r for r in rows[1:] if r[1] == "NHC"]
    # NHC owes: the A9 2023 milestone (overdue 122 days), the delayed A9 report; its 2024Q1 report is in
    assert sorted((r[3], r[7]) for r in nhc) == [("A9", 21), ("A9", 122)]
    csv_path = tmp_path / "r.csv"
    assert planmon("--db", db, "--lang", "en", "remind", "-o", str(csv_path), "--as-of", "2024-05-01").returncode == 0
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("No.,Unit id,Responsible unit")
    assert planmon("--db", db, "remind", "-o", str(tmp_path / "r.txt")).returncode == 2


def test_duties_export_import_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert planmon("--db", db, "init", "-q").returncode == 0
    path = tmp_path / "duties.yaml"
    assert planmon("--db", db, "duties", "export", str(path)).returncode == 0
    out = planmon("--db", db, "--lang", "en", "duties", "import", str(path))
    assert out.returncode == 0, out.stderr
    assert "37 plan items" in out.stdout  # 10 tasks + 17 projects + 10 actions
