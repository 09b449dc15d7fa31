"""Reminders and every spreadsheet we write are safe from formula injection."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planmon.store import Store
from planmon.supervise import export_duties, export_reminders, import_duties, reminders, safe_cell
from planmon.supervise.reminders import write_table

EVIL = ['=HYPERLINK("http://x.invalid","点击")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]


def test_safe_cell() -> None:
    for v in EVIL:
        assert safe_cell(v) == "'" + v
    assert safe_cell("中央网信办") == "中央网信办" and safe_cell(-5) == -5 and safe_cell(None) is None


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_written_tables_hold_no_formula(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    write_table(path, ["a", "=b"], [[v, 1] for v in EVIL])
    if suffix == ".xlsx":
        ws = load_workbook(path).active
        assert ws is not None
        cells = [c for row in ws.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)  # openpyxl marks formulas "f"
        assert [ws.cell(r, 1).value for r in range(2, len(EVIL) + 2)] == ["'" + v for v in EVIL]
    else:
        with path.open(encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["a", "'=b"] and [r[0] for r in rows[1:]] == ["'" + v for v in EVIL]


def test_user_text_from_an_imported_table_cannot_become_a_formula(store: Store, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text('规划事项,牵头单位,参与单位,阶段目标,完成时限,成果形式\n'
                     'P03,NDRC,,"=HYPERLINK(""http://x.invalid"",""ok"")",2024-06-30,\n', encoding="utf-8")
    assert import_duties(store, table, actor="office").ok
    out = export_duties(store, tmp_path / "d.xlsx")
    ws = load_workbook(out).active
    assert ws is not None
    p03 = next(r for r in ws.iter_rows() if str(r[0].value).startswith("P03"))
    assert p03[3].value.startswith("'=HYPERLINK") and p03[3].data_type == "s"
    # re-importing our own export gives back the text as typed
    assert import_duties(store, out, actor="office").ok
    rem = reminders(store, date(2024, 7, 20))
    assert "=HYPERLINK" in rem.loc[rem.item == "P03", "owed"].iloc[0]
    n = export_reminders(store, tmp_path / "r.xlsx", date(2024, 7, 20))
    ws = load_workbook(tmp_path / "r.xlsx").active
    assert ws is not None and ws.max_row == n + 1
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    store.engine.dispose()


def test_reminders_group_by_unit(store: Store) -> None:
    # as of 2024-01-01 (no reports): the ten 2023 milestones, owed by 8 lead units (CAC and MCA lead two)
    rem = reminders(store, date(2024, 1, 1), lang="en", monitoring=False)
    assert len(rem) == 10 and list(rem.no) == list(range(1, 11))
    assert rem.unit.is_monotonic_increasing
    assert rem.unit.value_counts().to_dict() == {"CAC": 2, "MCA": 2, "MIIT": 1, "MOST": 1, "MOFCOM": 1, "MEE": 1,
                                                 "PBC": 1, "NHC": 1}
    assert rem.loc[rem.unit == "NHC", "unit_name"].iloc[0] == "National Health Commission"
    assert len(reminders(store, date(2024, 1, 1), unit="CAC", monitoring=False)) == 2
    # with monitoring, the lagging internet-user indicator (I01) adds what its items' leads owe: T1 (MIIT), T8 (NDRC)
    extra = reminders(store, date(2024, 1, 1), lang="en")
    assert len(extra) == 12 and set(extra.unit) - set(rem.unit) == {"NDRC"}
    store.engine.dispose()
