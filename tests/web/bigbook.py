"""A large, valid, realistic-size workbook for the responsiveness test and bench (issue 11: a 7.4 MB upload
froze the server). Written as raw SpreadsheetML in a zip (a second, not a minute with openpyxl); the
reader sees an ordinary one-sheet workbook: seven percentage indicators × the nation and 31 provinces ×
the years 1925–2024, values 40–60 %, a source and a random note per row (the note keeps the file from
compressing below the target size)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

PROVINCES = [f"{c}0000" for c in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                                    50, 51, 52, 53, 54, 61, 62, 63, 64, 65)]
INDICATORS = ["I02", "I06", "I07", "I09", "I10", "I11", "I13"]
HEADER = ["indicator", "unit", "period", "value", "status", "source", "note"]

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _cell(ref: str, v: object) -> str:
    if isinstance(v, float):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'


def write_big_workbook(path: Path, note_chars: int = 500, first_year: int = 1925, seed: int = 1) -> int:
    """Write the workbook (≈ 7 MB with the defaults); returns the number of data rows (22 400)."""
    rng = random.Random(seed)
    rows = [HEADER]
    for ind in INDICATORS:
        for unit in ["CN", *PROVINCES]:
            for year in range(first_year, 2025):
                rows.append([ind, unit, str(year), round(40 + rng.random() * 20, 3), "final",
                             "国家统计局 统计年鉴 bench", rng.randbytes(note_chars // 2).hex()])
    parts = []
    for i, r in enumerate(rows, start=1):
        cells = "".join(_cell(f"{'ABCDEFG'[j]}{i}", v) for j, v in enumerate(r))
        parts.append(f'<row r="{i}">{cells}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(parts) + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return len(rows) - 1
