"""The Excel workbook: every table of the report, one sheet each, plus all observations.

Formula-injection safe: a text cell that begins with ``= + - @`` or a control
character is written with a leading apostrophe and as text, so a spreadsheet
never evaluates it. Deterministic: fixed document dates and zip entry times.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from planmon.report import tables
from planmon.report.model import ReportModel
from planmon.report.reproducible import normalise_zip, report_datetime
from planmon.report.tables import Cell, Table
from planmon.report.text import illustrative_banner, summary
from planmon.spreadsheet import SHEET_TRIGGERS, neutralise, write_sheet

DANGEROUS = SHEET_TRIGGERS  # the report's free text may also start with a line break


def safe(v: Cell) -> Cell:
    """A cell value that no spreadsheet will run as a formula."""
    out: Cell = neutralise(v, DANGEROUS)
    return out


def _write(ws: Worksheet, tab: Table) -> None:
    """The table on its sheet through the one sheet writer (:func:`planmon.spreadsheet.write_sheet`)."""
    write_sheet(ws, tab.headers, tab.rows, tab.note)


#: Sheet names of a Chinese workbook (an English one keeps the short English keys). At most 31 characters.
SHEETS_ZH = {
    "indicators": "主要指标", "status": "状态统计", "risks": "风险提示", "ranking": "综合指数排名",
    "strengths": "优势与短板", "provinces": "分省数值", "items": "任务工程行动", "supervision": "督办清单",
    "data": "全部数据", "spec": "评估设定",
}


def sheet_name(model: ReportModel, key: str) -> str:
    """The sheet of table ``key`` in the report's language."""
    return key if model.lang == "en" else SHEETS_ZH.get(key, key)


def spec_table(model: ReportModel) -> Table | None:
    """The composite index's full spec, key by key (the appendix describes it in words)."""
    from planmon.report.methodology import _flatten
    from planmon.report.model import spec_dict

    idx = model.regional.index
    if idx is None:
        return None
    rows: list[list[Cell]] = [[k, v] for k, v in (line.split(": ", 1) for line in _flatten(spec_dict(idx.spec)))]
    return Table("spec", model.t("综合指数完整设定（可据此复算）", "Composite index: the full spec (for a re-run)"),
                 [model.t("设定项", "Key"), model.t("取值", "Value")], rows)


def workbook_tables(model: ReportModel) -> list[Table]:
    candidates = [
        tables.indicator_table(model), tables.status_table(model), tables.risk_table(model),
        tables.ranking_table(model), tables.strengths_table(model), tables.matrix_table(model),
        tables.items_table(model), tables.supervision_table(model), tables.appendix_table(model, national_only=False),
        spec_table(model),
    ]
    return [t for t in candidates if t is not None]


def render_xlsx(model: ReportModel) -> bytes:
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = model.t("说明", "about")
    lines = [model.t(f"规划实施情况报告（截至{model.as_of}）", f"Plan implementation report (as of {model.as_of})"),
             model.plan_title, *summary(model)]
    if model.illustrative:
        lines.insert(1, illustrative_banner(model.lang))
    lines += [f"data hash: {model.data_hash}", f"spec hash: {model.spec_hash}"]
    for i, line in enumerate(lines, start=1):
        about.cell(i, 1, safe(line)).alignment = Alignment(wrap_text=False)
    about.cell(1, 1).font = Font(bold=True, size=14)
    if model.illustrative:
        about.cell(2, 1).font = Font(bold=True, color="B03A2E")
    about.column_dimensions["A"].width = 120
    tabs = workbook_tables(model)
    row = len(lines) + 2
    about.cell(row, 1, model.t("工作表", "Sheets")).font = Font(bold=True)
    for i, tab in enumerate(tabs, start=row + 1):
        about.cell(i, 1, safe(f"{sheet_name(model, tab.key)}: {tab.title}"))
    for tab in tabs:
        _write(wb.create_sheet(sheet_name(model, tab.key)), tab)
    when = report_datetime(model.as_of)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "planmon"
    wb.properties.title = lines[0]
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), when)
