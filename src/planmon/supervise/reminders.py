"""Reminders (催办提醒): the units to remind and what each owes, as XLSX or CSV for the office.

The file is written by :func:`planmon.spreadsheet.write_table`, which makes every text cell
safe against formula injection (OWASP "CSV injection").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from planmon.framework import BUILTIN_DEFAULT
from planmon.spreadsheet import neutralise as safe_cell
from planmon.spreadsheet import write_table
from planmon.store import Store
from planmon.supervise.progress import ReportingCycle
from planmon.supervise.supervision import supervision_list

HEADERS_ZH = ["序号", "单位编号", "责任单位", "规划事项", "事项名称", "督办事项", "起始日期", "逾期天数", "建议措施", "紧急程度"]
HEADERS_EN = ["No.", "Unit id", "Responsible unit", "Plan item", "Item title", "What is owed", "Since", "Days overdue",
              "Suggested action", "Severity"]
__all__ = ["HEADERS_EN", "HEADERS_ZH", "export_reminders", "reminders", "safe_cell", "write_table"]

_SEVERITY = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def reminders(store: Store, as_of: date, framework_id: str = BUILTIN_DEFAULT, lang: str = "zh",
              cycle: ReportingCycle | None = None, unit: str | None = None,
              monitoring: bool = True, assessed: pd.DataFrame | None = None) -> pd.DataFrame:
    """The supervision list regrouped by unit: one row per thing a unit owes, in the reader's language
    (``assessed``: a snapshot's assessments, so the reminders match its supervision list)."""
    sl = supervision_list(store, as_of, framework_id, cycle=cycle, monitoring=monitoring, assessed=assessed)
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
                     lang: str = "zh", cycle: ReportingCycle | None = None, unit: str | None = None,
                     assessed: pd.DataFrame | None = None) -> int:
    """Write the reminders to ``path`` (.xlsx or .csv); returns the number of rows."""
    df = reminders(store, as_of, framework_id, lang, cycle, unit, assessed=assessed)
    headers = HEADERS_EN if lang.startswith("en") else HEADERS_ZH
    rows = [[None if pd.isna(v) else (int(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
             for v in r] for r in df.itertuples(index=False)]
    write_table(Path(path), headers, rows, sheet_title="Reminders" if lang.startswith("en") else "督办提醒")
    return len(rows)
