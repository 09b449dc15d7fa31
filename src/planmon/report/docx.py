"""The Word document: headings, generated text, tables and PNG charts, for the office to edit.

No varying timestamps: the core properties' created/modified dates come from the
data (end of the as-of year), the revision is 1, and zip entry times are fixed.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from planmon.report import tables
from planmon.report.html import MISSING, indicator_png, map_caption, map_png, ranking_png, report_title, section_titles
from planmon.report.model import ReportModel
from planmon.report.reproducible import normalise_zip, report_datetime
from planmon.report.tables import Table
from planmon.report.text import (
    comparison_note,
    definition_note,
    fmt,
    illustrative_banner,
    indicator_sentence,
    no_data_caption,
    regional_sentence,
    risk_lines,
    sources,
    summary,
)

EAST_ASIA_FONT = "SimSun"  # 宋体: present on every Chinese-language Windows


def _fonts(doc: DocxDocument) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Caption"):
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)


def _table(doc: DocxDocument, tab: Table | None, font_size: float = 8) -> None:
    if tab is None:
        return
    doc.add_paragraph(tab.title, style="Caption")
    t = doc.add_table(rows=1, cols=len(tab.headers))
    t.style = "Table Grid"
    for j, h in enumerate(tab.headers):
        t.rows[0].cells[j].text = h
    for row in tab.rows:
        cells = t.add_row().cells
        for j, v in enumerate(row):
            cells[j].text = "" if v is None else (fmt(float(v), tab.digits) if isinstance(v, float) else str(v))
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(font_size)
    if tab.note:
        doc.add_paragraph(tab.note)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay the pages out."""
    run = paragraph.add_run()
    for tag, attrs, text in (("w:fldChar", {"w:fldCharType": "begin"}, None),
                             ("w:instrText", {"xml:space": "preserve"}, f" {instruction} "),
                             ("w:fldChar", {"w:fldCharType": "separate"}, None),
                             ("w:t", {}, "1"),
                             ("w:fldChar", {"w:fldCharType": "end"}, None)):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if text is not None:
            el.text = text
        run._r.append(el)


def _header_footer(sec: Any, model: ReportModel) -> None:
    """Header: the report's title and, for the demo, 示意数据; footer: page X / Y."""
    head = sec.header.paragraphs[0]
    head.text = report_title(model)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if model.illustrative:
        mark = head.add_run(model.t("　　示意数据", "   illustrative data (示意数据)"))
        mark.bold = True
        mark.font.color.rgb = RGBColor(0xB0, 0x3A, 0x2E)
    for run in head.runs:
        run.font.size = Pt(8)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run(model.t("第 ", "Page "))
    _field(foot, "PAGE")
    foot.add_run(" / ")
    _field(foot, "NUMPAGES")
    foot.add_run(model.t(" 页", ""))
    for run in foot.runs:
        run.font.size = Pt(8)


def _png(doc: DocxDocument, png: bytes | None, width_cm: float) -> None:
    if png is not None:
        doc.add_picture(io.BytesIO(png), width=Cm(width_cm))


def _indicator_sections(doc: DocxDocument, model: ReportModel) -> None:
    """One section per main indicator: sentence, chart (with a caption when it has no actual value), sources."""
    lang = model.lang
    for b in model.indicators:
        doc.add_heading(f"{b.id} {b.name(lang)}", level=2)
        doc.add_paragraph(indicator_sentence(b, lang))
        _png(doc, indicator_png(model, b), 14)
        empty = no_data_caption(b, lang)
        if empty:
            doc.add_paragraph(empty, style="Caption")
        note = definition_note(b, lang)
        small = doc.add_paragraph(model.t("来源：", "Source: ") + sources(b, lang)
                                  + (model.t("\n口径说明：", "\nDefinition note: ") + note if note else ""))
        for run in small.runs:
            run.font.size = Pt(7.5)


def render_docx(model: ReportModel) -> bytes:
    lang = model.lang
    doc = Document()
    _fonts(doc)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    _header_footer(sec, model)
    titles = dict(section_titles(model))
    doc.add_heading(report_title(model), level=0)
    doc.add_paragraph(model.t(f"{model.plan_title}（{model.plan_period[0]}–{model.plan_period[1]}）",
                              f"{model.plan_title} ({model.plan_period[0]}–{model.plan_period[1]})"))
    if model.illustrative:
        run = doc.add_paragraph().add_run(illustrative_banner(lang))
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x3A, 0x2E)

    doc.add_heading(titles["summary"], level=1)
    for p in summary(model):
        doc.add_paragraph(p)
    if model.status_counts is None:
        doc.add_paragraph(MISSING["monitor"][lang == "en"])
    _table(doc, tables.status_table(model), 9)
    for r in risk_lines(model.risks, lang, model.unit_names)[:5]:
        doc.add_paragraph(r, style="List Bullet")

    doc.add_heading(titles["indicators"], level=1)
    _table(doc, tables.indicator_table(model))
    _indicator_sections(doc, model)

    doc.add_heading(titles["regional"], level=1)
    sentence = regional_sentence(model)
    if sentence:
        doc.add_paragraph(sentence)
    note = comparison_note(model)
    if note:
        doc.add_paragraph(note)
    layer = model.regional.default_layer
    if layer is not None:
        _png(doc, map_png(model), 14)
        doc.add_paragraph(f"{map_caption(model)} {model.t('着色：', 'Colour: ')}{layer.title}", style="Caption")
    _png(doc, ranking_png(model), 14)
    _table(doc, tables.ranking_table(model))
    _table(doc, tables.strengths_table(model))
    _table(doc, tables.matrix_table(model), 6.5)

    doc.add_heading(titles["items"], level=1)
    _table(doc, tables.items_table(model))
    sup = tables.supervision_table(model)
    if sup is None:
        doc.add_paragraph(MISSING["supervise"][lang == "en"])
    _table(doc, sup)

    doc.add_heading(titles["risks"], level=1)
    risk = tables.risk_table(model, limit=tables.DOCUMENT_RISK_ROWS)
    if risk is None:
        doc.add_paragraph(MISSING["monitor"][lang == "en"])
    _table(doc, risk)

    _pilots(doc, model, titles["pilots"])

    doc.add_heading(titles["methodology"], level=1)
    for method in model.methodology:
        doc.add_heading(method.title, level=2)
        for line in method.lines:
            doc.add_paragraph(line)
        if getattr(method, "rows", None):
            _table(doc, Table("choices", "", [model.t("步骤", "Step"), model.t("选择", "Choice")],
                              [list(r) for r in method.rows]), 8)
    doc.add_heading(titles["data"], level=1)
    _table(doc, tables.appendix_table(model, national_only=True), 7)

    when = report_datetime(model.as_of)
    cp = doc.core_properties
    cp.created = cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.author = cp.last_modified_by = "planmon"
    cp.title = report_title(model)
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue(), when)


def _pilots(doc: Any, model: ReportModel, title: str) -> None:
    """The pilots and duplicated-construction section (issue 17), when the store has one."""
    if model.pilots is None:
        return
    doc.add_heading(title, level=1)
    for para in model.pilots.paragraphs:
        doc.add_paragraph(para)
    for tab in model.pilots.tables:
        _table(doc, tab)
