"""``planmon pilots …`` and ``planmon projects …`` as a user runs them: exit codes, messages, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import run_planmon
from tests.pilots.conftest import workbook


def test_pilots_cli_import_refusal_transition_and_evaluate(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "p.db")]
    assert run_planmon(*db, "init").returncode == 0
    bad = workbook(tmp_path / "bad.xlsx", [{"programme": "NOPE", "unit_name": "甲市", "area_code": "990100",
                                            "start": "2025", "state": "批复"}])
    r = run_planmon(*db, "pilots", "import", str(bad))
    assert r.returncode == 1 and "未导入任何内容" in r.stderr and "第2行" in r.stderr and "B列" in r.stderr
    r = run_planmon(*db, "--lang", "en", "pilots", "import", str(bad), "--format", "json")
    out = json.loads(r.stdout)
    assert r.returncode == 1 and not out["ok"] and {f["rule"] for f in out["findings"]} == {"unknown_programme", "unknown_area"}
    r = run_planmon(*db, "pilots", "transition", "DRP-1-520122", "--to", "graduated", "--reason", "x")
    assert r.returncode == 1 and "跳过" in r.stderr
    r = run_planmon(*db, "pilots", "transition", "DRP-1-520122", "--to", "active", "--reason", "启动", "--on", "yesterday")
    assert r.returncode == 2
    r = run_planmon(*db, "pilots", "transition", "DRP-1-520122", "--to", "active", "--reason", "启动实施", "--on", "2020-11-01")
    assert r.returncode == 0 and "实施中" in r.stdout
    assert run_planmon(*db, "pilots", "demo").returncode == 0
    r = run_planmon(*db, "pilots", "evaluate", "SMEDX", "--as-of", "2026-04-01", "--replications", "50", "--format", "json")
    ev = json.loads(r.stdout)
    assert r.returncode == 0 and ev["illustrative"] and len(ev["scores"]) == 11
    assert {c["rule"] for c in ev["exit_candidates"]} == {"behind_targets", "overdue_reports"}
    r = run_planmon(*db, "projects", "similar")
    assert r.returncode == 2  # neither an id nor --name
