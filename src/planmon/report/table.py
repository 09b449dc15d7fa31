"""The report's table type, apart from the builders in :mod:`planmon.report.tables` so that a section built
inside the model (the pilots section) can use it without an import cycle through the model."""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = str | float | int | None


@dataclass
class Table:
    key: str  # a short ASCII name (XLSX sheet name)
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""
    widths: list[float] = field(default_factory=list)  # relative column widths for print
    digits: int = 2  # decimals shown for floats (the XLSX keeps full values)
