"""The report's tables, built once from the model and rendered by every format.

Why here: HTML, DOCX and XLSX show the same tables; building their rows in one
place keeps them identical and keeps the renderers about layout only. Cells
are plain values (str, float, int, None); a renderer formats them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planmon import vocab
from planmon.framework.target_cells import describe_target
from planmon.jsonsafe import jsonable
from planmon.report.citations import citation, working_note_free
from planmon.report.model import NATION, STATUS_SCHEME, ReportModel
from planmon.report.table import Cell, Table
from planmon.report.text import fmt

OBSERVATION_STATUS = {"final": ("终值", "final"), "preliminary": ("初步数", "preliminary"),
                      "estimated": ("估计数", "estimated"), "partial_year": ("年内数", "partial year")}


def status_label(code: str, lang: str) -> str:
    pair = OBSERVATION_STATUS.get(code)
    return code if pair is None else pair[1 if lang == "en" else 0]


def _t(model: ReportModel, zh: str, en: str) -> str:
    return model.t(zh, en)


def _names(model: ReportModel) -> dict[str, str]:
    """Indicator id → name in the report's language (the other indicator of a relative target)."""
    return {b.id: b.name(model.lang) for b in model.indicators}


def indicator_table(model: ReportModel) -> Table:
    lang = model.lang
    rows: list[list[Cell]] = []
    for b in model.indicators:
        latest = b.latest

        def num(v: float) -> str:
            return vocab.number(v, b.ind.unit, b.id)  # noqa: B023 - used at once, in this iteration

        base = f"{num(b.ind.baseline.value)} ({b.ind.baseline.period})" if b.ind.baseline else "—"
        if b.ind.rebased is not None:  # issue 19: the re-based baseline the assessment uses, and the printed one
            base = f"{num(b.ind.rebased.value)} ({b.ind.rebased.period}); " + _t(model, "原", "printed ") + base
        rows.append([
            b.id, b.name(lang), b.unit(lang), base,
            f"{num(latest.value)} ({latest.period})" if latest else "—",
            f"{num(b.ind.target.value)} ({b.ind.target.period})" if b.ind.target else
            (describe_target(b.ind, _names(model), lang) or "—"),
            b.status_label or vocab.status(None, lang),
            _t(model, "是", "yes") if (b.ind.proxy or any(p.proxy for p in b.series)) else "",
        ])
    return Table("indicators", _t(model, "主要指标一览", "Main indicators"),
                 [_t(model, "编号", "ID"), _t(model, "指标", "Indicator"), _t(model, "单位", "Unit"),
                  _t(model, "基期值", "Baseline"), _t(model, "最新值", "Latest"), _t(model, "目标值", "Target"),
                  _t(model, "状态", "Status"), _t(model, "替代口径", "Proxy")], rows,
                 widths=[0.5, 3.0, 0.9, 1.2, 1.2, 1.2, 1.0, 0.9] if model.lang != "en" else
                 [0.5, 2.6, 1.5, 1.1, 1.2, 1.1, 1.1, 0.6])


def status_table(model: ReportModel) -> Table | None:
    """Every main indicator in one of the status rows, 暂无法评估 included: the counts add up to all of them."""
    if model.status_counts is None:
        return None
    lang = model.lang
    by_status: dict[str, list[str]] = {}
    for b in model.indicators:
        by_status.setdefault(vocab.status_code(b.status), []).append(b.name(lang))
    order = [c for c in vocab.status_order(STATUS_SCHEME) if c in by_status]
    order += sorted(set(by_status) - set(order))
    sep = "; " if lang == "en" else "、"
    rows: list[list[Cell]] = [
        [model.status_labels.get(c) or vocab.status(c, lang), len(by_status[c]), sep.join(by_status[c])]
        for c in order]
    rows.append([_t(model, "合计", "Total"), len(model.indicators), ""])
    return Table("status", _t(model, "指标状态统计", "Indicator status counts"),
                 [_t(model, "状态", "Status"), _t(model, "指标数", "Indicators"), _t(model, "指标", "Which")], rows,
                 widths=[1.2, 0.8, 6.0])


