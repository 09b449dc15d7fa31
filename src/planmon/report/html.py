"""The HTML report: one self-contained file (ECharts inlined, no network), and its print variant for the PDF.

``render_html(model)`` gives the interactive page; ``render_html(model, static=True)``
the page WeasyPrint prints: the same text and tables, with the server-side SVG charts
in place of the scripts (a PDF cannot run JavaScript). Output is deterministic: no
clock, no random ids, JSON with sorted keys.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from planmon.report import charts, tables
from planmon.report.echarts import dumps, echarts_js, indicator_option, map_payload
from planmon.report.fonts import cjk_font_path, font_face_css
from planmon.report.model import IndicatorBlock, ReportModel
from planmon.report.tables import Table
from planmon.report.text import (
    comparison_note,
    definition_note,
    fmt,
    illustrative_banner,
    indicator_sentence,
    no_data_caption,
    period_label,
    regional_sentence,
    risk_lines,
    sources,
    summary,
)

TEMPLATES = Path(__file__).parent / "templates"
MISSING = {  # what an empty section says (the data, not a missing module, make a section empty)
    "monitor": ("截至报告期没有可评估的指标数值。", "No indicator values to assess as of the report period."),
    "supervise": ("截至报告期没有需要督办的事项。", "Nothing to supervise as of the report period."),
}


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                       keep_trailing_newline=True)


def section_titles(model: ReportModel) -> list[tuple[str, str]]:
    t = model.t
    return [
        ("summary", t("一、总体情况", "1. Summary")),
        ("indicators", t("二、主要指标", "2. Main indicators")),
        ("regional", t("三、地区评估", "3. Regional evaluation")),
        ("items", t("四、重大任务、重点工程和优先行动", "4. Tasks, key projects and priority actions")),
        ("risks", t("五、风险提示", "5. Risks")),
        ("pilots", t("六、试点示范与重复建设", "6. Pilots and duplicated construction")),
        ("methodology", t("附录一 方法说明", "Appendix A. Methodology")),
        ("data", t("附录二 数据", "Appendix B. Data")),
    ]


def report_title(model: ReportModel) -> str:
    return model.t(f"规划实施情况报告（截至{period_label(model.as_of, 'zh')}）",
                   f"Plan implementation report (as of {model.as_of})")


def render_table(tab: Table | None) -> Markup:
    if tab is None:
        return Markup("")
    out = [f"<table id=\"t-{escape(tab.key)}\" class=\"t-{escape(tab.key)}\"><caption>{escape(tab.title)}</caption>"]
    if tab.widths:
        total = sum(tab.widths)
        out.append("<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in tab.widths)
                   + "</colgroup>")
    out.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in tab.headers) + "</tr></thead><tbody>")
    for row in tab.rows:
        cells = []
        for v in row:
            if isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(f'<td class="num">{escape(fmt(float(v), tab.digits) if isinstance(v, float) else str(v))}</td>')
            else:
                cells.append(f"<td>{escape('' if v is None else str(v))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if tab.note:
        out.append(f'<p class="caption">{escape(tab.note)}</p>')
    return Markup("".join(out))


def map_caption(model: ReportModel) -> str:
    if model.boundary is not None:
        if model.approval_no:
            return model.t(f"审图号：{model.approval_no}", f"Map approval number: {model.approval_no}")
        internal = model.boundary.get("internal_use_only")
        return str(internal) if internal else model.t("边界文件由本单位提供。", "Boundary file supplied by the office.")
    return model.t("方格示意图：每个省级行政区一格，位置近似，不表示行政区划边界。",
                   "Tile grid: one cell per provincial-level division at its approximate place; no borders shown.")


def map_png(model: ReportModel) -> bytes | None:
    layer = model.regional.default_layer
    if layer is None:
        return None
    boundary = model.boundary
    if boundary is not None:
        return charts.cached_png(model, "map", lambda: charts.boundary_map(layer, boundary, map_caption(model)))
    return charts.cached_png(model, "map", lambda: charts.tile_map(layer, model.lang))


def indicator_png(model: ReportModel, block: IndicatorBlock) -> bytes:
    return charts.cached_png(model, f"ind-{block.id}", lambda: charts.indicator_chart(block, model.lang))


def ranking_png(model: ReportModel) -> bytes | None:
    idx = model.regional.index
    if idx is None:
        return None
    return charts.cached_png(model, "ranking", lambda: charts.ranking_chart(idx.table, model.lang))


def static_map_svg(model: ReportModel) -> Markup | str:
    png = map_png(model)
    layer = model.regional.default_layer
    return png_img(png, layer.title) if png is not None and layer is not None else ""


def png_img(png: bytes, alt: str) -> Markup:
    """A chart as an inline PNG image (WeasyPrint draws these far faster than SVG)."""
    data = base64.b64encode(png).decode("ascii")
    return Markup(f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">')


def context(model: ReportModel, static: bool) -> dict[str, Any]:
    lang = model.lang
    blocks = []
    for b in model.indicators:
        entry = {
            "id": b.id, "name": b.name(lang), "sentence": indicator_sentence(b, lang),
            "source": sources(b, lang), "proxy_note": definition_note(b, lang),
            "no_data": no_data_caption(b, lang),
        }
        if static:
            entry["svg"] = png_img(indicator_png(model, b), b.name(lang))
        else:
            entry["option"] = dumps(indicator_option(b, lang))
        blocks.append(entry)
    payload = map_payload(model)
    layer = model.regional.default_layer
    ranking = tables.ranking_table(model)
    ctx: dict[str, Any] = {
        "m": model, "static": static, "t": model.t, "title": report_title(model),
        "sections": section_titles(model), "summary": summary(model),
        "banner": illustrative_banner(lang),
        "banner_short": model.t("示意数据 illustrative data", "illustrative data 示意数据"),
        "status": tables.status_table(model), "risks_top": risk_lines(model.risks, lang, model.unit_names)[:5],
        "indicators": tables.indicator_table(model), "blocks": blocks, "pilots_html": _pilots_html(model),
        "regional_sentence": regional_sentence(model), "comparison_note": comparison_note(model),
        "map_payload": payload,
        "map_caption": map_caption(model) + (
            f" {model.t('着色：', 'Colour: ')}{layer.title}" if static and layer is not None else ""),
        "ranking": ranking, "strengths": tables.strengths_table(model), "matrix": tables.matrix_table(model),
        "items": tables.items_table(model), "supervision": tables.supervision_table(model),
        "risk_table": tables.risk_table(model, limit=tables.DOCUMENT_RISK_ROWS),
        "appendix": tables.appendix_table(model, national_only=static),
        "table": render_table,
        "missing_note": lambda key: MISSING[key][1 if lang == "en" else 0],
    }
    if static:
        ctx["font_url"] = cjk_font_path().as_uri()
        ctx["map_svg"] = static_map_svg(model) if payload else ""
        rpng = ranking_png(model)
        ctx["ranking_svg"] = png_img(rpng, "ranking") if rpng is not None else ""
    else:
        ctx["echarts_js"] = echarts_js()
        ctx["map_json"] = dumps(payload) if payload else ""
    return ctx


FONT_SLOT = "/*planmon-font*/"


def render_html(model: ReportModel, static: bool = False) -> str:
    """The report as one HTML document (``static``: the print variant with PNG charts, for the PDF).

    The interactive page embeds a subset of the shipped CJK font holding exactly the
    characters of the page, so it reads the same on a machine without a Chinese font.
    """
    ctx = context(model, static)
    html = _env().get_template("report.html").render(**ctx)
    if static:
        return html
    own_text = html.replace(ctx["echarts_js"], "")
    return html.replace(FONT_SLOT, font_face_css(own_text), 1)


def _pilots_html(model: ReportModel) -> Markup:
    """The pilots section's paragraphs and tables (issue 17); empty when the section is absent."""
    sec = model.pilots
    if sec is None:
        return Markup("")
    return Markup("".join(f"<p>{escape(p)}</p>" for p in sec.paragraphs)) + Markup("").join(
        render_table(tab) for tab in sec.tables)
