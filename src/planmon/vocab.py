"""The one vocabulary of every face (术语表): what a code is called, in zh-CN and en.

Why one catalogue: the web pages, the report and the command line used to name the
same thing three ways (``无法评价`` in the CLI, ``暂无法评估`` in the report, raw
``lagging`` on the English web page) and to show column codes such as
``reports_on_time`` where a reader expects words. Every face now asks here:

- :func:`status` — the progress status of an indicator (per scheme), including
  ``not_assessed`` (暂无法评估) for rows that carry no status;
- :data:`BASIS` — the target basis a comparison was made on (regional assessment);
- :data:`RULES`, :data:`SEVERITY` — risk rules and severities;
- :data:`CODES` — the other small code lists (observation status, progress report
  status, item kinds, supervision kinds, submission states, roles, target kinds);
- :func:`header` — the column headers of every table a face prints;
- :func:`measure` — units of measure in both languages, and :func:`number` — the
  number format declared per unit of measure (or per indicator).

The engines keep their machine codes (a contract); their label tables are collected
here by reference so that there is one place to look and one test
(``tests/test_vocab.py``) that every code a face can show has both labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from planmon.i18n import Message, normalise_lang
from planmon.refusal import Refusal


@dataclass(frozen=True)
class Label:
    """One term in both languages."""

    zh: str
    en: str

    def get(self, lang: str | None = "zh") -> str:
        return self.en if normalise_lang(lang) == "en" else self.zh


def _labels(pairs: dict[str, tuple[str, str]]) -> dict[str, Label]:
    return {k: Label(*v) for k, v in pairs.items()}


class MissingLabel(Refusal, KeyError):
    """A face asked for a code the catalogue does not know (a test fails on it)."""

    code = "missing_label"

    def __init__(self, what: str) -> None:
        super().__init__(Message(f"词表中没有“{what}”", f"the vocabulary has no label for {what}"), text=what)


# --- progress status ---------------------------------------------------------------------------------

NOT_ASSESSED = "not_assessed"
NOT_ASSESSED_LABEL = Label("暂无法评估", "not assessed")


def _engine_table(module: str, name: str) -> Any:
    """A label table of the monitoring engine (read where it is defined; the package's export as a fallback)."""
    import importlib

    try:
        return getattr(importlib.import_module(f"planmon.monitor.{module}"), name)
    except ImportError:
        return getattr(importlib.import_module("planmon.monitor"), name, {})


def _status_tables() -> dict[str, dict[str, Label]]:
    STATUS_LABELS = _engine_table("schemes", "STATUS_LABELS")
    office = _labels(_engine_table("schemes", "OFFICE_STATUS_LABELS") or {})  # e.g. 待规划办公室评定 (issue 19)
    out = {scheme: {**_labels(codes), **office, NOT_ASSESSED: NOT_ASSESSED_LABEL}
           for scheme, codes in STATUS_LABELS.items()}
    return out


def status_order(scheme: str = "ndrc") -> tuple[str, ...]:
    """The status codes of ``scheme``, best first, then ``not_assessed``."""
    order = _engine_table("schemes", "STATUS_ORDER") or {s: tuple(v) for s, v in
                                                        _engine_table("schemes", "STATUS_LABELS").items()}
    office = tuple(_engine_table("schemes", "OFFICE_STATUS_LABELS") or ())
    return (*order[scheme], *office, NOT_ASSESSED)


def status(code: object, lang: str | None = "zh", scheme: str = "ndrc") -> str:
    """The label of a status code; no code (None, NaN, '') is 暂无法评估 / not assessable yet."""
    if not isinstance(code, str) or not code:
        return NOT_ASSESSED_LABEL.get(lang)
    table = _status_tables().get(scheme)
    if table is None or code not in table:
        # A code of another scheme still gets its words rather than the code.
        for other in _status_tables().values():
            if code in other:
                return other[code].get(lang)
        raise MissingLabel(f"status {scheme}/{code}")
    return table[code].get(lang)


def status_code(code: object) -> str:
    """The code as stored, with ``not_assessed`` for a row without status."""
    return code if isinstance(code, str) and code else NOT_ASSESSED


# --- target basis (regional assessment, issue 12) ------------------------------------------------------

BASIS: dict[str, Label] = _labels({
    "own_plan": ("本省规划目标", "the unit's own plan target"),
    "decomposed": ("分解目标", "target assigned from above"),
    "national_pace": ("按全国目标增速推算", "derived at the national target's pace"),
    "national_target": ("对标全国目标", "benchmarked on the national target"),
    "none": ("不设目标", "no target (trend only)"),
    "national": ("国家规划目标", "the national plan target"),
})


def basis(code: object, lang: str | None = "zh") -> str:
    if not isinstance(code, str) or not code:
        return "—"
    if code not in BASIS:
        raise MissingLabel(f"basis {code}")
    return BASIS[code].get(lang)


# --- risks -----------------------------------------------------------------------------------------------

SEVERITY: dict[str, Label] = _labels({"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")})


