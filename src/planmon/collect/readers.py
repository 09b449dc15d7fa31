"""Read input files into one raw frame, each row remembering its cell addresses.

Readers only locate and carry raw text: every judgement (is this a number, a
known unit, a valid period) is made by :mod:`planmon.collect.validate`, so the
same rules apply to a filled template, a long or wide table in CSV or XLSX, and
JSON. A raw frame has, per row, the fields in :data:`FIELDS`, the ``sheet`` and
1-based spreadsheet ``row``, and for each field ``col_<field>``: the column
letter (CSV columns are lettered as Excel shows them) or the JSON key.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from planmon.collect.rules import Finding, column_letter
from planmon.i18n import Message
from planmon.refusal import Refusal

FIELDS = ["indicator", "unit", "period", "value", "status", "source", "note", "measure"]
COLUMNS = ["sheet", "row", *FIELDS, *[f"col_{f}" for f in FIELDS]]
META_SHEET = "_planmon"

ALIASES: dict[str, str] = {}
for _field, _names in {
    "indicator": ["indicator", "indicator_id", "指标", "指标代码", "指标编号", "指标id"],
    "unit": ["unit", "unit_id", "region", "reporting_unit", "单位", "地区", "填报单位", "省份", "地区代码"],
    "period": ["period", "year", "期别", "年份", "时期", "年度", "报告期"],
    "value": ["value", "值", "数值", "本期值", "指标值"],
    "status": ["status", "状态", "数据状态"],
    "source": ["source", "来源", "数据来源"],
    "note": ["note", "notes", "备注", "说明"],
    "measure": ["measure", "unit_of_measure", "uom", "计量单位"],
}.items():
    for _n in _names:
        ALIASES[_n] = _field


class ReadError(Refusal):
    """A file that cannot be read as a table; carries its finding (file, sheet, row, why)."""

    code = "unreadable"

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(Message(f"{finding.where('zh')}：{finding.message_zh}",
                                 f"{finding.where('en')}: {finding.message_en}"),
                         code=finding.rule, text=finding.message_en)


@dataclass
class RawTable:
    """What one file holds, before validation."""

    file: str
    kind: str  # template | long | wide | json
    frame: pd.DataFrame
    template: dict[str, str] | None = None
    findings: list[Finding] = field(default_factory=list)


def norm_text(s: Any) -> str:
    """NFKC (full-width → ASCII), trimmed; None → ''."""
    if s is None:
        return ""
    if isinstance(s, float) and s != s:
        return ""
    return unicodedata.normalize("NFKC", str(s)).strip()


def header_field(h: Any) -> str | None:
    text = norm_text(h).lower()
    key = text.replace(" ", "_")
    if key in ALIASES:
        return ALIASES[key]
    # "本期值 Value" style bilingual headers: the first word decides
    first = text.split()[0] if text.split() else ""
    return ALIASES.get(first)


def cell_text(v: Any, number_format: str = "General") -> Any:
    """Keep numbers as numbers; express a percent-formatted number as the percent people see."""
    if isinstance(v, datetime | date):
        return f"{v.year:04d}-{v.month:02d}"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float) and "%" in (number_format or ""):
        return f"{round(v * 100, 9):g}%"
    return v


# ---- tables (shared by CSV and XLSX) ------------------------------------------------------


def _missing(file: str, sheet: str, row: int, what: str) -> Finding:
    return Finding(
        file, sheet, row, "", what, "", "missing_column",
        f"表头缺少必需的列：{what}（应有 indicator,unit,period,value，或 unit,period 加每个指标一列）",
        f"the header lacks a required column: {what} (expected indicator,unit,period,value, "
        "or unit,period plus one column per indicator)",
    )


def table_to_raw(file: str, sheet: str, header: list[Any], body: pd.DataFrame, first_row: int) -> tuple[pd.DataFrame, list[Finding]]:
    """A header row and the body below it (object columns, positional) → raw rows.

    Long when the header names indicator and value; wide when it names unit and
    period and the other columns are indicators.
    """
    fields = [header_field(h) for h in header]
    rows = pd.Series(first_row + body.index.to_numpy(), index=body.index)
    pos = {f: i for i, f in reversed(list(enumerate(fields))) if f}
    if "indicator" in pos and "value" in pos:
        out = pd.DataFrame({"sheet": sheet, "row": rows})
        for f in FIELDS:
            out[f] = body.iloc[:, pos[f]] if f in pos else ""
            out[f"col_{f}"] = column_letter(pos[f]) if f in pos else ""
        return out, []
    if "unit" in pos and "period" in pos and "indicator" not in pos:
        parts = []
        for i, h in enumerate(header):
            if fields[i] is not None or norm_text(h) == "":
                continue
            part = pd.DataFrame({"sheet": sheet, "row": rows, "indicator": norm_text(h), "value": body.iloc[:, i]})
            for f in ("unit", "period", "status", "source", "note", "measure"):
                part[f] = body.iloc[:, pos[f]] if f in pos else ""
            for f in FIELDS:
                part[f"col_{f}"] = column_letter(pos[f]) if f in pos else ""
            part["col_indicator"] = column_letter(i)
            part["col_value"] = column_letter(i)
            parts.append(part[_is_filled(part["value"])])
        if not parts:
            return empty_frame(), [_missing(file, sheet, first_row - 1, "indicator")]
        return pd.concat(parts, ignore_index=True), []
    lacking = [f for f in ("indicator", "unit", "period", "value") if f not in pos]
    return empty_frame(), [_missing(file, sheet, first_row - 1, ", ".join(lacking))]


def _is_filled(s: pd.Series) -> pd.Series:
    return s.notna() & (s.astype(str).str.strip() != "")


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


# ---- CSV ---------------------------------------------------------------------------------


def detect_encoding(head: bytes, data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, else GB18030 (what Excel in China writes)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    enc = detect_encoding(data[:3], data)
    text = data.decode(enc)
    first_line = text.split("\n", 1)[0]
    sep = max([",", "\t", ";"], key=first_line.count)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=object, keep_default_na=False, header=None,
                         skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReadError(Finding(path.name, "", None, "", "", "", "unreadable",
                                f"CSV 文件无法解析：{scrub(exc, path)}", f"the CSV file cannot be parsed: {scrub(exc, path)}")) from None
    if df.empty:
        return RawTable(path.name, "long", empty_frame(), findings=[_missing(path.name, "", 1, "indicator, unit, period, value")])
    header = list(df.iloc[0])
    body = df.iloc[1:].reset_index(drop=True)
    body = body[(body != "").any(axis=1)]
    frame, findings = table_to_raw(path.name, "", header, body, 2)
    kind = "long" if "indicator" in {header_field(h) for h in header} else "wide"
    return RawTable(path.name, kind, frame, findings=findings)


# ---- XLSX --------------------------------------------------------------------------------


def read_xlsx(path: Path) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise ReadError(Finding(path.name, "", None, "", "", "", "unreadable",
                                f"Excel 文件无法读取：{scrub(exc, path)}", f"the Excel file cannot be read: {scrub(exc, path)}")) from None
    try:
        if META_SHEET in wb.sheetnames:
            return read_filled_template(path.name, wb)
        frames: list[pd.DataFrame] = []
        findings: list[Finding] = []
        kinds = set()
        headerless: list[str] = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            grid = [[cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
                    for row in ws.iter_rows()]
            # the header is the first row naming a known column
            start = next((i for i, r in enumerate(grid) if any(header_field(v) for v in r)), None)
            if start is None:  # notes or instructions: only a problem when no sheet holds data
                if any(any(v not in (None, "") for v in r) for r in grid):
                    headerless.append(ws.title)
                continue
            header = grid[start]
            width = len(header)
            body_rows = [list(r) + [None] * (width - len(r)) for r in grid[start + 1:]]
            body = pd.DataFrame([r[:width] for r in body_rows], dtype=object)
            if body.empty:
                continue
            body = body[body.apply(lambda r: any(norm_text(v) != "" for v in r), axis=1)]
            frame, f = table_to_raw(path.name, ws.title, header, body, start + 2)
            frames.append(frame)
            findings += f
            kinds.add("long" if "indicator" in {header_field(h) for h in header} else "wide")
        if not frames and headerless:
            findings.append(_missing(path.name, headerless[0], 1, "indicator, unit, period, value"))
        frame = pd.concat(frames, ignore_index=True) if frames else empty_frame()
        return RawTable(path.name, "wide" if kinds == {"wide"} else "long", frame, findings=findings)
    finally:
        wb.close()


# ---- JSON --------------------------------------------------------------------------------


def read_json(path: Path) -> RawTable:
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReadError(Finding(path.name, "", getattr(exc, "lineno", None), "", "", "", "unreadable",
                                f"JSON 无法解析：{scrub(exc, path)}", f"the JSON cannot be parsed: {scrub(exc, path)}")) from None
    defaults: dict[str, Any] = {}
    records = doc
    if isinstance(doc, dict):
        defaults = {k: doc[k] for k in ("unit", "period", "source", "status") if k in doc}
        records = doc.get("observations", [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ReadError(Finding(path.name, "", None, "", "observations", "", "unreadable",
                                "JSON 应为观测记录的数组，或含 observations 数组的对象",
                                "the JSON must be an array of records or an object with an 'observations' array"))
    return RawTable(path.name, "json", records_frame(records, defaults))


def records_frame(records: list[dict[str, Any]], defaults: dict[str, Any] | None = None) -> pd.DataFrame:
    """JSON records as a raw frame: the "row" is the record number (from 1), the "column" the key.

    Shared by JSON files and the REST API's JSON rows, so both are judged by the same rules.
    """
    defaults = defaults or {}
    out = []
    for n, rec in enumerate(records, start=1):
        row: dict[str, Any] = {"sheet": "", "row": n}
        for f in FIELDS:
            v = rec.get(f, defaults.get(f, ""))
            row[f] = "" if v is None else v
            row[f"col_{f}"] = f
        out.append(row)
    return pd.DataFrame(out, columns=COLUMNS) if out else empty_frame()


def scrub(exc: BaseException, path: Path) -> str:
    """An exception's text without the server's folders (a temp path says nothing to the user and
    tells an attacker where uploads live): every mention of the file's path becomes its name."""
    text = str(exc)
    for p in (str(path), str(path.resolve()) if path.exists() else str(path), str(path.parent)):
        text = text.replace(p, path.name if p != str(path.parent) else "")
    return text.replace("//", "/")


