"""planmon targets import: eight kinds of mistakes refused whole, each located; a good file; revision 2 with reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from planmon.auth import add_user
from planmon.cli import app
from planmon.store import Store
from planmon.targets import TargetsRejected, import_targets

HEADER = ["indicator", "unit", "period", "kind", "value", "baseline_period", "baseline_value", "source"]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "targets"
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 't.db'}")
    s.init()
    add_user(s.engine, "zj", "a-long-password-1", "reporter", scopes=["330000"])
    return s


def test_eight_mistakes_refuse_the_whole_file(store: Store, tmp_path: Path) -> None:
    bad = _xlsx(tmp_path / "bad.xlsx", [
        ["I09", "330000", "2025", "own_plan", 15, None, None, "浙江省规划"],    # row 2: good
        ["I09", "999999", "2025", "own_plan", 15, None, None, ""],              # row 3: unknown unit
        ["I99", "330000", "2025", "own_plan", 15, None, None, ""],              # row 4: unknown indicator
        ["I02", "330000", "2019", "own_plan", 70, None, None, ""],              # row 5: target before the baseline
        ["I01", "330000", "2025", "national_target", None, None, None, ""],     # row 6: national target on a count
        ["I09", "330000", "2025", "own_plan", 16, None, None, ""],              # row 7: duplicate of row 2
        ["I10", "330000", "2025", "own_plan", "七十", None, None, ""],          # row 8: not a number
        ["I11", "330000", "2025Q4", "own_plan", 40, None, None, ""],            # row 9: quarter on an annual indicator
        ["I11", "320000", "2025", "own_plan", 40, None, None, ""],              # row 10: outside the uploader's scope
    ])
    scope = {"330000"}
    with pytest.raises(TargetsRejected) as exc:
        import_targets(store, bad, "user:zj", scope=scope, reason="first")
    got = {(f.row, f.column, f.code) for f in exc.value.findings}
    assert got == {
        (3, "unit", "unknown_unit"), (4, "indicator", "unknown_indicator"), (5, "period", "target_before_baseline"),
        (6, "kind", "national_target_extensive"), (7, "period", "duplicate"), (8, "value", "not_a_number"),
        (9, "period", "period_frequency"), (10, "unit", "out_of_scope"),
    }
    zh = exc.value.messages_zh
    assert all(m.startswith("bad.xlsx，工作表“targets”，第 ") for m in zh)
    assert store.targets().empty  # nothing written, not even the good row

    # the CLI says the same and exits 1
    res = CliRunner().invoke(app, ["--db", str(store.engine.url), "--lang", "en", "targets", "import", str(bad),
                                   "--user", "zj"])
    assert res.exit_code == 1
    assert "bad.xlsx, sheet 'targets', row 10, column 'unit'" in res.output


def test_good_file_imports_and_a_change_is_revision_2_with_reason(store: Store, tmp_path: Path) -> None:
    good = _xlsx(tmp_path / "good.xlsx", [
        ["I09", "330000", "2025", "own_plan", 15, None, None, "浙江省数字经济发展“十四五”规划"],
        ["I08", "330000", "2025", "none", None, None, None, ""],
    ])
    first = import_targets(store, good, "user:zj", scope={"330000"}, reason="plan adopted")
    assert (first.added, first.revised) == (2, 0)
    again = import_targets(store, good, "user:zj", scope={"330000"}, reason="same file")
    assert (again.added, again.revised, again.unchanged) == (0, 0, 2)
    changed = _xlsx(tmp_path / "changed.xlsx", [
        ["I09", "330000", "2025", "own_plan", 16.5, None, None, "浙江省数字经济发展“十四五”规划（中期调整）"]])
    rev = import_targets(store, changed, "user:zj", scope={"330000"}, reason="mid-term review raised the target")
    assert rev.revised == 1
    hist = store.target_history("I09", "330000").to_dict("records")  # a DataFrame since issue #18
    assert [h["revision"] for h in hist] == [1, 2]
    assert hist[1]["reason"] == "mid-term review raised the target" and hist[1]["value"] == 16.5
    cur = store.targets(unit="330000").set_index("indicator")
    assert cur.loc["I09", "value"] == 16.5 and cur.loc["I09", "revision"] == 2
    events = store.audit_events(entity="unit_targets")
    assert events[0]["before"]["targets"]["I09/330000/2025"]["value"] == 15.0

    # export → template round trip: the exported file imports unchanged
    out = tmp_path / "export.xlsx"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(store.engine.url), "targets", "export", "-o", str(out)]).exit_code == 0
    assert import_targets(store, out, "coordinator").unchanged == 2
    tpl = tmp_path / "tpl.xlsx"
    assert runner.invoke(app, ["--db", str(store.engine.url), "targets", "template", "-o", str(tpl),
                               "--unit", "330000"]).exit_code == 0
    ws = load_workbook(tpl)["targets"]
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[("I09", "330000")][4] == 16.5  # the current target is prefilled
    assert str(rows[("I01", "330000")][12]).startswith("national_pace")
