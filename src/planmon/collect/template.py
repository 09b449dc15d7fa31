"""The Excel form one unit fills for one period (read back by :func:`planmon.collect.readers.read_filled_template`).

The form lists the indicators the unit reports, with name (zh, en), unit of
measure and the last accepted value for reference; only the input columns are
unlocked, and the value column carries Excel data validation from the indicator's
plausible range. A very hidden sheet identifies framework, version, unit, period
and the indicator rows with a checksum, so an upload is matched to what was sent
out and an altered form is recognised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from planmon.collect.readers import (  # the form's layout is shared with the reader of filled forms
    COL,
    DATA_SHEET,
    FIRST_ROW,
    META_SHEET,
    checksum,
    read_filled_template,
)
from planmon.framework import BUILTIN_DEFAULT, Framework
from planmon.periods import Period

HEADERS = [
    ("指标代码\nID", 10), ("指标名称", 34), ("Indicator", 40), ("计量单位\nUnit", 12), ("上期\nLast period", 11),
    ("上期值\nLast value", 14), ("本期值\nValue", 14), ("状态\nStatus", 14), ("来源\nSource", 30), ("备注\nNote", 30),
]
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")


def reported_indicators(fw: Framework, unit_id: str) -> list[str]:
    unit = fw.unit(unit_id)
    # the plan's main table: a proxy series or an unconfirmed candidate is not asked of the regions
    return [x.id for x in fw.main_indicators()
            if (unit_id in x.reporters if x.reporters else unit.kind == "region")]


def _last_values(current: pd.DataFrame, unit_id: str, period: Period) -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    if current.empty:
        return out
    sub = current[(current["unit"] == unit_id) & (current["period_time"] < period.time)]
    sub = sub.sort_values("period_time")
    for ind, per, val in zip(sub["indicator"], sub["period"], sub["value"].astype(float), strict=True):
        out[str(ind)] = (str(per), float(val))
    return out


def make_template(store: Any, unit: str, period: str, path: str | Path, framework_id: str = BUILTIN_DEFAULT) -> Path:
    """Write the form of ``unit`` for ``period`` to ``path`` (.xlsx) and return the path."""
    from planmon.collect.values import norm_key, unit_lookup

    fw: Framework = store.framework(framework_id)
    unit_id = unit_lookup(fw).get(norm_key(unit))
    if unit_id is None:
        raise KeyError(f"unknown unit '{unit}'")
    p = Period.parse(period)
    u = fw.unit(unit_id)
    ids = reported_indicators(fw, unit_id)
    ids = [i for i in ids if p.fits(fw.indicator(i).frequency)]
    last = _last_values(store.current_observations(framework_id, unit=unit_id), unit_id, p)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    ws["A1"] = f"{fw.plan.title_zh} 数据填报表 / Data form"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"填报单位 Unit: {u.name_zh} {u.name_en} ({unit_id})    期别 Period: {p}"
    ws["A3"] = "请只在黄色单元格中填写。Fill in the yellow cells only."
    for j, (text, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=FIRST_ROW - 1, column=j, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    status_dv = DataValidation(type="list", formula1='"final,preliminary,estimated,partial_year"', allow_blank=True,
                               showErrorMessage=True, errorTitle="状态 Status",
                               error="请选择 final、preliminary、estimated 或 partial_year")
    ws.add_data_validation(status_dv)
    for n, ind_id in enumerate(ids):
        r = FIRST_ROW + n
        x = fw.indicator(ind_id)
        lp, lv = last.get(ind_id, ("", None))
        for col, val in zip("ABCDEF", [x.id, x.name_zh, x.name_en, x.unit, lp, lv], strict=True):
            ws[f"{col}{r}"] = val
        for col in "GHIJ":
            cell = ws[f"{col}{r}"]
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
        ws[f"G{r}"].number_format = "General"
        lo = x.plausible.min if x.plausible and x.plausible.min is not None else None
        hi = x.plausible.max if x.plausible and x.plausible.max is not None else None
        if lo is not None or hi is not None:
            op = "between" if lo is not None and hi is not None else ("greaterThanOrEqual" if lo is not None else "lessThanOrEqual")
            dv = DataValidation(type="decimal", operator=op, formula1=str(lo if lo is not None else hi),
                                formula2=str(hi) if lo is not None and hi is not None else None, allow_blank=True,
                                showErrorMessage=True, errorTitle=f"{x.id} {x.name_zh}",
                                error=f"应为数字，范围 {'' if lo is None else lo} – {'' if hi is None else hi} {x.unit}")
        else:
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300",
                                allow_blank=True, showErrorMessage=True, error="应为数字 A number, please")
        ws.add_data_validation(dv)
        dv.add(f"G{r}")
        status_dv.add(f"H{r}")
        if x.definition_zh:
            ws[f"B{r}"].comment = Comment(x.definition_zh, "planmon")
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False

    info = wb.create_sheet("说明 Instructions")
    for k, line in enumerate(_instructions(fw, u.name_zh, str(p)), start=1):
        info.cell(row=k, column=1, value=line)
    info.column_dimensions["A"].width = 100
    info.protection.sheet = True

    meta = {
        "framework_id": fw.plan.id, "framework_version": fw.plan.version, "unit": unit_id, "period": str(p),
        "indicators": ",".join(ids),
    }
    meta["checksum"] = checksum(meta)
    ms = wb.create_sheet(META_SHEET)
    for k, (key, val) in enumerate([*meta.items(), ("content_hash", fw.content_hash), ("data_sheet", DATA_SHEET),
                                    ("first_row", str(FIRST_ROW)),
                                    ("created_at", datetime.now(UTC).isoformat(timespec="seconds"))], start=1):
        ms.cell(row=k, column=1, value=key)
        ms.cell(row=k, column=2, value=val)
    ms.sheet_state = "veryHidden"
    ms.protection.sheet = True
    out = Path(path)
    wb.save(out)
    return out


def _instructions(fw: Framework, unit_name: str, period: str) -> list[str]:
    return [
        f"{fw.plan.title_zh}：{unit_name} {period} 年度（期）数据填报说明",
        "",
        "1. 只在“填报 Data”工作表的黄色单元格（本期值、状态、来源、备注）中填写，其余单元格已锁定。",
        "2. 本期值按“计量单位”列所示单位填写数字；百分比指标可填 12.3 或 12.3%；千分位逗号（1,234.5）可用。",
        "3. 不报送的指标留空即可；“上期值”仅供参考，不会被导入。",
        "4. 状态：final 最终、preliminary 初步、estimated 估计、partial_year 年内部分数据；留空视为 final。",
        "5. 请勿修改、删除或移动行和工作表，否则导入时会被识别为模板被改动而拒收。",
        "6. 上传后系统逐项校验；有错误时整份文件不入库，并返回标注了问题单元格的副本供修改。",
        "",
        "Fill in the yellow cells of the sheet 'Data' only; leave an indicator empty if not reported.",
        "Values in the unit of measure shown; percentages as 12.3 or 12.3%. Do not move rows or sheets.",
    ]


__all__ = ["COL", "DATA_SHEET", "FIRST_ROW", "META_SHEET", "checksum", "make_template", "read_filled_template",
           "reported_indicators"]
