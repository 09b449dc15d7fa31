"""Generate docs/examples/cn-outline-14fyp/cn-outline-14fyp.xlsx from the outline's printed table.

The printed cells (category, indicator and unit, 2020, 2025, annual/cumulative, attribute) come from
docs/examples/cn-outline-14fyp/printed-table.tsv, typed as the outline prints them; the rest (ids, English,
directions, sources, notes, observations …) from the built-in plan (planmon.framework.printed).

    PYTHONPATH=src python scripts/outline_workbook.py [OUT.xlsx]
"""

from __future__ import annotations

import sys
from pathlib import Path

from planmon.framework import load_framework
from planmon.framework.printed import printed_workbook

HERE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "cn-outline-14fyp"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE / "cn-outline-14fyp.xlsx"
    path = printed_workbook(HERE / "printed-table.tsv", load_framework("cn-outline-14fyp"), out)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
