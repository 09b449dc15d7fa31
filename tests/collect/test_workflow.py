"""Template → filled through openpyxl → import → review → current values; revisions, history, audit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planmon.cli import app
from planmon.collect import export_observations, import_files, make_template, submissions
from planmon.collect.submissions import SubmissionError
from planmon.store import Store


def _fill(path: Path, values: dict[str, object], out: Path, status: dict[str, str] | None = None) -> Path:
    wb = load_workbook(path)
    ws = wb["填报 Data"]
    for r in range(5, ws.max_row + 1):
        ind = ws[f"A{r}"].value
        if ind in values:
            ws[f"G{r}"] = values[ind]
            if status and ind in status:
                ws[f"H{r}"] = status[ind]
    wb.save(out)
    return out


def test_template_layout_locked_validated_and_identified(store: Store, tmp_path: Path) -> None:
    path = make_template(store, "浙江省", "2024", tmp_path / "zj.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["填报 Data", "说明 Instructions", "_planmon"]
    assert wb["_planmon"].sheet_state == "veryHidden"
    ws = wb["填报 Data"]
    assert ws.protection.sheet is True
    ids = [ws[f"A{r}"].value for r in range(5, ws.max_row + 1)]
    assert ids == [f"I{n:02d}" for n in range(14)]  # every built-in indicator: any region reports them
    assert ws["B6"].value == "网民规模" and ws["C6"].value == "Number of internet users" and ws["D6"].value == "亿人"
    assert ws["G6"].protection.locked is False and ws["B6"].protection.locked is True
    # I02 (5G penetration, %) validates 0..100 in Excel itself
    dv = [d for d in ws.data_validations.dataValidation if "G7" in str(d.sqref)]
    assert dv and dv[0].type == "decimal" and dv[0].formula1 == "0.0" and dv[0].formula2 == "100.0"
    meta = {r[0]: r[1] for r in wb["_planmon"].iter_rows(values_only=True)}
    assert meta["unit"] == "330000" and meta["period"] == "2024" and meta["framework_id"] == "cn-informatization-14fyp"
    assert "说明" in wb["说明 Instructions"]["A1"].value or "填报" in wb["说明 Instructions"]["A1"].value


def test_template_fill_import_accept_current(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    tpl = make_template(store, "330000", "2024", tmp_path / "zj.xlsx")
    filled = _fill(tpl, {"I01": 0.58, "I02": "61.5%", "I03": "1,234.5", "I08": "４．２"}, tmp_path / "zj-filled.xlsx",
                   status={"I08": "初步"})
    result = import_files(store, [filled], "unit:zhejiang")
    assert result.ok, [f.format("en") for f in result.findings]
    assert result.added == 4 and len(result.submission_ids) == 1
    sid = result.submission_ids[0]
    # pending values are not current yet
    assert store.current_observations(unit="330000").empty
    sub = submissions.get_submission(store, sid)
    assert sub["state"] == "submitted" and sub["unit_id"] == "330000" and sub["period"] == "2024"
    assert {o["state"] for o in sub["observations"]} == {"pending"}
    submissions.accept(store, sid, "reviewer:li", "looks right")
    cur = store.current_observations(unit="330000").set_index("indicator")
    # typed as people type them: 61.5% of a % indicator is 61.5; 1,234.5 with a thousands comma; full-width 4.2
    assert cur.loc["I01", "value"] == 0.58
    assert cur.loc["I02", "value"] == 61.5
    assert cur.loc["I03", "value"] == 1234.5
    assert cur.loc["I08", "value"] == 4.2 and cur.loc["I08", "status"] == "preliminary"
    assert set(cur["revision"]) == {1}
    assert submissions.list_submissions(store, unit="330000", state="accepted")[0]["reviewed_by"] == "reviewer:li"
    # the same list as a DataFrame (issue #18): one row per submission, times as timestamps
    table = submissions.submissions_table(store, unit="330000")
    assert list(table["id"]) == [sid] and table.loc[0, "reviewed_by"] == "reviewer:li" and "report" not in table
    assert table.loc[0, "state"] == "accepted" and table.loc[0, "reviewed_at"] >= table.loc[0, "created_at"]
    assert submissions.submissions_table(store, state="returned").empty
    # the same file again adds nothing
    again = import_files(store, [filled], "unit:zhejiang")
    assert again.ok and again.submission_ids == [] and again.added == 0 and again.already_imported == [filled.name]
    # a second accept is refused
    with pytest.raises(SubmissionError):
        submissions.accept(store, sid, "reviewer:li")


def test_correction_is_revision_2_with_who_and_why(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    first = tmp_path / "a.csv"
    first.write_text("indicator,unit,period,value\nI01,浙江,2023,0.55\nI01,浙江,2022,0.53\n", encoding="utf-8")
    r1 = import_files(store, [first], "unit:zhejiang")
    submissions.accept(store, r1.submission_ids[0], "reviewer:li")
    fix = tmp_path / "b.csv"
    fix.write_text("indicator,unit,period,value\nI01,330000,2023,0.56\nI01,330000,2022,0.53\n", encoding="utf-8")
    blocked = import_files(store, [fix], "unit:zhejiang")
    # changing an accepted value is a warning that needs a reason: nothing written without one
    assert not blocked.ok and [(f.rule, f.severity, f.row, f.column) for f in blocked.findings] == [
        ("revises_accepted", "warning", 2, "D")]
    r2 = import_files(store, [fix], "unit:zhejiang", reasons={"revises_accepted": "统计局年报更正 revised yearbook"})
    assert r2.ok and r2.revised == 1 and r2.unchanged == 1 and r2.added == 0
    # the reviewer sees the warning and the reason given for it
    report = submissions.get_submission(store, r2.submission_ids[0])["report"]
    assert [w["rule"] for w in report["warnings"]] == ["revises_accepted"]
    assert report["reasons"] == {"revises_accepted": "统计局年报更正 revised yearbook"}
    submissions.accept(store, r2.submission_ids[0], "reviewer:wang")
    hist = [h for h in store.history("I01", "330000").to_dict("records") if h["period"] == "2023"]
    assert [(h["revision"], h["value"], h["created_by"], h["state"]) for h in hist] == [
        (1, 0.55, "unit:zhejiang", "accepted"), (2, 0.56, "unit:zhejiang", "accepted")]
    assert hist[1]["reason"] == "统计局年报更正 revised yearbook" and hist[0]["reason"] == ""
    assert store.current_observations(indicator="I01", unit="330000").set_index("period").loc["2023", "value"] == 0.56
    # the audit log holds the accept with before and after of the corrected value
    ev = next(e for e in store.audit_events(entity="submissions") if e["action"] == "submission.accept")
    assert ev["actor"] == "reviewer:wang"
    assert ev["before"]["values"] == {"I01/330000/2023": 0.55} and ev["after"]["values"] == {"I01/330000/2023": 0.56}


def test_history_cli_shows_both_revisions_with_who_and_why(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    runner.invoke(app, ["--db", db, "init", "-q"])
    a = tmp_path / "a.csv"
    a.write_text("indicator,unit,period,value\nI02,江苏省,2023,40.1\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("indicator,unit,period,value\nI02,江苏省,2023,41.3\n", encoding="utf-8")
    assert runner.invoke(app, ["--db", db, "--actor", "unit:js", "import", str(a), "--accept"]).exit_code == 0
    r = runner.invoke(app, ["--db", db, "--actor", "unit:js", "import", str(b)])
    assert r.exit_code == 1 and "revises_accepted" in r.output
    r = runner.invoke(app, ["--db", db, "--actor", "unit:js", "import", str(b), "--reason", "口径调整"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["--db", db, "--actor", "rev:zhao", "submissions", "accept", "2"]).exit_code == 0
    out = runner.invoke(app, ["--db", db, "history", "I02", "江苏", "--format", "json"]).stdout
    import json

    rows = json.loads(out)
    assert [(x["revision"], x["value"], x["created_by"], x["reason"]) for x in rows] == [
        (1, 40.1, "unit:js", ""), (2, 41.3, "unit:js", "口径调整")]
    audit = json.loads(runner.invoke(app, ["--db", db, "audit", "--format", "json"]).stdout)
    actions = [(e["actor"], e["action"]) for e in audit]
    assert ("rev:zhao", "submission.accept") in actions and ("unit:js", "submission.create") in actions


def test_return_needs_comment_and_values_never_become_current(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text('[{"indicator": "I12", "unit": "广东", "period": "2023", "value": 3.1, "note": "=HYPERLINK(\\"x\\")"}]',
                 encoding="utf-8")
    r = import_files(store, [f], "unit:gd")
    assert r.ok
    sid = r.submission_ids[0]
    with pytest.raises(SubmissionError):
        submissions.return_submission(store, sid, "rev", "  ")
    submissions.return_submission(store, sid, "rev", "请核对来源")
    assert submissions.get_submission(store, sid)["state"] == "returned"
    assert store.current_observations(unit="440000").empty
    # the returned file may come again as a new submission
    assert import_files(store, [f], "unit:gd").submission_ids == [sid + 1]


def test_export_neutralises_formulas(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text('indicator,unit,period,value,source,note\nI12,广东,2023,3.1,@SUM(A1),"=HYPERLINK(""http://x"")"\n'
                 'I12,江苏,2023,2.9,-1+1,+cmd\n', encoding="utf-8")
    assert import_files(store, [f], "unit:x", auto_accept=True).ok
    buf = io.BytesIO()
    export_observations(store, "csv", buf)
    text = buf.getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'-1+1" in text and "'+cmd" in text
    assert ",=" not in text and ",@" not in text
    out = tmp_path / "x.xlsx"
    export_observations(store, "xlsx", out, history=True)
    ws = load_workbook(out).active
    assert ws is not None
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK(\"http://x\")" in cells
    js = io.BytesIO()
    export_observations(store, "json", js)
    import json

    recs = json.loads(js.getvalue())
    assert {r["note"] for r in recs if r["unit"] == "440000"} == {"'=HYPERLINK(\"http://x\")"}