#: Rows of the risk table in the documents (HTML, PDF, DOCX); the workbook keeps every flag.
DOCUMENT_RISK_ROWS = 40
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def risk_table(model: ReportModel, limit: int | None = None) -> Table | None:
    """The risk flags, most severe first, national ones before regional ones.

    With ``limit`` (the documents) the table keeps the first ``limit`` flags and its note says
    how many there are in all and that the workbook lists every one: 31 provinces × 14
    indicators can raise hundreds of flags, which a printed report cannot usefully hold.
    """
    if model.risks is None:
        return None
    from planmon.report.text import with_names

    en = model.lang == "en"
    msg = "message_en" if en else "message_zh"
    records = sorted(model.risks.to_dict("records"),
                     key=lambda r: (_SEVERITY_ORDER.get(str(r.get("severity")), 3), r.get("unit") != "CN",
                                    str(r.get("indicator")), str(r.get("unit"))))
    total = len(records)
    if limit is not None:
        records = records[:limit]

    rows: list[list[Cell]] = [
        [vocab.severity(r.get("severity"), model.lang), r.get("indicator"),
         model.unit_names.get(str(r.get("unit")), r.get("unit")), vocab.rule(r.get("rule"), model.lang, strict=False),
         with_names(str(r.get(msg) or ""), model.unit_names)]
        for r in records
    ]
    note = ""
    if limit is not None and total > limit:
        note = (f"Showing the {limit} most severe of {total} risk flags; the workbook (report.xlsx) lists all."
                if en else f"共 {total} 条风险提示，此处列出最严重的 {limit} 条；完整清单见 Excel 工作簿（report.xlsx）。")
    return Table("risks", _t(model, "风险提示", "Risks"),
                 [_t(model, "等级", "Severity"), _t(model, "指标", "Indicator"), _t(model, "地区/单位", "Unit"),
                  _t(model, "规则", "Rule"), _t(model, "说明", "Explanation")], rows, note=note,
                 widths=[0.6, 0.6, 0.9, 1.3, 5.0])


def ranking_table(model: ReportModel) -> Table | None:
    idx = model.regional.index
    if idx is None:
        return None
    rows: list[list[Cell]] = []
    for r in idx.table.to_dict("records"):
        interval = "—" if pd.isna(r["rank_q05"]) else f"{fmt(r['rank_q05'], 0)}–{fmt(r['rank_q95'], 0)}"
        rows.append([int(r["rank"]), str(r["name"]), round(float(r["score"]), 2), interval])
    return Table("ranking", _t(model, "综合指数排名", "Composite index ranking"),
                 [_t(model, "排名", "Rank"), _t(model, "地区", "Province"), _t(model, "得分", "Score"),
                  _t(model, "排名区间", "Rank interval")], rows)


def strengths_table(model: ReportModel) -> Table | None:
    idx = model.regional.index
    if idx is None or idx.strengths_weaknesses is None:
        return None
    return frame_table("strengths", _t(model, "优势与短板", "Strengths and weaknesses"), idx.strengths_weaknesses,
                       model.lang, model.regional.names)


def matrix_table(model: ReportModel) -> Table | None:
    reg = model.regional
    if reg.period is None or reg.matrix.empty:
        return None
    cols = list(reg.matrix.columns)
    rows: list[list[Cell]] = []
    for code, r in reg.matrix.iterrows():
        rows.append([reg.names.get(str(code), str(code)),
                     *[None if pd.isna(r[c]) else round(float(r[c]), 4) for c in cols]])
    title = _t(model, f"{reg.period}年各省份指标值", f"Provincial values, {reg.period}")
    return Table("provinces", title, [_t(model, "地区", "Province"), *cols], rows,
                 note=_t(model, "空白表示缺失值。", "Blank: missing value."), widths=[1.25] + [1.0] * len(cols))


def items_table(model: ReportModel) -> Table:
    kinds = {"task": ("重大任务", "task"), "project": ("重点工程", "key project"), "action": ("优先行动", "priority action")}
    rows: list[list[Cell]] = []
    for it in model.items:
        ms = "；".join(f"{d}：{x}" for d, x in it.milestones) if model.lang != "en" else \
            "; ".join(f"{d}: {x}" for d, x in it.milestones)
        k = kinds.get(it.kind, (it.kind, it.kind))
        rows.append([it.id, k[1] if model.lang == "en" else k[0], it.title, it.lead or "—", ms or "—"])
    return Table("items", _t(model, "重大任务、重点工程和优先行动", "Tasks, key projects and priority actions"),
                 [_t(model, "编号", "ID"), _t(model, "类别", "Kind"), _t(model, "名称", "Title"),
                  _t(model, "牵头单位", "Lead"), _t(model, "里程碑", "Milestones")], rows,
                 widths=[0.5, 0.9, 2.6, 1.4, 3.6])


