"""A plan framework as an Excel workbook: template, import (validated, refused whole), export.

Plans print their main indicators as a table (类别, 指标, 单位, 基期值, 目标值, 年均增长或累计, 属性); an
office fills that table and the tree of tasks, projects and actions in one workbook. The first
columns of the indicator sheet are the printed table's, in its order; the columns after them
hold what planmon needs besides (ids, years, English names, links). Fields that no column shows
(for instance ones another part of planmon adds later) travel in the last column as JSON, so an
export re-imports to the identical framework (same content hash).

``目标值``, ``年均增长或累计`` and ``目标形式`` take every target form as plans print them (issue 19): a level
(65), a bound (``< 5.5``), a relation (高于GDP增长, 与GDP增长基本同步（±0.5）), words (保持在合理区间) in 目标值;
an annual growth (``> 7``) or a change over the period (〔13.5〕) in 年均增长或累计; the form is inferred from
the cells or picked in 目标形式 (see :mod:`planmon.framework.target_cells`). The rule's other fields (price
basis, deflator, what the observations hold, tolerance…) travel in the JSON column as ``target_rule``.

Import checks every cell (required, number or text, allowed words) and then the framework as a
whole (duplicates, references, cycles, periods) through the same validation as the YAML loader;
each finding names the sheet, the row and the column. One finding refuses the whole workbook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from planmon.framework.build import Origin, build_framework
from planmon.framework.issues import FrameworkInvalid, FrameworkIssue
from planmon.framework.model import (
    Framework,
    IndexNode,
    Indicator,
    Milestone,
    Observation,
    Plan,
    PlanItem,
    Responsibility,
    Unit,
    UnitTarget,
    Version,
)
from planmon.framework.target_cells import TARGET_FORMS, Cells, read_cells, resolve_reference, write_cells

ATTRIBUTE = {"预期性": "expected", "约束性": "binding", "未明确": "unknown"}
DIRECTION = {"增加": "increase", "减少": "decrease"}
KIND = {"存量": "stock", "流量": "flow", "比率": "rate"}
FREQUENCY = {"年": "annual", "季": "quarterly", "月": "monthly"}
ITEM_KIND = {"目标": "goal", "方面": "aspect", "重大任务": "task", "重点工程": "project", "优先行动组": "action_group",
             "优先行动": "action"}
ROLE = {"牵头": "lead", "参与": "participant"}
SERIES_ROLE = {"主要指标": "main", "替代序列": "proxy", "候选指标": "candidate"}
MS_KIND = {"阶段目标": "milestone", "目标": "target", "截止": "deadline"}
UNIT_KIND = {"部门": "department", "地区": "region"}
LEVEL = {"全国": "nation", "省级": "province", "地市级": "prefecture", "县级": "county"}
YES = {"是": True, "否": False}


@dataclass(frozen=True)
class Col:
    """One column: its header (zh / en), the record field (dotted for nested), how its cells read."""

    zh: str
    en: str
    field: str
    kind: str = "text"  # text | name | number | period | bool | list | json | choice | int | target
    required: bool = False
    choices: dict[str, Any] = dc_field(default_factory=dict)


@dataclass(frozen=True)
class Sheet:
    name: str
    en: str
    part: str
    model: type[BaseModel]
    cols: tuple[Col, ...]
    note_zh: str = ""


EXTRA = Col("其他设置（JSON）", "other settings (JSON)", "__extra__", "json")

INDICATOR_COLS = (
    Col("类别", "category", "area", "name"),
    Col("指标", "indicator", "name_zh", "name", True),
    Col("单位", "unit", "unit", "name", True),
    Col("基期值", "baseline value", "baseline.value", "number"),
    Col("目标值", "target value", "target.value", "target"),
    Col("年均增长或累计", "annual growth or cumulative", "__growth__", "text"),
    Col("属性", "attribute", "attribute", "choice", True, ATTRIBUTE),
    Col("编号", "id", "id", "text", True),
    Col("基期年份", "baseline year", "baseline.period", "period"),
    Col("目标年份", "target year", "target.period", "period"),
    Col("目标形式", "target form", "__form__", "choice", False, TARGET_FORMS),
    Col("英文名称", "name (en)", "name_en", "name"),
    Col("英文单位", "unit (en)", "unit_en", "text"),
    Col("英文类别", "category (en)", "area_en", "text"),
    Col("方向", "direction", "direction", "choice", False, DIRECTION),
    Col("类型", "kind", "kind", "choice", False, KIND),
    Col("频率", "frequency", "frequency", "choice", False, FREQUENCY),
    Col("关联条目", "linked items", "items", "list"),
    Col("报送地区", "reporters", "reporters", "list"),
    Col("合理下限", "plausible min", "plausible.min", "number"),
    Col("合理上限", "plausible max", "plausible.max", "number"),
    Col("定义", "definition", "definition_zh", "text"),
    Col("英文定义", "definition (en)", "definition_en", "text"),
    Col("来源", "source", "source", "text"),
    Col("目标来源", "target source", "target_source", "text"),
    Col("角色", "role", "role", "choice", False, SERIES_ROLE),
    Col("替代序列", "proxy", "proxy", "bool"),
    Col("替代说明", "proxy note", "proxy_note", "text"),
    Col("替代对象", "proxy of", "proxy_of", "text"),
    Col("延续", "continues", "continues", "text"),
    Col("待补充", "to be filled", "to_be_filled", "bool"),
    Col("推断", "inferred", "inferred", "bool"),
    Col("备注", "note", "note", "text"),
    EXTRA,
)

SHEETS: tuple[Sheet, ...] = (
    Sheet("主要指标", "indicators", "indicators", Indicator, INDICATOR_COLS,
          "前七列即规划文本中的主要指标表（类别、指标、单位、基期值、目标值、年均增长或累计、属性）。"),
    Sheet("任务树", "plan tree", "items", PlanItem, (
        Col("编号", "id", "id", "text", True),
        Col("类型", "kind", "kind", "choice", True, ITEM_KIND),
        Col("上级", "parent", "parent", "text"),
        Col("标题", "title", "title_zh", "name", True),
        Col("英文标题", "title (en)", "title_en", "name"),
        Col("规划序号", "number in the plan", "number", "text"),
        Col("关联", "links", "links", "list"),
        Col("阶段目标来源", "milestone source", "milestone_source", "text"),
        Col("推断", "inferred", "inferred", "bool"),
        Col("备注", "note", "note", "text"),
        EXTRA,
    ), "每行一个目标、方面、重大任务、重点工程、优先行动组或优先行动；“上级”填上级的编号。"),
    Sheet("阶段目标", "milestones", "milestones", Milestone, (
        Col("条目", "item", "__item__", "text", True),
        Col("编号", "id", "id", "text", True),
        Col("期限", "due", "due", "period", True),
        Col("类型", "kind", "kind", "choice", False, MS_KIND),
        Col("内容", "text", "text_zh", "text"),
        Col("英文内容", "text (en)", "text_en", "text"),
        Col("成果", "deliverable", "deliverable", "text"),
        Col("待补充", "to be filled", "to_be_filled", "bool"),
        Col("推断", "inferred", "inferred", "bool"),
        EXTRA,
    ), "每行一个阶段目标，“条目”填所属任务、工程或行动的编号。"),
    Sheet("单位", "units", "units", Unit, (
        Col("编号", "id", "id", "text", True),
        Col("类型", "kind", "kind", "choice", True, UNIT_KIND),
        Col("代码", "code", "code", "text"),
        Col("名称", "name", "name_zh", "name", True),
        Col("英文名称", "name (en)", "name_en", "name"),
        Col("简称", "short name", "short_zh", "name"),
        Col("上级", "parent", "parent", "text"),
        Col("层级", "level", "level", "choice", False, LEVEL),
        Col("推断", "inferred", "inferred", "bool"),
        EXTRA,
    )),
    Sheet("分工", "responsibilities", "responsibilities", Responsibility, (
        Col("条目", "item", "item", "text", True),
        Col("单位", "unit", "unit", "text", True),
        Col("角色", "role", "role", "choice", True, ROLE),
        Col("推断", "inferred", "inferred", "bool"),
        EXTRA,
    )),
    Sheet("观测值", "observations", "observations", Observation, (
        Col("指标", "indicator", "indicator", "text", True),
        Col("单位", "unit", "unit", "text", True),
        Col("期别", "period", "period", "period", True),
        Col("数值", "value", "value", "number", True),
        Col("状态", "status", "status", "text"),
        Col("数据性质", "quality", "quality", "text"),
        Col("替代值", "proxy", "proxy", "bool"),
        Col("来源", "source", "source", "text"),
        Col("备注", "note", "note", "text"),
        EXTRA,
    )),
    Sheet("地区目标", "unit targets", "targets", UnitTarget, (
        Col("指标", "indicator", "indicator", "text", True),
        Col("单位", "unit", "unit", "text", True),
        Col("目标年份", "target year", "period", "period", True),
        Col("目标值", "target value", "value", "number", True),
        Col("来源", "source", "source", "text"),
        Col("备注", "note", "note", "text"),
        EXTRA,
    ), "各地区自己的规划目标或分解目标（可选）。"),
    Sheet("指数结构", "index tree", "index_tree", IndexNode, (
        Col("编号", "id", "id", "text", True),
        Col("名称", "name", "name_zh", "name", True),
        Col("英文名称", "name (en)", "name_en", "name"),
        Col("上级", "parent", "parent", "text"),
        Col("权重", "weight", "weight", "number"),
        EXTRA,
    )),
    Sheet("版本记录", "versions", "changelog", Version, (
        Col("版本", "version", "version", "text", True),
        Col("日期", "date", "date", "text", True),
        Col("摘要", "summary", "summary_zh", "text"),
        Col("英文摘要", "summary (en)", "summary_en", "text"),
        Col("变更（JSON）", "changes (JSON)", "changes", "json"),
        Col("数据迁移（JSON）", "moves (JSON)", "moves", "json"),
        EXTRA,
    )),
)

PLAN_SHEET = "规划"
EVALUATION_SHEET = "评估设定"
PLAN_LABELS = {
    "id": "编号", "title_zh": "名称", "title_en": "英文名称", "period_start": "起始年份", "period_end": "结束年份",
    "issuer_zh": "印发机关", "issuer_en": "英文印发机关", "issued": "印发时间", "version": "版本", "source": "来源",
    "predecessor": "上一期规划",
}
HEADER_ROW = 1  # headers in row 1 (zh) and row 2 (en); data from row 3
FIRST_DATA_ROW = 3


# ---------------------------------------------------------------- export


def _plain_dump(rec: BaseModel) -> dict[str, Any]:
    return rec.model_dump(mode="json", exclude_defaults=True)


def _get(d: dict[str, Any], dotted: str) -> Any:
    cur: Any = d
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _pop(d: dict[str, Any], dotted: str) -> None:
    parts = dotted.split(".")
    cur: Any = d
    for part in parts[:-1]:
        cur = cur.get(part) if isinstance(cur, dict) else None
        if cur is None:
            return
    if isinstance(cur, dict):
        cur.pop(parts[-1], None)
    if len(parts) > 1 and isinstance(d.get(parts[0]), dict) and not d[parts[0]]:
        d.pop(parts[0])


def _cell_value(col: Col, v: Any) -> Any:
    if v is None:
        return None
    if col.kind == "bool":
        return "是" if v else "否"
    if col.kind == "choice":
        back = {code: label for label, code in col.choices.items()}
        return back.get(v, v)
    if col.kind == "list":
        return ", ".join(str(x) for x in v) if v else None
    if col.kind == "json":
        return json.dumps(v, ensure_ascii=False, sort_keys=True) if v not in (None, [], {}) else None
    if col.kind == "period":
        return str(v)
    return v


def _write_cell(ws: Worksheet, row: int, column: int, value: Any, text: bool = False) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with (and no apostrophe added)
        cell.number_format = "@"
    elif text:
        cell.number_format = "@"


def _header(ws: Worksheet, cols: tuple[Col, ...]) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F3")
    for j, c in enumerate(cols, start=1):
        a = ws.cell(row=1, column=j, value=c.zh)
        b = ws.cell(row=2, column=j, value=c.en)
        a.font = bold
        a.fill = fill
        b.font = Font(italic=True, color="666666")
        ws.column_dimensions[get_column_letter(j)].width = 24 if c.kind in ("name", "text") else 12
        if c.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(c.choices) + '"', allow_blank=not c.required)
            dv.error = f"请选择：{'、'.join(c.choices)}"
            dv.errorTitle = c.zh
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(j)}{FIRST_DATA_ROW}:{get_column_letter(j)}2000")
        if c.kind == "period":
            for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 200):
                ws.cell(row=r, column=j).number_format = "@"
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)


def _rows_of(sheet: Sheet, fw: Framework | None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(every field, the non-default fields) per record: columns show the first, the JSON column the rest."""
    if fw is None:
        return []
    if sheet.part == "milestones":
        out = []
        for it in fw.items:
            for m in it.milestones:
                d = m.model_dump(mode="json")
                d["__item__"] = it.id
                out.append((d, _plain_dump(m)))
        return out
    out = []
    for r in getattr(fw, sheet.part):
        d, nd = r.model_dump(mode="json"), _plain_dump(r)
        if sheet.part == "items":
            d.pop("milestones", None)
            nd.pop("milestones", None)
        out.append((d, nd))
    return out