def read_file(path: Path) -> RawTable:
    ext = path.suffix.lower()
    if ext == ".json":
        return read_json(path)
    if ext in {".xlsx", ".xltx"}:
        return read_xlsx(path)
    if ext in {".csv", ".txt", ".tsv"}:
        return read_csv(path)
    raise ReadError(Finding(path.name, "", None, "", "", "", "unreadable",
                            f"不支持的文件类型 {ext or '（无扩展名）'}：请使用 .xlsx、.csv 或 .json",
                            f"unsupported file type {ext or '(none)'}: use .xlsx, .csv or .json"))


# ---- the filled form (planmon.collect.template writes it; its layout lives here, with the reader) ----

DATA_SHEET = "填报 Data"
FIRST_ROW = 5
COL = {"indicator": "A", "measure": "D", "value": "G", "status": "H", "source": "I", "note": "J"}


def checksum(meta: dict[str, str]) -> str:
    text = "|".join(meta[k] for k in ("framework_id", "framework_version", "unit", "period", "indicators"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_filled_template(file: str, wb: Any) -> RawTable:
    """A filled form → raw rows (unit and period come from the hidden sheet)."""
    meta = {str(r[0]): str(r[1]) if r[1] is not None else "" for r in wb[META_SHEET].iter_rows(values_only=True)
            if r and r[0] is not None}
    findings: list[Finding] = []
    keys = ("framework_id", "framework_version", "unit", "period", "indicators", "checksum")
    if any(k not in meta for k in keys) or checksum(meta) != meta["checksum"]:
        findings.append(Finding(file, META_SHEET, None, "", "checksum", "", "template_tampered",
                                "模板的隐藏标识页被改动或缺失：请重新下载模板填报",
                                "the template's hidden identification sheet is altered or missing: download a new template"))
        return RawTable(file, "template", pd.DataFrame(columns=COLUMNS), meta, findings)
    sheet_name = meta.get("data_sheet", DATA_SHEET)
    first = int(meta.get("first_row", FIRST_ROW))
    ids = [i for i in meta["indicators"].split(",") if i]
    if sheet_name not in wb.sheetnames:
        findings.append(Finding(file, sheet_name, None, "", "", "", "template_tampered",
                                f"找不到工作表“{sheet_name}”", f"sheet '{sheet_name}' is missing"))
        return RawTable(file, "template", pd.DataFrame(columns=COLUMNS), meta, findings)
    ws = wb[sheet_name]
    rows: list[dict[str, Any]] = []
    for n, cells in enumerate(ws.iter_rows(min_row=first, max_row=first + max(len(ids), 1) - 1, max_col=10)):
        r = first + n
        vals = {c.column_letter: c for c in cells if hasattr(c, "column_letter")}
        got = norm_text(vals["A"].value) if "A" in vals else ""
        expected = ids[n] if n < len(ids) else ""
        if got != expected:
            findings.append(Finding(file, sheet_name, r, "A", "indicator", got, "template_tampered",
                                    f"此行应为指标 {expected}，模板的行被移动或改动", f"this row should hold indicator {expected}: the rows were moved or altered"))
            continue
        cell = vals.get("G")
        value = cell_text(cell.value, getattr(cell, "number_format", "General")) if cell is not None else None
        if value is None or norm_text(value) == "":
            continue
        row: dict[str, Any] = {"sheet": sheet_name, "row": r, "indicator": expected, "unit": meta["unit"],
                               "period": meta["period"], "value": value, "measure": ""}
        for f in ("status", "source", "note"):
            c = vals.get(COL[f])
            row[f] = c.value if c is not None and c.value is not None else ""
        for f in FIELDS:
            row[f"col_{f}"] = COL.get(f, "")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS) if rows else pd.DataFrame(columns=COLUMNS)
    return RawTable(file, "template", frame, meta, findings)
