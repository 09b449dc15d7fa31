"""Cells that a spreadsheet will not run: the one formula-injection guard of every export.

A text beginning with ``= + - @`` (or tab / carriage return, which some spreadsheets skip
before looking for a formula) is given a leading apostrophe; numbers and other values pass
unchanged. Every CSV and XLSX writer of planmon (collection export, monitoring and index CSV,
supervision reminders, the report workbook, the web app's CSV twins) goes through here.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(v: Any, triggers: tuple[str, ...] = FORMULA_TRIGGERS) -> Any:
    """``v`` with a leading apostrophe when it is text that starts like a formula."""
    if isinstance(v, str) and v.startswith(triggers):
        return "'" + v
    return v