def write_workbook(fw: Framework | None, path: str | Path) -> Path:
    """The framework as a workbook (``fw=None``: the empty template with headers and drop-downs)."""
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = "说明"
    lines = [
        ("规划框架工作簿（planmon）", "Plan framework workbook (planmon)"),
        ("“规划”表填规划本身；“主要指标”表前七列即规划文本中的主要指标表；“任务树”填目标、方面、任务、工程、行动的层级；"
         "“阶段目标”“分工”“单位”“观测值”可选。", "Sheet 规划: the plan itself; 主要指标: its first seven columns are "
         "the plan's printed indicator table; 任务树: the tree of goals, aspects, tasks, projects and actions; the "
         "other sheets are optional."),
        ("第1行为中文列名，第2行为英文列名，数据从第3行起。属性只能填“预期性”“约束性”或“未明确”。",
         "Row 1: headers (zh), row 2: headers (en), data from row 3. 属性 (attribute): 预期性, 约束性 or 未明确."),
        ("目标照规划表填写：“目标值”填水平值（65）、底线/上限（< 5.5、> 6.5）、相对目标（高于GDP增长；与GDP增长基本同步（±0.5））"
         "或定性表述（保持在合理区间）；“年均增长或累计”填年均增长（> 7）或累计变化（〔13.5〕）；“目标形式”可留空（按所填内容判断）。"
         "价格口径、指数口径、观测值为年度增速等写在“其他设置（JSON）”的 target_rule 中。",
         "Targets as the plan prints them: 目标值 holds a level (65), a bound (< 5.5, > 6.5), a relation (高于GDP增长; "
         "与GDP增长基本同步（±0.5）) or words (保持在合理区间); 年均增长或累计 an annual growth (> 7) or a cumulative "
         "change (〔13.5〕); 目标形式 may stay empty (inferred). Price basis, deflator, rates as observations: "
         "target_rule in the JSON column."),
        ("导入时逐格检查，发现任何问题即整体拒绝，并列出每处问题所在的表、行、列。",
         "Import checks every cell; any problem refuses the whole workbook, listing sheet, row and column of each."),
    ]
    for i, (zh, en) in enumerate(lines, start=1):
        readme.cell(row=i, column=1, value=zh).alignment = Alignment(wrap_text=True)
        readme.cell(row=i, column=2, value=en).alignment = Alignment(wrap_text=True)
    readme.column_dimensions["A"].width = 80
    readme.column_dimensions["B"].width = 80

    ps = wb.create_sheet(PLAN_SHEET)
    for j, (zh, en) in enumerate((("字段", "field"), ("值", "value"), ("说明", "key")), start=1):
        ps.cell(row=1, column=j, value=zh).font = Font(bold=True)
        ps.cell(row=2, column=j, value=en).font = Font(italic=True, color="666666")
    plan = fw.plan.model_dump(mode="json") if fw else {k: "" for k in PLAN_LABELS}
    for i, key in enumerate(Plan.model_fields, start=FIRST_DATA_ROW):
        _write_cell(ps, i, 1, PLAN_LABELS.get(key, key))
        value = plan.get(key)
        _write_cell(ps, i, 2, value if value not in (None, "") else None, text=True)
        _write_cell(ps, i, 3, key)
    ps.column_dimensions["A"].width = 16
    ps.column_dimensions["B"].width = 70

    if fw is not None and fw.evaluation:  # the published evaluation (evaluation.yaml) travels as its YAML text
        es = wb.create_sheet(EVALUATION_SHEET)
        es.cell(row=1, column=1, value="评估设定（YAML，见 docs/snapshot.md）").font = Font(bold=True)
        es.cell(row=2, column=1, value="evaluation (YAML)").font = Font(italic=True, color="666666")
        _write_cell(es, FIRST_DATA_ROW, 1, yaml.safe_dump(fw.evaluation, allow_unicode=True, sort_keys=False), text=True)
        es.column_dimensions["A"].width = 100

    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        _header(ws, sheet.cols)
        mapped = [c.field for c in sheet.cols if not c.field.startswith("__") or c.field == "__item__"]
        names = {x.id: x.name_zh for x in fw.indicators} if fw is not None else {}
        for i, (d, nd) in enumerate(_rows_of(sheet, fw), start=FIRST_DATA_ROW):
            rest = json.loads(json.dumps(nd))
            for f in mapped:
                _pop(rest, f)
            printed: dict[str, Any] = {}
            if sheet.part == "indicators":  # the target as the plan prints it (issue 19)
                t_cell, g_cell, form_word, rule_rest = write_cells(d, names)
                printed = {"target.value": t_cell, "__growth__": g_cell, "__form__": form_word}
                rest.pop("target_form", None)
                rest.pop("target_rule", None)
                if rule_rest:
                    rest["target_rule"] = {k: v for k, v in rule_rest.items() if k in nd.get("target_rule", {})}
                    if not rest["target_rule"]:
                        rest.pop("target_rule")
            for j, c in enumerate(sheet.cols, start=1):
                if c.field == "__extra__":
                    value = json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else None
                elif c.field in printed:
                    value = printed[c.field]
                elif c.field in ("__growth__", "__form__"):
                    value = None
                else:
                    value = _cell_value(c, _get(d, c.field))
                _write_cell(ws, i, j, value, text=c.kind in ("period", "text"))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


