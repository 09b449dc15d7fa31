"""Regenerate the binary broken inputs of this folder (run: python tests/collect/broken/make_broken.py).

Text inputs (CSV, JSON) are written by hand; the workbooks are made here so that what
each holds is readable in code. The expected findings live in tests/collect/test_broken.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def ten_mistakes() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    ws.append(["indicator", "unit", "period", "value", "status", "note"])
    rows = [
        ["I01", "浙江省", "2024", 0.55, "final", "good row"],        # 2 fine (≤ 浙江's population: issue 11)
        ["I99", "浙江", "2024", 5, "", ""],                          # 3 unknown_indicator (A)
        ["I01", "火星省", "2024", 5, "", ""],                        # 4 unknown_unit (B)
        ["I01", "江苏", "2024年度", 5, "", ""],                      # 5 bad_period (C)
        ["I01", "江苏", "2031", 5, "", ""],                          # 6 future_period (C)
        ["I03", "江苏", "2023", None, "", "forgot the value"],      # 7 missing_value (D)
        ["I03", "江苏", "2022", "约5万", "", ""],                    # 8 not_a_number (D)
        ["I01", "江苏", "2022", "12.3%", "", ""],                    # 9 wrong_measure (D): I01 is in 亿人
        ["I02", "江苏", "2022", 150, "", ""],                        # 10 out_of_range (D): a rate above 100 %
        ["I02", "江苏", "2021", 30, "draft", ""],                    # 11 bad_status (E)
        ["I01", "浙江省", "2024", 0.55, "final", "pasted twice"],    # 12 duplicate_key (D) of row 2
    ]
    for r in rows:
        ws.append(r)
    wb.save(HERE / "ten_mistakes.xlsx")


def macro() -> None:
    """A workbook with a VBA project, named .xlsx to try to slip through (and a plain .xlsm)."""
    wb = Workbook()
    wb.active.append(["indicator", "unit", "period", "value"])  # type: ignore[union-attr]
    wb.save(HERE / "macro.xlsm")
    with zipfile.ZipFile(HERE / "macro.xlsm", "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake VBA project")
    (HERE / "macro_renamed.xlsx").write_bytes((HERE / "macro.xlsm").read_bytes())


def zip_bomb() -> None:
    """~200 KB on disk, 210 MB of zeros once inflated."""
    with zipfile.ZipFile(HERE / "zip_bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(210):
                fh.write(block)


def dtd() -> None:
    """A workbook part declaring entities (billion laughs)."""
    with zipfile.ZipFile(HERE / "entities.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Types>&lol2;</Types>')


if __name__ == "__main__":
    ten_mistakes()
    macro()
    zip_bomb()
    dtd()
