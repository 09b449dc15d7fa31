"""An authoring workbook from a plan's indicator table typed as the plan prints it.

A planning office has the printed table (类别 | 指标（单位） | 2020年 | 2025年 | 年均/累计 | 属性), with its
conventions: the category on the first row of its group only, the unit in the name's last parentheses, "—"
for no figure, bounds written "< 5.5" or "> 6.5", relations in words (高于国内生产总值增长), cumulative
changes in brackets (〔13.5〕), an annual growth with its qualifier (">7、投入强度高于“十三五”时期实际").
:func:`printed_workbook` turns such a table (TSV, ``#`` lines are comments) into the authoring workbook of
:mod:`planmon.framework.workbook`: the printed cells go to the workbook's printed columns (目标值,
年均增长或累计, …) exactly as the plan wrote them, and the workbook reader turns them into target forms. What
the printed table does not carry (ids, English names, directions, sources, price basis, tolerances, notes, the
other sheets) comes from ``base``, a framework of the same plan with the printed fields ignored; the reader
must then give back the same framework, which is what the outline's test checks.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from planmon.framework.issues import FrameworkInvalid, FrameworkIssue
from planmon.framework.model import Framework
from planmon.framework.workbook import FIRST_DATA_ROW, HEADER_ROW, write_workbook

#: What the printed cells state; every other field comes from ``base``.
PRINTED = ("area", "name_zh", "unit", "baseline", "target", "attribute", "target_form")
#: Rule fields the printed cells carry (the rest of target_rule travels in the JSON column).
PRINTED_RULE = ("value", "comparator", "relation", "relative_to")
ATTRIBUTE = {"预期性": "expected", "约束性": "binding", "": "unknown"}
_EMPTY = {"", "—", "－", "-", "/"}
_UNIT = re.compile(r"^(.*)[（(]([^（）()]+)[)）]$")
_YEAR = re.compile(r"^(\d{4})年?$")


@dataclass(frozen=True)
class PrintedRow:
    """One row of the printed table, the category filled down."""

    id: str
    area: str
    name: str
    unit: str
    base: str
    target: str
    growth: str
    attribute: str


def read_printed(path: str | Path) -> tuple[list[PrintedRow], str, str]:
    """The rows of a printed table and its base and target years (from the headers "2020年", "2025年")."""
    lines = [ln for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    reader = list(csv.reader(lines, delimiter="\t"))
    head, body = reader[0], reader[1:]
    issues: list[FrameworkIssue] = []
    years = [m.group(1) for h in head if (m := _YEAR.match(h.strip()))]
    if len(years) != 2 or len(head) != 7:
        raise FrameworkInvalid([FrameworkIssue(Path(path).name, "header", "bad_printed_header",
                                               "表头应为：编号、类别、指标、基期年份（如“2020年”）、目标年份、年均/累计、属性",
                                               "the header is: id, category, indicator, base year ('2020年'), target "
                                               "year, annual/cumulative, attribute")])
    rows: list[PrintedRow] = []
    area = ""
    for n, cells in enumerate(body, start=2):
        cells = [c.strip() for c in cells] + [""] * (7 - len(cells))
        ident, cat, name, base, target, growth, attr = cells[:7]
        area = cat or area
        m = _UNIT.match(name)
        if not m:
            issues.append(FrameworkIssue(Path(path).name, f"row {n}", "no_unit",
                                         f"“{name}”没有以括号写出的单位（如“（%）”）",
                                         f"'{name}' has no unit in parentheses (such as '（%）')"))
            continue
        if attr not in ATTRIBUTE:
            issues.append(FrameworkIssue(Path(path).name, f"row {n}", "bad_attribute",
                                         f"属性“{attr}”应为“预期性”或“约束性”", f"attribute '{attr}' must be 预期性 or 约束性"))
            continue
        rows.append(PrintedRow(ident, area, m.group(1).strip(), m.group(2).strip(), base, target, growth, attr))
    if issues:
        raise FrameworkInvalid(issues)
    return rows, years[0], years[1]


def _cells(row: PrintedRow) -> tuple[Any, Any, str]:
    """(目标值, 年均增长或累计, the printed phrase) of a printed row, as the workbook's target columns take them.

    The printed 年均/累计 column holds an annual growth ("> 7"), a bracketed change (〔13.5〕), a relation or
    words; the workbook takes the first two there and the others in 目标值. A growth's qualifier after "、"
    stays in the phrase (target_rule.text_zh), not in the cell.
    """
    target = None if row.target in _EMPTY else row.target
    growth = None if row.growth in _EMPTY else row.growth
    phrase = row.growth if growth is not None else (row.target if target is not None else "")
    if growth is not None:
        head = growth.split("、")[0].strip()
        if head.startswith(("〔", ">", "≥", "＞")):
            return target, head, phrase
        return growth, None, phrase  # a relation or words: the workbook reads them in 目标值
    return target, None, phrase


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def printed_workbook(table: str | Path, base: Framework, out: str | Path) -> Path:
    """Write the authoring workbook of ``table`` (the printed rows) completed by ``base``'s other fields."""
    rows, base_year, target_year = read_printed(table)
    by_id = {x.id: x for x in base.indicators}
    missing = [r.id for r in rows if r.id not in by_id]
    if missing:
        raise FrameworkInvalid([FrameworkIssue(Path(table).name, "编号", "unknown_indicator",
                                               f"框架中没有这些编号：{'、'.join(missing)}",
                                               f"ids not in the framework: {', '.join(missing)}")])
    path = write_workbook(base, out)
    wb = load_workbook(path)
    ws = wb["主要指标"]
    col = {str(ws.cell(row=HEADER_ROW, column=j).value): j for j in range(1, ws.max_column + 1)}
    rows_of = {str(ws.cell(row=r, column=col["编号"]).value): r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    attr_word = {"expected": "预期性", "binding": "约束性", "unknown": "未明确"}
    for p in rows:
        r = rows_of[p.id]
        ind = by_id[p.id]
        target_cell, growth_cell, phrase = _cells(p)
        has_base = p.base not in _EMPTY
        values = {"类别": p.area, "指标": p.name, "单位": p.unit, "基期值": _number(p.base) if has_base else None,
                  "目标值": _number(target_cell) if isinstance(target_cell, str) else target_cell,
                  "年均增长或累计": growth_cell, "属性": attr_word[ATTRIBUTE[p.attribute]],
                  "基期年份": base_year if has_base else None, "目标年份": target_year, "目标形式": None}
        for header, v in values.items():
            ws.cell(row=r, column=col[header]).value = v
        # the JSON column: everything the printed cells do not say (the base's record without the printed fields)
        extra_col = col["其他设置（JSON）"]
        cell = ws.cell(row=r, column=extra_col).value
        extra: dict[str, Any] = json.loads(cell) if cell else {}
        for k in PRINTED:
            extra.pop(k, None)
        rule = ind.model_dump(exclude_defaults=True).get("target_rule") or {}
        rest = {k: v for k, v in rule.items() if k not in PRINTED_RULE and k not in ("period", "text_zh")}
        if rule and ind.target_form != "qualitative" and phrase:
            rest["text_zh"] = phrase  # the plan's own words, from the printed table (qualitative: read from 目标值)
        if rest:
            extra["target_rule"] = rest
        else:
            extra.pop("target_rule", None)
        ws.cell(row=r, column=extra_col).value = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    wb.save(path)
    return Path(path)


__all__ = ["PrintedRow", "printed_workbook", "read_printed"]