def supervision_table(model: ReportModel) -> Table | None:
    """Item, unit, what is owed, since when, severity — in words, in the report's language."""
    sup = model.supervision
    if sup is None:
        return None
    en = model.lang == "en"
    lang = model.lang
    rows: list[list[Cell]] = []
    for r in sup.to_dict("records"):
        unit = model.unit_names.get(str(r.get("unit")), r.get("unit_name_en" if en else "unit_name_zh"))
        days = r.get("days_overdue")
        rows.append([
            f"{r.get('item')} {r.get('item_title_en' if en else 'item_title_zh') or ''}".strip(), _cell(unit),
            _cell(r.get("owed_en" if en else "owed_zh")), _cell(r.get("since")),
            None if days is None or pd.isna(days) else int(days),
            vocab.severity(r.get("severity"), lang) if r.get("severity") else None,
            _cell(r.get("suggested_en" if en else "suggested_zh")),
        ])
    heads = ["item", "unit", "owed", "since", "days_overdue", "severity", "suggested"]
    return Table("supervision", _t(model, "督办清单", "Supervision list"), vocab.headers(heads, lang), rows,
                 widths=[2.2, 1.2, 3.4, 1.0, 0.7, 0.6, 2.4])


# Column names of the frames other modules return, as a reader should see them.
HEADERS = {
    "uCode": ("地区", "Province"), "strengths": ("优势", "Strengths"), "weaknesses": ("短板", "Weaknesses"),
    "item": ("编号", "Item"), "item_title_zh": ("事项", "Item"), "item_title_en": ("事项", "Item"),
    "unit_name_zh": ("单位", "Unit"), "owed_zh": ("应交内容", "Owed"), "owed_en": ("应交内容", "Owed"),
    "since": ("应交日期", "Due since"), "days_overdue": ("逾期天数", "Days overdue"), "severity": ("等级", "Severity"),
    "suggested_zh": ("建议措施", "Suggested action"), "suggested_en": ("建议措施", "Suggested action"),
    "indicator": ("指标", "Indicator"), "iCode": ("指标", "Indicator"), "rank": ("排名", "Rank"),
    "kind": ("类别", "Kind"), "unit": ("单位", "Unit"),
}


def frame_table(key: str, title: str, df: pd.DataFrame, lang: str = "zh",
                names: dict[str, str] | None = None) -> Table:
    """A frame from another module as a table: known columns named for the reader, region codes as names."""
    rows: list[list[Cell]] = []
    for r in df.to_dict("records"):
        row = []
        for c, v in r.items():
            if c == "uCode" and names is not None:
                v = names.get(str(v), v)
            row.append(_cell(v))
        rows.append(row)
    headers = [HEADERS[str(c)][1 if lang == "en" else 0] if str(c) in HEADERS else str(c) for c in df.columns]
    return Table(key, title, headers, rows)


def _cell(v: Any) -> Cell:
    v = jsonable(v)  # numpy scalars → Python, NaN → None (the one converter)
    if isinstance(v, bool):
        return str(v)
    if v is None or isinstance(v, int | float | str):
        return v
    return str(v)


def appendix_table(model: ReportModel, national_only: bool) -> Table:
    df = model.data_appendix
    if national_only:
        df = df[df["unit"] == NATION]
    cols = ["indicator", "unit", "period", "value", "status", "source", "note"]
    rows: list[list[Cell]] = [[_cell(r[c]) for c in cols] for r in df[cols].to_dict("records")]
    for row in rows:
        row[1] = model.unit_names.get(str(row[1]), row[1])
        row[4] = status_label(str(row[4]), model.lang)
        row[5] = citation(str(row[5] or ""), model.lang) or None  # publisher and document, not the working note
        row[6] = working_note_free(str(row[6] or "")) or None
    title = _t(model, "数据附录：全国数值及来源", "Data appendix: national values and sources") if national_only else \
        _t(model, "数据附录：全部观测值", "Data appendix: all observations")
    note = _t(model, "全部省级数据见 Excel 工作簿。", "All provincial values are in the Excel workbook.") \
        if national_only else ""
    return Table("data", title, [_t(model, "指标", "Indicator"), _t(model, "单位", "Unit"), _t(model, "期", "Period"),
                                 _t(model, "数值", "Value"), _t(model, "状态", "Status"), _t(model, "来源", "Source"),
                                 _t(model, "备注", "Note")], rows, note=note,
                 widths=[0.6, 0.6, 0.9, 0.8, 0.9, 4.2, 2.0], digits=4)
