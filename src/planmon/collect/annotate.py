"""An annotated copy of an XLSX input: each cell with a finding highlighted and commented (zh and en).

The unit opens the copy, sees red (error) and orange (warning) cells with the reason
in a comment, fixes its own file and uploads again.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from planmon.collect.rules import Finding

FILLS = {"error": PatternFill("solid", fgColor="FF9999"), "warning": PatternFill("solid", fgColor="FFCC80")}


def annotate_copy(src: Path, findings: list[Finding], out: Path | None = None) -> Path | None:
    """Write ``<name>.checked.xlsx`` next to ``src`` (or to ``out``); None when no finding has a cell."""
    mine = [f for f in findings if f.file == src.name and f.row is not None and f.column and f.sheet]
    if not mine:
        return None
    wb = load_workbook(src)  # safety.check_file has already vetted the container
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in mine:
        by_cell[(f.sheet, f"{f.column}{f.row}")].append(f)
    for (sheet, ref), fs in by_cell.items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        cell.fill = FILLS["error" if any(f.is_error for f in fs) else "warning"]
        text = "\n".join(f"[{f.rule}] {f.message_zh}\n{f.message_en}" for f in fs)
        cell.comment = Comment(text, "planmon", width=360, height=40 + 40 * len(fs))
    target = out or src.with_name(f"{src.stem}.checked.xlsx")
    wb.save(target)
    return target