def _rule_labels() -> dict[str, Label]:
    return _labels(_engine_table("risks", "RULE_LABELS"))


def rule(code: object, lang: str | None = "zh", strict: bool = True) -> str:
    """A risk rule in words (``strict=False``: the code itself for a rule a plug-in added without labels)."""
    table = _rule_labels()
    if str(code) not in table:
        if not strict:
            return str(code)
        raise MissingLabel(f"rule {code}")
    return table[str(code)].get(lang)


def severity(code: object, lang: str | None = "zh") -> str:
    if str(code) not in SEVERITY:
        raise MissingLabel(f"severity {code}")
    return SEVERITY[str(code)].get(lang)


# --- other code lists ----------------------------------------------------------------------------------

CODES: dict[str, dict[str, Label]] = {
    "observation_status": _labels({
        "final": ("终值", "final"), "preliminary": ("初步数", "preliminary"),
        "estimated": ("估计数", "estimated"), "partial_year": ("年内数", "partial year"),
    }),
    "progress_status": _labels({
        "not_started": ("未启动", "not started"), "on_schedule": ("按计划推进", "on schedule"),
        "delayed": ("滞后", "delayed"), "done": ("已完成", "done"),
    }),
    "item_kind": _labels({
        "goal": ("发展目标", "goal"), "aspect": ("方面", "aspect"), "task": ("重大任务", "major task"),
        "project": ("重点工程", "key project"), "action_group": ("优先行动组", "action group"),
        "action": ("优先行动", "priority action"), "milestone": ("阶段目标", "milestone"),
    }),
    "supervision_kind": _labels({
        "overdue_milestone": ("阶段目标逾期", "milestone overdue"), "delayed": ("进展滞后", "delayed"),
        "missing_report": ("未报送进展", "progress report missing"),
        "indicator_lagging": ("关联指标滞后", "linked indicator lagging"),
        "indicator_at_risk": ("关联指标有风险", "linked indicator at risk"),
        "duplicate_project": ("疑似重复建设项目", "possible duplicate project"),
    }),
    "milestone_state": _labels({
        "done": ("已完成", "done"), "due": ("未到期", "not yet due"), "overdue": ("已逾期", "overdue"),
        "open": ("进行中", "open"),
    }),
    "submission_state": _labels({
        "draft": ("草稿", "draft"), "submitted": ("待审核", "submitted"), "accepted": ("已接收", "accepted"),
        "returned": ("已退回", "returned"), "pending": ("待审核", "pending review"),
    }),
    "role": _labels({
        "admin": ("管理员", "administrator"), "coordinator": ("规划协调", "coordinator"),
        "reviewer": ("审核人", "reviewer"), "reporter": ("填报人", "reporter"), "viewer": ("查看者", "viewer"),
    }),
    "responsibility": _labels({"lead": ("牵头", "lead"), "participant": ("参与", "participant")}),
    "attribute": _labels({"expected": ("预期性", "expected"), "binding": ("约束性", "binding"),
                          "unknown": ("未说明", "not stated")}),
    "direction": _labels({"increase": ("越大越好", "higher is better"), "decrease": ("越小越好", "lower is better")}),
    "target_kind": _labels({"own_plan": ("本省规划", "own plan"), "decomposed": ("分解下达", "decomposed")}),
    "finding_severity": _labels({"error": ("错误", "error"), "warning": ("警告", "warning")}),
    "yes_no": _labels({"true": ("是", "yes"), "false": ("否", "no")}),
}


def code(kind: str, value: object, lang: str | None = "zh") -> str:
    """The label of ``value`` in the code list ``kind`` (``CODES[kind]``)."""
    table = CODES[kind]
    key = str(value).lower() if isinstance(value, bool) else str(value)
    if key not in table:
        raise MissingLabel(f"{kind} {value}")
    return table[key].get(lang)


# --- column headers --------------------------------------------------------------------------------------

