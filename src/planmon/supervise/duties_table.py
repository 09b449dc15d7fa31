"""Reading a division-of-responsibility table (XLSX, CSV or the framework's YAML form) into rows.

Nothing is resolved here: rows keep the names as typed, with their row number, so that
:mod:`planmon.supervise.duties` can report every problem by row and column.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

COLUMNS = ["item", "lead", "participants", "milestone", "deadline", "deliverable"]
HEADERS_ZH = ["规划事项", "牵头单位", "参与单位", "阶段目标", "完成时限", "成果形式"]
HEADERS_EN = ["Plan item", "Lead unit", "Participating units", "Milestone", "Deadline", "Deliverable"]
_ALIASES: dict[str, list[str]] = {
    "item": ["规划事项", "任务", "事项", "重点任务", "item", "plan item", "plan_item", "任务编号"],
    "lead": ["牵头单位", "牵头部门", "lead", "lead unit", "lead_unit", "lead units"],
    "participants": ["参与单位", "参与部门", "配合单位", "participants", "participating units", "participating_units"],
    "milestone": ["阶段目标", "里程碑", "节点目标", "milestone"],
    "deadline": ["完成时限", "时间节点", "截止时间", "deadline", "due"],
    "deliverable": ["成果形式", "预期成果", "deliverable"],
}
REQUIRED = ("item", "lead")
_SPLIT = re.compile(r"[、,，;；/\n]+")


@dataclass(frozen=True)
class Problem:
    """One reason a table was refused: where (row, column) and why, in both languages."""

    row: int
    column: str
    code: str
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code,
                "message_zh": self.message_zh, "message_en": self.message_en}

    def format(self, lang: str = "zh") -> str:
        if lang.startswith("en"):
            return f"row {self.row}, {self.column}: [{self.code}] {self.message_en}"
        return f"第 {self.row} 行，{self.column}：[{self.code}] {self.message_zh}"


@dataclass
class DutyRow:
    """One row of the table as read, before names are resolved."""

    row: int
    item: str
    lead: list[str]
    participants: list[str]
    milestone: str = ""
    deadline: str = ""
    deliverable: str = ""
    path: str = ""  # YAML: "responsibilities[2]" — problems then name fields by path


YAML_FIELD = {"item": "item", "lead": "unit", "participants": "unit", "milestone": "text_zh", "deadline": "due",
               "deliverable": "deliverable"}



# ---- reading -------------------------------------------------------------------------------


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    if s.startswith("'") and s[1:2] in ("=", "+", "-", "@"):  # quoted by our own injection-safe export
        return s[1:]
    return s


def _names(v: Any) -> list[str]:
    if isinstance(v, list | tuple):
        return [s for x in v for s in _names(x)]
    return [s.strip() for s in _SPLIT.split(_text(v)) if s.strip()]


def _header_map(header: list[Any]) -> tuple[dict[str, int], list[Problem]]:
    lookup = {a.lower(): key for key, names in _ALIASES.items() for a in names}
    found: dict[str, int] = {}
    for n, h in enumerate(header):
        key = lookup.get(_text(h).lower())
        if key and key not in found:
            found[key] = n
    problems = [
        Problem(1, HEADERS_ZH[COLUMNS.index(k)], "missing_column",
                f"缺少必填列“{HEADERS_ZH[COLUMNS.index(k)]}”（表头应为：{' | '.join(HEADERS_ZH)}）",
                f"required column '{HEADERS_EN[COLUMNS.index(k)]}' is missing (header: {' | '.join(HEADERS_EN)})")
        for k in REQUIRED if k not in found
    ]
    return found, problems


def _rows_from_table(table: list[list[Any]]) -> tuple[list[DutyRow], list[Problem]]:
    if not table:
        return [], [Problem(1, "", "empty", "表格为空", "the table is empty")]
    cols, problems = _header_map(table[0])
    if problems:
        return [], problems
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        def cell(key: str, raw: list[Any] = raw) -> Any:
            i = cols.get(key)
            return raw[i] if i is not None and i < len(raw) else None
        if all(_text(v) == "" for v in raw):
            continue
        rows.append(DutyRow(n, _text(cell("item")), _names(cell("lead")), _names(cell("participants")),
                            _text(cell("milestone")), _text(cell("deadline")), _text(cell("deliverable"))))
    return rows, []


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)  # not read-only: merged cells must be spread
    ws = wb.worksheets[0]
    for rng in list(ws.merged_cells.ranges):
        value = ws.cell(rng.min_row, rng.min_col).value
        ws.unmerge_cells(str(rng))
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                ws.cell(r, c).value = value
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return table


def _read_csv(path: Path) -> list[list[Any]]:


    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [list(r) for r in csv.reader(fh)]


def _rows_from_yaml(path: Path) -> tuple[list[DutyRow], list[Problem]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return [], [Problem(0, "", "yaml_syntax", f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}")]
    if not isinstance(data, dict) or "responsibilities" not in data:
        return [], [Problem(0, "responsibilities", "missing_key", "YAML 文件缺少 responsibilities 列表",
                            "the YAML file has no 'responsibilities' list")]
    rows: list[DutyRow] = []
    for n, r in enumerate(data.get("responsibilities") or [], start=1):
        r = r if isinstance(r, dict) else {}
        role = _text(r.get("role"))
        unit = _names(r.get("unit"))
        where = f"responsibilities[{n - 1}]"
        if role not in ("lead", "participant"):
            rows.append(DutyRow(n, _text(r.get("item")), [], [], milestone=f"\0role:{role}", path=where))
            continue
        rows.append(DutyRow(n, _text(r.get("item")), unit if role == "lead" else [],
                            unit if role == "participant" else [], path=where))
    offset = len(rows)
    for n, m in enumerate(data.get("milestones") or [], start=1):
        m = m if isinstance(m, dict) else {}
        rows.append(DutyRow(offset + n, _text(m.get("item")), [], [], _text(m.get("text_zh") or m.get("text")),
                            _text(m.get("due") or m.get("deadline")), _text(m.get("deliverable")),
                            path=f"milestones[{n - 1}]"))
    return rows, []


def read_duties(path: str | Path) -> tuple[list[DutyRow], list[Problem]]:
    """The rows of an XLSX, CSV or YAML division-of-responsibility file (unresolved)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.exists():
        return [], [Problem(0, "", "not_found", f"找不到文件 {p}", f"file not found: {p}")]
    if suffix in (".yaml", ".yml"):
        return _rows_from_yaml(p)
    if suffix == ".xlsx":
        return _rows_from_table(_read_xlsx(p))
    if suffix == ".csv":
        return _rows_from_table(_read_csv(p))
    return [], [Problem(0, "", "unsupported_format", f"不支持的文件格式“{suffix}”：应为 .xlsx、.csv 或 .yaml",
                        f"unsupported file type '{suffix}': expected .xlsx, .csv or .yaml")]
