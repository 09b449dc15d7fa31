"""The validation rules of an import and the findings they produce.

Each rule has a stable id (relied upon by reports, the web app and tests) and a
severity: an ``error`` blocks the whole import; a ``warning`` passes only with a
stated reason. A :class:`Finding` names where the problem is (file, sheet, row,
column, field), the offending value, the rule, and a message in zh and en, so a
reporting unit can fix its file without asking anyone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title_zh: str
    title_en: str


_RULES = [
    Rule("file_refused", "error", "文件被拒收", "file refused"),
    Rule("unreadable", "error", "文件无法读取", "file cannot be read"),
    Rule("missing_column", "error", "缺少必需的列", "a required column is missing"),
    Rule("template_tampered", "error", "模板标识被改动", "the template's identification was altered"),
    Rule("unknown_indicator", "error", "未知指标", "unknown indicator"),
    Rule("unknown_unit", "error", "未知填报单位", "unknown reporting unit"),
    Rule("outside_scope", "error", "超出填报人负责范围的单位", "a unit outside the uploader's units"),
    Rule("implausible", "error", "超出按分母（如人口）确定的合理上限", "beyond the bound set by a denominator (e.g. population)"),
    Rule("unit_not_reporter", "error", "该单位不报送此指标", "this unit does not report the indicator"),
    Rule("bad_period", "error", "无法识别的期别", "unrecognised period"),
    Rule("future_period", "error", "期别尚未到来", "the period lies in the future"),
    Rule("period_frequency", "error", "期别与指标频率不符", "the period does not fit the indicator's frequency"),
    Rule("missing_value", "error", "缺少数值", "the value is missing"),
    Rule("not_a_number", "error", "不是数字", "not a number"),
    Rule("wrong_measure", "error", "计量单位不符", "wrong unit of measure"),
    Rule("out_of_range", "error", "超出合理范围", "outside the plausible range"),
    Rule("bad_status", "error", "无法识别的数据状态", "unrecognised status"),
    Rule("duplicate_key", "error", "同一文件内重复", "the same key twice in the file"),
    Rule("series_break", "warning", "与上期相比变化过大（可能口径变化）",
         "change against the previous period beyond the factor (possible series break)"),
    Rule("duplicate_series", "warning", "与另一单位的整个序列相同（可能串行）",
         "the whole series equals another unit's (a mislabelled row?)"),
    Rule("national_total", "warning", "各省合计与全国数相差过大", "provincial values sum far from the national total"),
    Rule("revises_accepted", "warning", "修改已采纳的数值（需说明原因）",
         "changes an accepted value (a reason is needed)"),
    Rule("too_many_findings", "error", "问题过多，其余未列出", "too many findings; the rest are not listed"),
]
RULES: dict[str, Rule] = {r.id: r for r in _RULES}

STATUSES = {
    "final": "final", "preliminary": "preliminary", "estimated": "estimated", "partial_year": "partial_year",
    "最终": "final", "正式": "final", "终值": "final", "初步": "preliminary", "初值": "preliminary",
    "快报": "preliminary", "估计": "estimated", "估算": "estimated", "预计": "estimated",
    "部分年度": "partial_year", "年内": "partial_year",
}


@dataclass
class Finding:
    """One problem found in an input file, located to the cell."""

    file: str
    sheet: str
    row: int | None
    column: str
    field: str
    value: str
    rule: str
    message_zh: str
    message_en: str

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity
        return d

    def where(self, lang: str = "zh") -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”" if lang != "en" else f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"第{self.row}行" if lang != "en" else f"row {self.row}")
        if self.column:
            parts.append(f"{self.column}列" if lang != "en" else f"column {self.column}")
        return ", ".join(parts)

    def format(self, lang: str = "zh") -> str:
        sev = {"error": ("错误", "error"), "warning": ("警告", "warning")}[self.severity]
        if lang == "en":
            return f"[{sev[1]} {self.rule}] {self.where('en')}: {self.message_en}"
        return f"[{sev[0]} {self.rule}] {self.where('zh')}：{self.message_zh}"


def short(value: Any, limit: int = 60) -> str:
    """A value as shown in a finding (never the whole of a huge cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (A, B, …, Z, AA …), also used for CSV columns."""
    n = index + 1
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