HEADERS: dict[str, Label] = _labels({
    # identifiers
    "id": ("编号", "ID"), "indicator": ("指标", "Indicator"), "name": ("名称", "Name"),
    "unit": ("单位", "Unit"), "region": ("地区", "Region"), "uCode": ("地区", "Region"),
    "unit_name": ("单位名称", "Unit name"), "unit_name_zh": ("单位名称", "Unit name"),
    "unit_name_en": ("单位名称", "Unit name"), "measure": ("计量单位", "Unit of measure"),
    "item": ("事项", "Item"), "item_title": ("事项名称", "Item"), "kind": ("类别", "Kind"),
    "reference": ("编号", "Reference"), "title": ("名称", "Title"),
    # values
    "period": ("时期", "Period"), "value": ("数值", "Value"), "baseline": ("基期值", "Baseline"),
    "target": ("目标值", "Target"), "latest": ("最新值", "Latest"), "expected": ("应达值", "Expected by now"),
    "progress_share": ("完成进度", "Progress"), "time_share": ("时间进度", "Time elapsed"),
    "projected": ("预计到期值", "Projected"), "status": ("状态", "Status"), "basis": ("目标依据", "Target basis"),
    "target_basis": ("目标依据", "Target basis"), "intensive": ("相对值", "Intensive value"),
    "source": ("来源", "Source"), "note": ("备注", "Note"), "notes": ("说明", "Notes"),
    "proxy": ("替代口径", "Proxy"), "revision": ("修订版本", "Revision"), "as_of": ("截至", "As of"),
    # risks and supervision
    "rule": ("规则", "Rule"), "severity": ("严重程度", "Severity"), "message": ("说明", "Explanation"),
    "owed": ("应交内容", "What is owed"), "since": ("起始日期", "Since"), "days_overdue": ("逾期天数", "Days overdue"),
    "suggested": ("建议措施", "Suggested action"), "lead": ("牵头单位", "Lead unit"),
    "milestones": ("阶段目标", "Milestones"), "due": ("到期日", "Due"),
    # index
    "score": ("得分", "Score"), "rank": ("排名", "Rank"), "rank_interval": ("排名区间", "Rank interval"),
    "nominal": ("名义排名", "Nominal rank"), "median": ("排名中位数", "Median rank"),
    "q05": ("排名5%分位", "Rank, 5th pct."), "q95": ("排名95%分位", "Rank, 95th pct."),
    "strengths": ("优势", "Strengths"), "weaknesses": ("短板", "Weaknesses"),
    "Si": ("一阶敏感度", "First-order index"), "STi": ("总敏感度", "Total-order index"),
    "parameter": ("参数", "Parameter"),
    # collection and audit
    "state": ("审核状态", "Review state"), "submission_id": ("报送编号", "Submission"), "reason": ("修订原因", "Reason"),
    "created_by": ("提交人", "Submitted by"), "created_at": ("提交时间", "Submitted at"),
    "reviewed_by": ("审核人", "Reviewed by"), "comment": ("意见", "Comment"), "source_kind": ("来源方式", "Channel"), "reviewed_at": ("审核时间", "Reviewed at"),
    "file_sha256": ("文件校验值", "File SHA-256"), "framework_id": ("规划", "Plan"),
    "filename": ("文件名", "File"), "rows": ("行数", "Rows"), "at": ("时间", "Time"), "actor": ("操作人", "Actor"),
    "action": ("操作", "Action"), "entity": ("对象", "Entity"), "entity_id": ("对象编号", "Entity ID"),
    "before": ("修改前", "Before"), "after": ("修改后", "After"), "detail": ("详情", "Detail"),
    "username": ("用户名", "Username"), "role": ("角色", "Role"), "scopes": ("所辖单位", "Units"),
    "display_name": ("显示名称", "Display name"), "active": ("启用", "Active"),
    # progress reports and scorecard
    "share_done": ("完成比例", "Share done"), "reported_on": ("报告日期", "Reported on"), "late": ("逾期", "Late"),
    "evidence": ("佐证材料", "Evidence"), "narrative": ("进展说明", "Narrative"),
    "items_led": ("牵头事项", "Items led"), "reports_owed": ("应报进展", "Reports owed"),
    "reports_on_time": ("按时报送", "On time"), "reports_late": ("逾期报送", "Late"),
    "reports_missing": ("未报送", "Missing"), "on_time_rate": ("按时率", "On-time rate"),
    "milestones_due": ("到期阶段目标", "Milestones due"), "milestones_met_on_time": ("按期完成", "Met on time"),
    "milestones_open": ("未完成阶段目标", "Milestones open"), "items_delayed": ("滞后事项", "Items delayed"),
    "indicators_led": ("牵头指标", "Indicators led"), "indicators_lagging": ("滞后指标", "Indicators lagging"),
    "indicators_at_risk": ("有风险指标", "Indicators at risk"),
    # pilots and denominators
    "programme": ("试点项目", "Programme"), "departments": ("主管部门", "Departments"),
    "document_no": ("文号", "Document No."), "term_years": ("期限（年）", "Term (years)"),
    "funding_cap": ("资金上限", "Funding cap"), "states": ("状态环节", "States"), "area_code": ("区划代码", "Area code"),
    "level": ("层级", "Level"), "batch": ("批次", "Batch"), "start": ("开始", "Start"), "end": ("结束", "End"),
    "state_since": ("状态起始", "State since"), "budget": ("预算", "Budget"), "from_state": ("原状态", "From"),
    "to_state": ("新状态", "To"), "decided_on": ("决定日期", "Decided on"), "period_time": ("时间轴", "Time"),
    "measure_unit": ("计量单位", "Unit of measure"), "step": ("步骤", "Step"), "choices": ("选择", "Choices"),
    "added": ("新增", "Added"), "revised": ("修订", "Revised"), "unchanged": ("未变", "Unchanged"),
    # statuses the planning office enters for qualitative targets (issue 19)
    "entered_by": ("认定人", "Entered by"), "entered_at": ("认定时间", "Entered at"),
    "current": ("现行", "Current"), "evidence_text": ("认定依据", "Evidence"), "scheme": ("评价方案", "Scheme"),
    # findings
    "file": ("文件", "File"), "sheet": ("工作表", "Sheet"), "row": ("行", "Row"), "column": ("列", "Column"),
    "field": ("字段", "Field"),
})