# ---------------------------------------------------------------- import


def _merge(d: dict[str, Any], extra: dict[str, Any]) -> None:
    """Settings from the JSON column into a row, nested ones beside the columns' (``plausible.min`` in
    its column, ``plausible.max_per`` in the JSON) rather than replacing them."""
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(d.get(k), dict):
            _merge(d[k], v)
        else:
            d[k] = v


@dataclass
class _Where:
    sheet: str
    row: int
    columns: dict[str, str]  # field -> "H (目标年份)"


def _issue(sheet: str, row: int | None, col: str, code: str, zh: str, en: str) -> FrameworkIssue:
    where = f"第{row}行" if row else ""
    path = f"{where} {col}".strip() if row else col
    return FrameworkIssue(sheet, path, code, zh, en)


def _col_label(j: int, c: Col) -> str:
    return f"{get_column_letter(j)}列（{c.zh}）"


def _read_cell(v: Any, c: Col) -> tuple[Any, tuple[str, str, str] | None]:
    """(value for the record, problem (code, zh, en) or None); ``None`` value = leave the field out."""
    if v is None or (isinstance(v, str) and not v.strip()):
        if c.required:
            return None, ("empty_required", "必填单元格为空", "a required cell is empty")
        return None, None
    if c.kind == "target":  # a number (a level) or the printed words of another form: read by target_cells
        return (v.strip() if isinstance(v, str) else v), None
    if c.kind == "name":
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return None, ("number_in_text", f"应为文字，却是数字 {v}", f"text expected, found the number {v}")
        return str(v).strip(), None
    if c.kind == "text":
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v) if not isinstance(v, str) else v, None
    if c.kind == "number":
        if isinstance(v, bool):
            return None, ("not_a_number", f"应为数字，却是“{v}”", f"a number expected, found '{v}'")
        if isinstance(v, (int, float)):
            return float(v), None
        try:
            return float(str(v).replace(",", "").strip()), None
        except ValueError:
            return None, ("not_a_number", f"应为数字，却是“{v}”", f"a number expected, found '{v}'")
    if c.kind == "period":
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip(), None
    if c.kind == "bool":
        s = str(v).strip()
        if s in YES:
            return YES[s], None
        if s.lower() in ("true", "false"):
            return s.lower() == "true", None
        return None, ("bad_choice", f"应填“是”或“否”，却是“{s}”", f"'是' or '否' expected, found '{s}'")
    if c.kind == "choice":
        s = str(v).strip()
        if s in c.choices:
            return c.choices[s], None
        if s in c.choices.values():
            return s, None
        return None, ("bad_choice", f"“{s}”不是允许的取值（{'、'.join(c.choices)}）",
                      f"'{s}' is not allowed (choose {', '.join(str(x) for x in c.choices.values())})")
    if c.kind == "list":
        parts = [p.strip() for p in str(v).replace("、", ",").replace("，", ",").split(",")]
        return [p for p in parts if p], None
    if c.kind == "json":
        try:
            return json.loads(str(v)), None
        except json.JSONDecodeError as exc:
            return None, ("bad_json", f"不是有效的 JSON：{exc.msg}", f"not valid JSON: {exc.msg}")
    return v, None


