"""Reminders (催办提醒): the units to remind and what each owes, as XLSX or CSV for the office.

Every text cell written here goes through :func:`safe_cell`: a value a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
is prefixed with an apostrophe, so that a unit name or narrative typed by a user can
never run as a formula when the office opens the file (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from planmon.framework import BUILTIN_DEFAULT
from planmon.spreadsheet import neutralise as safe_cell
from planmon.store import Store
from planmon.supervise.progress import ReportingCycle
from planmon.supervise.supervision import supervision_list

HEADERS_ZH = ["序号", "单位编号", "责任单位", "规划事项", "事项名称", "督办事项", "起始日期", "逾期天数", "建议措施", "紧急程度"]
HEADERS_EN = ["No.", "Unit id", "Responsible unit", "Plan item", "Item title", "What is owed", "Since", "Days overdue",
              "Suggested action", "Severity"]
_SEVERITY = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def write_table(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], sheet_title: str = "Sheet1") -> None:
    """Write a header and rows as .xlsx (by suffix) or CSV (UTF-8 with BOM, for Excel), injection-safe."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = sheet_title
        ws.append([safe_cell(h) for h in headers])
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([safe_cell(v) for v in r])
            for c in ws[ws.max_row]:
                if isinstance(c.value, str):
                    c.data_type = "s"  # never a formula, whatever the text
                    c.alignment = Alignment(wrap_text=True, vertical="top")
        for col, width in zip("ABCDEFGHIJ", (8, 12, 24, 10, 30, 50, 12, 10, 50, 8), strict=False):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        wb.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([safe_cell(h) for h in headers])
        for r in rows:
            w.writerow(["" if v is None else safe_cell(v) for v in r])


def reminders(store: Store, as_of: date, framework_id: str = BUILTIN_DEFAULT, lang: str = "zh",
              cycle: ReportingCycle | None = None, unit: str | None = None,
              monitoring: bool = True) -> pd.DataFrame:
    """The supervision list regrouped by unit: one row per thing a unit owes, in the reader's language."""
    sl = supervision_list(store, as_of, framework_id, cycle=cycle, monitoring=monitoring)
    if unit is not None:
        sl = sl[sl.unit == unit]
    en = lang.startswith("en")
    sl = sl.sort_values(["unit", "since", "item"], kind="stable")
    out = pd.DataFrame({
        "no": range(1, len(sl) + 1),
        "unit": sl.unit.to_numpy(),
        "unit_name": (sl.unit_name_en if en else sl.unit_name_zh).to_numpy(),
        "item": sl.item.to_numpy(),
        "item_title": (sl.item_title_en if en else sl.item_title_zh).to_numpy(),
        "owed": (sl.owed_en if en else sl.owed_zh).to_numpy(),
        "since": sl.since.to_numpy(),
        "days_overdue": sl.days_overdue.to_numpy(),
        "suggested": (sl.suggested_en if en else sl.suggested_zh).to_numpy(),
        "severity": sl.severity.map(lambda s: _SEVERITY[s][1 if en else 0]).to_numpy(),
    })
    out.attrs = dict(sl.attrs)
    return out


def export_reminders(store: Store, path: str | Path, as_of: date, framework_id: str = BUILTIN_DEFAULT,
                     lang: str = "zh", cycle: ReportingCycle | None = None, unit: str | None = None) -> int:
    """Write the reminders to ``path`` (.xlsx or .csv); returns the number of rows."""
    df = reminders(store, as_of, framework_id, lang, cycle, unit)
    headers = HEADERS_EN if lang.startswith("en") else HEADERS_ZH
    rows = [[None if pd.isna(v) else (int(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
             for v in r] for r in df.itertuples(index=False)]
    write_table(Path(path), headers, rows, sheet_title="Reminders" if lang.startswith("en") else "督办提醒")
    return len(rows)