def header(column: str, lang: str | None = "zh", strict: bool = True) -> str:
    """The header of a column; a language-suffixed code (``owed_zh``, ``unit_name_en``) uses its stem.

    ``strict=False`` (what the faces use at run time) shows the code itself rather than failing; the
    catalogue test runs every face strictly, so a missing header fails there, not in front of a user.
    """
    label = HEADERS.get(column)
    if label is None and column[-3:] in ("_zh", "_en"):
        label = HEADERS.get(column[:-3])
    if label is None:
        if strict:
            raise MissingLabel(f"header {column}")
        return column
    return label.get(lang)


def headers(columns: list[str], lang: str | None = "zh") -> list[str]:
    return [header(c, lang) for c in columns]


# --- units of measure and number formats --------------------------------------------------------------


@dataclass(frozen=True)
class NumberFormat:
    """How a number of one unit of measure is printed: ``decimals`` fixed digits after the point
    (trailing zeros kept, so 35 and 36.0 never sit side by side), thousands separators or not."""

    decimals: int
    thousands: bool = True

    def __call__(self, value: object) -> str:
        if value is None or isinstance(value, str):
            return "—" if not value else str(value)
        v = float(value)  # type: ignore[arg-type]
        if math.isnan(v) or math.isinf(v):
            return "—"
        if round(v, self.decimals) == 0:
            v = 0.0  # never "-0.0"
        return f"{v:,.{self.decimals}f}" if self.thousands else f"{v:.{self.decimals}f}"


