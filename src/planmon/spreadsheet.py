"""The one spreadsheet writer module: formula-injection guard, CSV text and XLSX/CSV tables.

Cells that a spreadsheet will not run: the one formula-injection guard of every export.

A text beginning with ``= + - @`` (or tab / carriage return, which some spreadsheets skip
before looking for a formula) is given a leading apostrophe; numbers and other values pass
unchanged. Every CSV and XLSX writer of planmon (collection export, monitoring and index CSV,
supervision reminders, the report workbook, the web app's CSV twins) goes through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: a workbook sheet's text may also start with a line break (the report's free text does)
SHEET_TRIGGERS: tuple[str, ...] = (*FORMULA_TRIGGERS, "\n")
HEADER_FILL = "EEF2F7"


def neutralise(v: Any, triggers: tuple[str, ...] = FORMULA_TRIGGERS) -> Any:
    """``v`` with a leading apostrophe when it is text that starts like a formula.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-3 %"), neutralise(-3), neutralise("ok")
    ("'=HYPERLINK(1)", "'-3 %", -3, 'ok')
    """
    if isinstance(v, str) and v.startswith(triggers):
        return "'" + v
    return v


def cell_number(v: Any) -> float | None:
    """A number typed in a cell by a person: ``12``, ``"1,234.5"``, ``"1，234"`` (a full-width comma), else None.

    Why one function: every importer of filled-in sheets (the plan's authoring workbook, the pilots
    registry) must read the same cell the same way; a boolean is never a number.
    """
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v).replace(",", "").replace("，", "").strip())
    except ValueError:
        return None


def csv_cell(v: Any) -> str:
    """A CSV cell a spreadsheet will not run: ``None`` empty, numbers as written, text neutralised."""
    if v is None:
        return ""
    if isinstance(v, bool | int | float):
        return str(v)
    return str(neutralise(str(v)))


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """UTF-8 CSV text with a BOM (Excel in China opens it correctly), formula-injection safe."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(list(columns))
    for r in rows:
        w.writerow([csv_cell(r.get(c)) for c in columns])
    return "\ufeff" + buf.getvalue()


def write_sheet(ws: Worksheet, headers: Sequence[Any], rows: Sequence[Sequence[Any]], note: str = "") -> None:
    """One table on a workbook sheet: the report's workbook and :meth:`planmon.index.IndexRun.to_excel` both.

    Headers in row 1 (so ``pandas.read_excel`` reads the sheet as it is), data below, the note after them;
    text neutralised (:data:`SHEET_TRIGGERS`) and typed as text so that no cell is ever a formula; a float
    NaN is an empty cell (pandas reads it back as NaN); frozen header, widths from the first 200 rows.
    """
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor=HEADER_FILL)
    r0 = 1
    for j, h in enumerate(headers, start=1):
        c = ws.cell(r0, j, neutralise(h, SHEET_TRIGGERS))
        c.font = Font(bold=True)
        c.fill = fill
    for i, row in enumerate(rows, start=r0 + 1):
        for j, v in enumerate(row, start=1):
            if isinstance(v, float) and v != v:
                continue  # NaN: an empty cell
            cell = ws.cell(i, j, neutralise(v, SHEET_TRIGGERS))
            if isinstance(v, str):
                cell.data_type = "s"
    if note:
        ws.cell(r0 + len(rows) + 1, 1, neutralise(note, SHEET_TRIGGERS)).font = Font(italic=True)
    ws.freeze_panes = ws.cell(r0 + 1, 1)
    for j, h in enumerate(headers, start=1):
        longest = max([len(str(h))] + [len(str(r[j - 1])) for r in rows[:200] if r[j - 1] is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, longest * 1.6))


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
        ws.append([neutralise(h) for h in headers])
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([neutralise(v) for v in r])
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
        w.writerow([neutralise(h) for h in headers])
        for r in rows:
            w.writerow(["" if v is None else neutralise(v) for v in r])
