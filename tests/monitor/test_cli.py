"""``planmon progress`` and ``planmon risks`` as a user runs them (subprocess, real SQLite database)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon.cli import app
from tests.cli_helpers import run_planmon


def run_inproc(*args: str) -> tuple[int, str, str]:
    """In-process run for option variants (the subprocess tests cover the real entry point)."""
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr

CONTRACT = ["indicator", "unit", "direction", "baseline_period", "baseline", "target_period", "target",
            "latest_period", "latest", "progress_share", "time_share", "expected", "cagr_actual", "cagr_required",
            "growth_ratio", "projected", "projected_share", "status", "scheme", "notes"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "planmon.db"
    r = run_planmon("--db", str(path), "init", "-q")
    assert r.returncode == 0, r.stderr
    return str(path)


def test_progress_json_on_builtin_plan(db: str) -> None:
    r = run_planmon("--db", db, "progress", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    for row in rows:
        assert list(row)[: len(CONTRACT)] == CONTRACT
    by = {(x["indicator"], x["unit"]): x for x in rows}
    # I03 gigabit users: 24000 (2025, MIIT 2026-01-21) vs target 6000: a stock, met years early.
    assert by[("I03", "CN")]["status"] == "achieved"
    assert by[("I03", "CN")]["latest_period"] == "2025"
    # I01 internet users: 11.25 (2025, CNNIC 57th report) vs 12 in 2025: not achieved.
    i01 = by[("I01", "CN")]
    assert i01["status"] != "achieved" and i01["status"] == "lagging"
    assert i01["projected"] < 12.0
    assert i01["scheme"] == "ndrc" and json.loads(i01["scheme_params"])["delta"] == 0.1


def test_risks_json_on_builtin_plan(db: str) -> None:
    r = run_planmon("--db", db, "risks", "--format", "json")
    assert r.returncode == 0, r.stderr
    flags = json.loads(r.stdout)
    for f in flags:
        assert list(f) == ["rule", "severity", "indicator", "unit", "message_zh", "message_en", "evidence"]
    shortfall = [f for f in flags if f["rule"] == "projected_shortfall" and f["indicator"] == "I01"]
    assert len(shortfall) == 1
    f = shortfall[0]
    assert f["evidence"]["target"] == 12.0 and f["evidence"]["projected"] < 12.0
    assert "11.25" in f["message_en"] and "12" in f["message_zh"]
    assert not [x for x in flags if x["indicator"] == "I03" and x["rule"] == "projected_shortfall"]


def test_progress_options(db: str) -> None:
    code, out, err = run_inproc("--db", db, "progress", "--unit", "CN", "--scheme", "unsd", "--as-of", "2022",
                                "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(x["scheme"] == "unsd" for x in rows)
    i01 = next(x for x in rows if x["indicator"] == "I01")
    assert i01["latest_period"] == "2022"
    code, out, _ = run_inproc("--db", db, "--lang", "en", "progress")
    assert code == 0 and "lagging" in out and "partial-year" in out
    code, out, _ = run_inproc("--db", db, "risks")
    assert code == 0 and "预计" in out


def test_bad_options_exit_1(db: str) -> None:
    code, _, err = run_inproc("--db", db, "progress", "--scheme", "nope", "--format", "json")
    assert code == 1 and "nope" in err
    code, _, err = run_inproc("--db", db, "--lang", "en", "risks", "--as-of", "20x4")
    assert code == 1 and "20x4" in err


def test_uninitialised_database(tmp_path: Path) -> None:
    code, _, err = run_inproc("--db", str(tmp_path / "empty.db"), "--lang", "en", "progress", "--format", "json")
    assert code == 1 and "planmon init" in err


BYO = """indicator,unit,direction,baseline_period,baseline,target_period,target,period,value
cover,A,+,2020,50,2025,100,2021,60
cover,A,+,2020,50,2025,100,2022,70
cover,B,+,2020,50,2025,100,2022,55
deaths,A,-,2020,10,2025,5,2022,12
"""


def test_bring_your_own_table(tmp_path: Path) -> None:
    f = tmp_path / "mine.csv"
    f.write_text(BYO, encoding="utf-8")
    r = run_planmon("--db", str(tmp_path / "none.db"), "progress", "--input", str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    by = {(x["indicator"], x["unit"]): x for x in json.loads(r.stdout)}
    # cover/A: p = 20/50 = 0.4, τ = 0.4 → as expected (0.36 ≤ 0.4 < 0.44).
    assert by[("cover", "A")]["status"] == "as_expected"
    # cover/B: p = 5/50 = 0.1 < 0.36 → lagging.
    assert by[("cover", "B")]["status"] == "lagging"
    # deaths/A (lower is better): 12 > 10 → moved away: p = (12 − 10)/(5 − 10) = −0.4 → lagging.
    assert by[("deaths", "A")]["progress_share"] == pytest.approx(-0.4)
    _, out, _ = run_inproc("progress", "--input", str(f), "--unit", "B", "--format", "json")
    assert [x["unit"] for x in json.loads(out)] == ["B"]
    _, out, _ = run_inproc("risks", "--input", str(f), "--format", "json")
    rules = {(x["rule"], x["indicator"], x["unit"]) for x in json.loads(out)}
    assert ("moving_away", "deaths", "A") in rules


def test_bring_your_own_table_errors(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(BYO.replace("2022,55", "2022,lots").replace("deaths,A,-", "deaths,A,?"), encoding="utf-8")
    r = run_planmon("--lang", "en", "progress", "--input", str(f), "--format", "json")
    assert r.returncode == 1
    assert "bad.csv row 4, column 'value'" in r.stderr
    assert "bad.csv row 5, column 'direction'" in r.stderr
    assert r.stdout == ""


def test_params_and_rules_files(db: str, tmp_path: Path) -> None:
    params = tmp_path / "params.json"
    params.write_text('{"ndrc": {"delta": 0.5}}', encoding="utf-8")
    # I01: p = 0.635, τ = 0.9; with δ = 0.5, as expected needs p ≥ 0.45 → "as_expected" instead of "lagging".
    code, out, err = run_inproc("--db", db, "progress", "--params", str(params), "--format", "json")
    assert code == 0, err
    i01 = next(x for x in json.loads(out) if x["indicator"] == "I01")
    assert i01["status"] == "as_expected" and json.loads(i01["scheme_params"])["delta"] == 0.5
    rules = tmp_path / "rules.json"
    rules.write_text('{"projected_shortfall": {"enabled": false}}', encoding="utf-8")
    code, out, err = run_inproc("--db", db, "risks", "--rules", str(rules), "--format", "json")
    assert code == 0, err
    assert not [x for x in json.loads(out) if x["rule"] == "projected_shortfall"]
    rules.write_text('{"projected_shortfal": {}}', encoding="utf-8")
    code, _, err = run_inproc("--db", db, "--lang", "en", "risks", "--rules", str(rules))
    assert code == 1 and "unknown risk rule" in err


def test_bring_your_own_table_with_series_and_natural_limit(tmp_path: Path) -> None:
    # Issue 20: a series column (breakdowns) and a natural_limit column; the combined indicator row comes first.
    f = tmp_path / "t.csv"
    f.write_text(
        "indicator,unit,series,direction,baseline_period,baseline,target_period,target,natural_limit,period,value\n"
        "cover,CN,,+,2015,95,,,100,2020,97\n"
        "net,CN,female,+,2015,100,,,,2020,108.26\n"
        "net,CN,male,+,2015,100,,,,2020,100.5\n", encoding="utf-8")
    r = run_planmon("progress", "--input", str(f), "--scheme", "opensdg", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["indicator"], x["series"], x["level"]) for x in rows] == [
        ("cover", None, "indicator"), ("net", None, "indicator"), ("net", "female", "series"),
        ("net", "male", "series")]
    # cover: C = 1 − 0.95^4.44 = 0.2037, g = 0.418% ≥ 1.5%·C → on track (test_publisher_rules).
    assert rows[0]["status"] == "on_track" and rows[0]["natural_limit"] == 100.0
    # net: scores 1.6% → 3.0 and 0.1% → −2.0 (108.26 ≈ 100·1.016^5, 100.5 ≈ 100·1.001^5): mean ≈ 0.5.
    assert rows[1]["status"] == "acceleration_needed"
    code, out, _ = run_inproc("--lang", "en", "progress", "--input", str(f), "--scheme", "opensdg")
    assert code == 0 and "net · female" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(f.read_text(encoding="utf-8").replace(",100,2020,97", ",abc,2020,97"), encoding="utf-8")
    r = run_planmon("progress", "--input", str(bad))
    assert r.returncode == 1 and "bad.csv" in r.stderr and "natural_limit" in r.stderr