#: Units of measure: zh as the framework writes it → (zh, en, decimals, thousands separators).
MEASURES: dict[str, tuple[Label, NumberFormat]] = {
    "%": (Label("%", "%"), NumberFormat(1)),
    "指数点": (Label("指数点", "index points"), NumberFormat(1)),
    "亿人": (Label("亿人", "100 million persons"), NumberFormat(2)),
    "万人": (Label("万人", "10,000 persons"), NumberFormat(1)),
    "万户": (Label("万户", "10,000 subscribers"), NumberFormat(0)),
    "户": (Label("户", "households"), NumberFormat(0)),
    "亿": (Label("亿", "100 million"), NumberFormat(2)),
    "亿户": (Label("亿户", "100 million subscribers"), NumberFormat(2)),
    "件": (Label("件", "patents"), NumberFormat(1)),
    "万家": (Label("万家", "10,000 firms"), NumberFormat(1)),
    "家": (Label("家", "firms"), NumberFormat(0)),
    "万亿元": (Label("万亿元", "trillion yuan"), NumberFormat(2)),
    "亿元": (Label("亿元", "100 million yuan"), NumberFormat(1)),
    "万元": (Label("万元", "10,000 yuan"), NumberFormat(1)),
    "元": (Label("元", "yuan"), NumberFormat(0)),
    "个": (Label("个", "units"), NumberFormat(0)),
    "项": (Label("项", "items"), NumberFormat(0)),
    "户/百户": (Label("户/百户", "per 100 households"), NumberFormat(1)),
    "每百户": (Label("每百户", "per 100 households"), NumberFormat(1)),
    "每百人": (Label("每百人", "per 100 people"), NumberFormat(1)),
    "每万人": (Label("每万人", "per 10,000 people"), NumberFormat(1)),
    "家/万家": (Label("家/万家", "per 10,000 firms"), NumberFormat(1)),
    "元/人": (Label("元/人", "yuan per person"), NumberFormat(0)),
    "分": (Label("分", "points"), NumberFormat(1)),
    "score": (Label("分", "points"), NumberFormat(1)),
}
DEFAULT_FORMAT = NumberFormat(2)
#: Per-indicator overrides of the unit's format (an indicator whose published figures carry other precision).
INDICATOR_FORMATS: dict[str, NumberFormat] = {
    "I05": NumberFormat(1),   # 每万人口…发明专利拥有量: published to one decimal (e.g. 7.5 件)
    "I12": NumberFormat(2),   # 网上零售额: 万亿元 to two decimals (13.09)
    "O12": NumberFormat(2),   # 每千人口拥有3岁以下婴幼儿托位数: 个 per 1,000 people, two decimals (2.57), not a count
}


def measure(unit: str | None, lang: str | None = "zh", fallback_en: str | None = None) -> str:
    """A unit of measure in the reader's language; ``fallback_en`` (the framework's ``unit_en``) for a unit
    the catalogue does not list. An empty unit is ''. Never 'None'."""
    if not unit or unit == "None":
        return ""
    entry = MEASURES.get(unit)
    if entry is not None:
        return entry[0].get(lang)
    if normalise_lang(lang) == "en":
        if fallback_en:
            return fallback_en
        raise MissingLabel(f"measure {unit}")
    return unit


def number_format(unit: str | None = None, indicator: str | None = None) -> NumberFormat:
    if indicator and indicator in INDICATOR_FORMATS:
        return INDICATOR_FORMATS[indicator]
    entry = MEASURES.get(unit or "")
    return entry[1] if entry else DEFAULT_FORMAT


def number(value: Any, unit: str | None = None, indicator: str | None = None) -> str:
    """A value printed by its declared format (``—`` when absent)."""
    return number_format(unit, indicator)(value)


def with_measure(value: Any, unit: str | None, lang: str | None = "zh", indicator: str | None = None,
                 fallback_en: str | None = None) -> str:
    """``36.5%``, ``10.79亿人`` (zh) / ``10.79 100 million persons`` (en); ``—`` when absent."""
    text = number(value, unit, indicator)
    if text == "—":
        return text
    m = measure(unit, lang, fallback_en)
    if not m:
        return text
    if m == "%" or normalise_lang(lang) != "en":
        return f"{text}{m}"
    return f"{text} {m}"


def share(value: Any, decimals: int = 0) -> str:
    """A share (0.42) as a percentage (42%)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value) * 100:.{decimals}f}%"


# --- dates and times -------------------------------------------------------------------------------------

#: Times are stored in UTC and shown in the office's time zone.
LOCAL_TZ = "Asia/Shanghai"


def local_time(value: object, seconds: bool = False) -> str:
    """A stored time (datetime or ISO text; naive means UTC) as ``2026-11-30 16:50`` in Asia/Shanghai."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, datetime):
        return str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(LOCAL_TZ)).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


# --- everything, for the catalogue test ---------------------------------------------------------------


def every_label() -> dict[str, dict[str, Label]]:
    """Every code list of the catalogue, by name (for the test that each has both languages)."""
    out: dict[str, dict[str, Label]] = {f"status.{k}": v for k, v in _status_tables().items()}
    out["basis"] = BASIS
    out["rule"] = _rule_labels()
    out["severity"] = SEVERITY
    out.update({f"codes.{k}": v for k, v in CODES.items()})
    out["header"] = HEADERS
    out["measure"] = {k: v[0] for k, v in MEASURES.items()}
    try:
        from planmon.pilots.model import STATE_LABELS as PILOT_STATES

        out["pilot_state"] = _labels(PILOT_STATES)
    except ImportError:  # pragma: no cover - pilots are part of the package
        pass
    return out
