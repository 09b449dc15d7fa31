"""``planmon qualitative set|list|history`` (issue 19): thin over the library, errors in zh/en, exit 1 on refusal;
``planmon progress`` shows the entered status and 待规划办公室评定."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon.auth import add_user
from planmon.cli import app
from tests.qualitative.conftest import QUAL, qual_store

EVIDENCE = "2023年GDP增长5.2%，高于5%左右的年度预期目标"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    store = qual_store(url)
    add_user(store.engine, "office", "correct-horse-1", "coordinator", [], actor="test")
    add_user(store.engine, "zj", "correct-horse-1", "reporter", ["330000"], actor="test")
    store.engine.dispose()
    return url


def run(db: str, *args: str, lang: str = "zh") -> tuple[int, str]:
    r = CliRunner().invoke(app, ["--db", db, "--lang", lang, "--actor", "cli:office", *args],
                           env={"COLUMNS": "250"})
    return r.exit_code, r.output


def test_set_revise_list_history(db: str) -> None:
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "基本符合预期",
                    "--evidence", EVIDENCE, "--source", "国家统计局2023年统计公报")
    assert code == 0, out
    assert "基本符合预期" in out and "规划办认定" in out and "第 1 版" in out
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "滞后", "--evidence", "复核后",
                    lang="en")
    assert code == 1 and "needs its reason" in out
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "快于预期", "--evidence", "复核后",
                    "--reason", "复核", "--format", "json")
    assert code == 0, out
    rec = json.loads(out)
    assert (rec["status"], rec["revision"], rec["outcome"]) == ("faster", 2, "revised")
    code, out = run(db, "qualitative", "list", "--format", "json")
    rows = json.loads(out)
    assert [(r["indicator"], r["period"], r["status"], r["revision"]) for r in rows] == [(QUAL, "2023", "faster", 2)]
    code, out = run(db, "qualitative", "history", QUAL)
    assert code == 0 and "基本符合预期" in out and "快于预期" in out and "复核" in out, out
    code, out = run(db, "qualitative", "history", QUAL, "--format", "csv")
    assert out.splitlines()[0].startswith("indicator,unit,period,scheme,status") and len(out.splitlines()) == 3
    code, out = run(db, "qualitative", "list", lang="en")
    assert code == 0 and "faster than expected" in out and "Entered by" in out


def test_refusals_exit_1_with_one_line_each(db: str) -> None:
    code, out = run(db, "qualitative", "set", "I01", "--period", "2023", "--status", "基本符合预期",
                    "--evidence", EVIDENCE)
    assert code == 1 and "I01" in out and "水平值" in out and "Traceback" not in out
    code, out = run(db, "qualitative", "set", "I01", "--period", "2023", "--status", "基本符合预期",
                    "--evidence", EVIDENCE, lang="en")
    assert code == 1 and "I01" in out and "level target" in out
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "很好", "--evidence", EVIDENCE)
    assert code == 1 and "不属于 ndrc 方案" in out
    # acting as a planmon user: the reporter's role refuses the entry; the coordinator's allows it
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "基本符合预期",
                    "--evidence", EVIDENCE, "--user", "zj")
    assert code == 1 and "reporter" in out and "无权" in out
    code, out = run(db, "qualitative", "list", "--format", "json")
    assert json.loads(out) == []
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "基本符合预期",
                    "--evidence", EVIDENCE, "--user", "office", "--format", "json")
    assert code == 0 and json.loads(out)["entered_by"] == "cli:office"
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "基本符合预期",
                    "--evidence", EVIDENCE, "--user", "nobody")
    assert code == 1 and "nobody" in out
    code, out = run(db, "qualitative", "set", QUAL, "--period", "2023")
    assert code == 2  # misuse: a required option is missing


def test_progress_shows_awaiting_then_the_entered_status(db: str) -> None:
    code, out = run(db, "progress", "--as-of", "2023", "--format", "json")
    row = next(r for r in json.loads(out) if r["indicator"] == QUAL)
    assert row["status"] == "to_be_entered" and row["status_zh"] == "待规划办公室评定" and row["entered"] is False
    code, out = run(db, "progress", "--as-of", "2023")
    assert "待规划办公室评定" in out
    run(db, "qualitative", "set", QUAL, "--period", "2023", "--status", "基本符合预期", "--evidence", EVIDENCE)
    code, out = run(db, "progress", "--as-of", "2023", "--format", "json")
    row = next(r for r in json.loads(out) if r["indicator"] == QUAL)
    assert row["status"] == "as_expected" and row["entered"] is True and row["entered_evidence_zh"] == EVIDENCE
    code, out = run(db, "progress", "--as-of", "2023")
    assert code == 0 and f"由规划办认定：{EVIDENCE}" in out and "基本符合预期（规划办认定）" in out


def test_a_plan_not_loaded_names_the_command_that_loads_it(tmp_path: Path) -> None:
    """Seen as a user: after a bare `planmon init` (the default plan only), entering a status for the
    outline said "run 'planmon init' first" — the command just run. The message must name the plan."""
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init", "-q"]).exit_code == 0
    args = ["qualitative", "set", "O01", "--framework", "cn-outline-14fyp", "--period", "2023",
            "--status", "基本符合预期", "--evidence", "x"]
    zh = runner.invoke(app, ["--db", db, *args])
    en = runner.invoke(app, ["--db", db, "--lang", "en", *args])
    assert zh.exit_code == en.exit_code == 1
    assert "planmon init --framework cn-outline-14fyp" in zh.output
    assert "run 'planmon init --framework cn-outline-14fyp' first" in " ".join(en.output.split())
    progress = runner.invoke(app, ["--db", db, "progress", "--framework", "cn-outline-14fyp"])
    assert progress.exit_code == 1 and "planmon init --framework cn-outline-14fyp" in progress.output