def _put(d: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    cur = d
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = value


def read_workbook(path: str | Path) -> Framework:
    """Build and validate a framework from a workbook; raise :class:`FrameworkInvalid` with every finding."""
    p = Path(path)
    name = p.name
    try:
        wb = load_workbook(p, data_only=True, read_only=False)
    except Exception as exc:
        raise FrameworkInvalid([FrameworkIssue(name, "", "not_xlsx", f"无法作为 Excel 工作簿打开：{exc}",
                                               f"cannot be opened as an Excel workbook: {exc}")]) from None
    issues: list[FrameworkIssue] = []
    seen_cells: set[tuple[str, int, str]] = set()

    def add(sheet: str, row: int | None, col: str, code: str, zh: str, en: str) -> None:
        key = (sheet, row or 0, col)
        if key in seen_cells and row:
            return
        seen_cells.add(key)
        issues.append(_issue(sheet, row, col, code, zh, en))

    plan_raw: tuple[str, Any] | None = None
    plan_rows: dict[str, int] = {}
    if PLAN_SHEET not in wb.sheetnames:
        add(PLAN_SHEET, None, "", "missing_sheet", f"缺少工作表“{PLAN_SHEET}”", f"sheet '{PLAN_SHEET}' is missing")
    else:
        ws = wb[PLAN_SHEET]
        plan: dict[str, Any] = {}
        by_label = {v: k for k, v in PLAN_LABELS.items()}
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            key = ws.cell(row=r, column=3).value or by_label.get(str(ws.cell(row=r, column=1).value or ""))
            value = ws.cell(row=r, column=2).value
            if not key:
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                if key in ("id", "title_zh", "title_en", "period_start", "period_end"):
                    add(PLAN_SHEET, r, "B列（值）", "empty_required", f"必填项“{PLAN_LABELS.get(key, key)}”为空",
                        f"required field '{key}' is empty")
                continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            plan[str(key)] = str(value)
        plan_raw = (PLAN_SHEET, plan)
        plan_rows = {str(ws.cell(row=r, column=3).value): r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}

    raw: dict[str, list[tuple[Origin, Any]]] = {}
    where: dict[str, list[_Where]] = {}
    milestones: list[tuple[int, str, dict[str, Any]]] = []
    for sheet in SHEETS:
        if sheet.name not in wb.sheetnames:
            if sheet.part in ("indicators", "items"):
                add(sheet.name, None, "", "missing_sheet", f"缺少工作表“{sheet.name}”", f"sheet '{sheet.name}' is missing")
            continue
        ws = wb[sheet.name]
        headers = {str(ws.cell(row=HEADER_ROW, column=j).value or "").strip(): j for j in range(1, ws.max_column + 1)}
        colmap: dict[str, tuple[int, Col]] = {}
        for c in sheet.cols:
            if c.zh in headers:
                colmap[c.field] = (headers[c.zh], c)
            elif c.required:
                add(sheet.name, HEADER_ROW, c.zh, "missing_column", f"缺少必需的列“{c.zh}”", f"required column '{c.zh}' ({c.en}) is missing")
        records: list[tuple[Origin, Any]] = []
        places: list[_Where] = []
        references: list[tuple[int, int, str, str]] = []  # (record, row, label, name) of 高于…增长
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            cells = {f: ws.cell(row=r, column=j).value for f, (j, _c) in colmap.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue
            d: dict[str, Any] = {}
            labels = {f: _col_label(j, c) for f, (j, c) in colmap.items()}
            for f, (_j, c) in colmap.items():
                value, problem = _read_cell(cells[f], c)
                if problem is not None:
                    add(sheet.name, r, labels[f], problem[0], problem[1], problem[2])
                    continue
                if value is None:
                    continue
                if f == "__extra__":
                    if isinstance(value, dict):
                        _merge(d, value)
                    else:
                        add(sheet.name, r, labels[f], "bad_json", "应为 JSON 对象（{…}）", "a JSON object ({…}) expected")
                elif f in ("__growth__", "__form__", "target.value") and sheet.part == "indicators":
                    continue  # the target's cells are read together below
                else:
                    _put(d, f, value)
            if sheet.part == "indicators":
                raw_form = _read_cell(cells.get("__form__"), colmap["__form__"][1])[0] if "__form__" in colmap else None
                got = read_cells(cells.get("target.value"), cells.get("__growth__"), raw_form)
                for where_col, code, zh, en in _apply_cells(d, got):
                    field = {"target": "target.value", "growth": "__growth__", "form": "__form__"}.get(where_col, "")
                    add(sheet.name, r, labels.get(field, labels.get("target.value", "")), code, zh, en)
                if got.reference is not None:
                    references.append((len(records), r, labels.get("target.value", ""), got.reference))
                # a finding of the model on the rule points at the cell the rule was written in
                form = d.get("target_form", got.form)
                cell = "__growth__" if form in ("annual_growth", "cumulative_change") else "target.value"
                for alias in ("target_rule", "target_form"):
                    if cell in labels:
                        labels[alias] = labels[cell]
                for point in ("baseline", "target"):
                    pt = d.get(point)
                    if isinstance(pt, dict) and ("value" in pt) != ("period" in pt):
                        missing = "period" if "value" in pt else "value"
                        zh_col = {("baseline", "period"): "基期年份", ("baseline", "value"): "基期值",
                                  ("target", "period"): "目标年份", ("target", "value"): "目标值"}[(point, missing)]
                        f = f"{point}.{missing}"
                        lab = labels.get(f, zh_col)
                        add(sheet.name, r, lab, "empty_required", f"填了{'目标' if point == 'target' else '基期'}"
                            f"的一半：“{zh_col}”为空", f"half a {point}: '{zh_col}' is empty")
                        d.pop(point)
            if sheet.part == "milestones":
                milestones.append((r, str(d.pop("__item__", "")), d))
                continue
            records.append((Origin(sheet.name, len(records)), d))
            places.append(_Where(sheet.name, r, labels))
        if sheet.part == "indicators":
            _resolve_references(records, references, sheet.name, add)
        if sheet.part != "milestones":
            raw[sheet.part] = records
            where[sheet.part] = places

    # milestones belong to their items
    items_by_id = {rec.get("id"): rec for _o, rec in raw.get("items", [])}
    for r, item, d in milestones:
        if item not in items_by_id:
            add("阶段目标", r, "A列（条目）", "unknown_item", f"未知的条目“{item}”", f"unknown item '{item}'")
            continue
        items_by_id[item].setdefault("milestones", []).append(d)

    evaluation: dict[str, Any] = {}
    if EVALUATION_SHEET in wb.sheetnames:
        text = wb[EVALUATION_SHEET].cell(row=FIRST_DATA_ROW, column=1).value
        try:
            loaded = yaml.safe_load(str(text)) if text else {}
        except yaml.YAMLError as exc:
            loaded = None
            add(EVALUATION_SHEET, FIRST_DATA_ROW, "A", "yaml_syntax", f"评估设定不是有效的 YAML：{exc}",
                f"the evaluation is not valid YAML: {exc}")
        if isinstance(loaded, dict):
            evaluation = loaded
    try:
        fw = build_framework(plan_raw, raw, name, str(p), [], evaluation)
    except FrameworkInvalid as exc:
        for i in exc.issues:
            issues.append(_locate(i, where, plan_rows))
        raise FrameworkInvalid(_dedupe(issues)) from None
    if issues:
        raise FrameworkInvalid(_dedupe(issues))
    fw.source_path = str(p)
    return fw


def _apply_cells(d: dict[str, Any], got: Cells) -> list[tuple[str, str, str, str]]:
    """Put what the target cells say into the record; a field the JSON column also gives must agree."""
    problems = list(got.problems)
    if got.level is not None:
        _put(d, "target.value", got.level)
    if problems:
        return problems
    if got.form in (None, "level"):
        if got.form == "level" and d.get("target_form", "level") != "level":
            problems.append(("form", "target_form_mismatch", "目标形式与“其他设置（JSON）”中的 target_form 不一致",
                             "the target form disagrees with target_form in the JSON column"))
        return problems
    if d.get("target_form", got.form) != got.form:
        problems.append(("form", "target_form_mismatch", "目标形式与“其他设置（JSON）”中的 target_form 不一致",
                         "the target form disagrees with target_form in the JSON column"))
        return problems
    d["target_form"] = got.form
    rule = d.setdefault("target_rule", {})
    if not isinstance(rule, dict):
        return problems
    for k, v in got.rule.items():
        if k in rule and rule[k] != v:
            problems.append(("target" if got.form in ("bound", "relative", "qualitative") else "growth",
                             "cell_json_conflict", f"单元格（{v}）与“其他设置（JSON）”中的 target_rule.{k}（{rule[k]}）不一致",
                             f"the cell ({v}) disagrees with target_rule.{k} ({rule[k]}) in the JSON column"))
        rule[k] = v
    target = d.get("target")
    if isinstance(target, dict) and "period" in target and "value" not in target:  # 目标年份 of a rule
        rule.setdefault("period", d.pop("target")["period"])
    return problems


def _resolve_references(records: list[tuple[Origin, Any]], references: list[tuple[int, int, str, str]], sheet: str,
                        add: Any) -> None:
    """"高于GDP增长": the indicator of the same sheet that GDP names (its id, name, or the one name containing it)."""
    names = [(str(rec.get("id", "")), str(rec.get("name_zh", ""))) for _o, rec in records]
    for at, row, label, name in references:
        rec = records[at][1]
        rule = rec.setdefault("target_rule", {})
        found, candidates = resolve_reference(name, names)
        declared = rule.get("relative_to")
        if declared is not None:
            if found is not None and found != declared:
                add(sheet, row, label, "cell_json_conflict",
                    f"“{name}”指向 {found}，与“其他设置（JSON）”中的 target_rule.relative_to（{declared}）不一致",
                    f"'{name}' names {found}, but target_rule.relative_to in the JSON column is {declared}")
            continue
        if found is None:
            more = f"（可能是：{'、'.join(candidates)}）" if candidates else ""
            more_en = f" (could be: {', '.join(candidates)})" if candidates else ""
            add(sheet, row, label, "unknown_indicator",
                f"找不到“{name}”所指的指标{more}：请写指标编号或名称，或在“其他设置（JSON）”中写 target_rule.relative_to",
                f"no single indicator named '{name}'{more_en}: write its id or name, or target_rule.relative_to in "
                "the JSON column")
            continue
        rule["relative_to"] = found


def _dedupe(issues: list[FrameworkIssue]) -> list[FrameworkIssue]:
    """One finding per cell: the cell check (clearer) wins over the model's 'missing field'."""
    out: list[FrameworkIssue] = []
    seen: set[tuple[str, str]] = set()
    codes: set[tuple[str, str, str]] = set()
    for i in issues:
        key = (i.file, i.path)
        if i.path and ((key in seen and i.code in ("missing", "float_type", "string_type", "literal_error",
                                                             "value_error"))
                       or (i.file, i.path, i.code) in codes):
            continue
        seen.add(key)
        codes.add((i.file, i.path, i.code))
        out.append(i)
    return out


def _locate(issue: FrameworkIssue, where: dict[str, list[_Where]], plan_rows: dict[str, int]) -> FrameworkIssue:
    """``indicators[3].target.period`` → sheet 主要指标, row 6, column J (目标年份)."""
    path = issue.path
    if path.startswith("plan"):
        key = path.split(".", 1)[1] if "." in path else ""
        row = plan_rows.get(key)
        return _issue(PLAN_SHEET, row, "B列（值）" if row else "", issue.code, issue.message_zh, issue.message_en)
    if "[" not in path:
        return issue
    part, rest = path.split("[", 1)
    idx_s, _, tail = rest.partition("]")
    tail = tail.lstrip(".")
    places = where.get(part)
    if places is None or not idx_s.isdigit() or int(idx_s) >= len(places):
        return issue
    w = places[int(idx_s)]
    if tail.startswith("milestones"):
        return _issue("阶段目标", None, f"{w.sheet}第{w.row}行的阶段目标 {tail}", issue.code, issue.message_zh,
                      issue.message_en)
    col = w.columns.get(tail) or w.columns.get(tail.split("[")[0]) or w.columns.get(tail.split(".")[0]) or ""
    if not col and tail:
        col = w.columns.get("__extra__", "") + f" {tail}"
    return _issue(w.sheet, w.row, col.strip(), issue.code, issue.message_zh, issue.message_en)

