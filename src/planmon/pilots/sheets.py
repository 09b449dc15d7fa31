"""Read and write the registry's workbook: a ``试点 pilots`` sheet and an optional ``指标目标 targets``
sheet, with Chinese or English headers. Readers only carry raw cells and where they came from;
every judgement is made in :mod:`planmon.pilots.importer`.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from planmon.collect.rules import column_letter
from planmon.spreadsheet import neutralise

PILOT_FIELDS = ["pilot_id", "programme", "batch", "unit_name", "area_code", "level", "theme", "start", "end", "goals",
                "budget", "state", "state_date", "reason", "source", "url"]
TARGET_FIELDS = ["pilot_id", "indicator", "baseline_period", "baseline", "target_period", "target"]
HEADERS_ZH = {
    "pilot_id": "试点编号", "programme": "试点项目", "batch": "批次", "unit_name": "试点地区或单位", "area_code": "区划代码",
    "level": "层级", "theme": "主题", "start": "开始日期", "end": "结束日期", "goals": "试点目标", "budget": "资金（万元）",
    "state": "状态", "state_date": "状态日期", "reason": "变更理由", "source": "来源", "url": "网址",
    "indicator": "指标", "baseline_period": "基期", "baseline": "基期值", "target_period": "目标期", "target": "目标值",
}
ALIASES: dict[str, str] = {}
for _k, _zh in HEADERS_ZH.items():
    for _n in (_k, _zh):
        ALIASES[unicodedata.normalize("NFKC", _n).lower()] = _k
ALIASES.update({"programme_id": "programme", "program": "programme", "项目": "programme", "试点类别": "programme",
                "名称": "unit_name", "试点地区": "unit_name", "试点单位": "unit_name", "地区代码": "area_code",
                "资金": "budget", "预算": "budget", "budget_wan": "budget", "开始": "start", "结束": "end",
                "理由": "reason", "说明": "reason", "指标代码": "indicator", "资金(万元)": "budget"})
PILOT_SHEETS = ("试点", "pilots")
TARGET_SHEETS = ("指标目标", "targets")


@dataclass
class Cells:
    """One sheet's rows: ``rows[i][field]`` raw values; ``rows[i]["_row"]`` the 1-based row;
    ``columns[field]`` the column letter."""

    sheet: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unknown_headers: list[str] = field(default_factory=list)


def _norm(h: Any) -> str:
    return unicodedata.normalize("NFKC", str(h or "")).strip().lower()


def _cells(sheet: str, header: list[Any], body: list[tuple[int, list[Any]]], aliases: dict[str, str] | None = None
           ) -> Cells:
    aliases = ALIASES if aliases is None else aliases
    out = Cells(sheet)
    idx: dict[str, int] = {}
    for j, h in enumerate(header):
        key = aliases.get(_norm(h))
        if key:
            idx.setdefault(key, j)
            out.columns[key] = column_letter(j)
        elif _norm(h):
            out.unknown_headers.append(str(h))
    for n, values in body:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rec: dict[str, Any] = {k: (values[j] if j < len(values) else None) for k, j in idx.items()}
        rec["_row"] = n
        out.rows.append(rec)
    return out


def read_workbook(path: Path, aliases: dict[str, str] | None = None) -> tuple[Cells, Cells | None]:
    """The pilots sheet (by name, else the first sheet) and the targets sheet if there is one."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header = rows[0] if rows else []
        return _cells("", list(header), [(i + 2, list(r)) for i, r in enumerate(rows[1:])], aliases), None
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        names = wb.sheetnames
        pick = next((n for n in names if _norm(n) in PILOT_SHEETS), names[0])
        tpick = next((n for n in names if _norm(n) in TARGET_SHEETS), None)
        out: list[Cells | None] = []
        for name in (pick, tpick):
            if name is None:
                out.append(None)
                continue
            rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
            header = rows[0] if rows else []
            out.append(_cells(name, header, [(i + 2, r) for i, r in enumerate(rows[1:])], aliases))
        assert out[0] is not None
        return out[0], out[1]
    finally:
        wb.close()


def _cell(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()[:10]
    return neutralise(v)


def write_workbook(path: Path, pilot_rows: list[dict[str, Any]], target_rows: list[dict[str, Any]],
                   lang: str = "zh") -> None:
    """The registry as a workbook that imports back unchanged (headers in ``lang``)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "试点" if lang != "en" else "pilots"
    ws.append([HEADERS_ZH[f] if lang != "en" else f for f in PILOT_FIELDS])
    for r in pilot_rows:
        ws.append([_cell(r.get(f)) for f in PILOT_FIELDS])
    ts = wb.create_sheet("指标目标" if lang != "en" else "targets")
    ts.append([HEADERS_ZH[f] if lang != "en" else f for f in TARGET_FIELDS])
    for r in target_rows:
        ts.append([_cell(r.get(f)) for f in TARGET_FIELDS])
    for sheet in (ws, ts):
        sheet.freeze_panes = "A2"
        for col in sheet.columns:
            sheet.column_dimensions[col[0].column_letter].width = 16
    wb.save(path)
