"""The evaluation report (``planmon report --kind final`` / ``--kind midterm``) in four formats.

The document is assembled once as a list of blocks (headings, paragraphs, tables, figures,
notes) from one :class:`planmon.evaluate.Evaluation`; HTML, PDF (WeasyPrint on the HTML), Word
and Excel render the same blocks, so the four files say the same thing. National figures are
the stored, sourced values; provincial figures, when they are the generated demo set, are
labelled illustrative (示意数据) on the page where they appear.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planmon.evaluate import Evaluation
from planmon.evaluate.completion import COMPLETION
from planmon.evaluate.form_outcomes import achieved_text
from planmon.evaluate.summary import GENERATED_MARK
from planmon.monitor.qualitative import form_words
from planmon.quality import format_number, quality_label
from planmon.spreadsheet import neutralise


@dataclass
class Block:
    kind: str  # h1 | h2 | p | note | generated | table | figure | warning
    text: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    png: bytes = b""
    svg: str = ""


@dataclass
class EvalDocument:
    lang: str
    title: str
    subtitle: str
    blocks: list[Block]
    sheets: dict[str, tuple[list[str], list[list[Any]]]]  # the Excel workbook's data sheets

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh


def _s(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _pct(v: Any, quality: Any = "quoted") -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    prefix = {"lower-bound": "> ", "approx": "≈ "}.get(quality if isinstance(quality, str) else "", "")
    return f"{prefix}{float(v):.1f}%"


def _num(v: Any) -> str:
    return "—" if v is None or (isinstance(v, float) and v != v) else format_number(float(v))


def _target_cell(r: dict[Any, Any], en: bool) -> str:
    """The target as the plan prints it ("<5.5", "〔13.5〕", ">7") for a target that is not a level."""
    text = r.get("target_text_en" if en else "target_text_zh") or r.get("target_text_zh")
    if str(r.get("target_form") or "level") != "level" and text:
        return str(text)
    return _num(r["target"])


def _end_cell(r: dict[Any, Any], en: bool) -> str:
    """The end value; for a growth or cumulative target, the achieved average rate or change beside it."""
    shown = str(r["display_en"] if en else r["display_zh"])
    form = str(r.get("target_form") or "level")
    if form in ("annual_growth", "cumulative_change"):
        return achieved_text(r, "en" if en else "zh", str(r.get("unit_en" if en else "unit_label") or ""))
    if form == "qualitative" and r.get("office_status"):
        return str(r.get("office_status_en" if en else "office_status_zh") or shown)
    return shown


def _citation(src: Any) -> str:
    return _s(src)


def build_document(ev: Evaluation, lang: str = "zh", illustrative_regions: bool = False,
                   continuity: list[dict[str, Any]] | None = None) -> EvalDocument:
    """The report's blocks for one evaluation (``continuity``: series that run into the next plan)."""
    from planmon.report.charts import to_png, to_svg
    from planmon.report.final_charts import continuity_chart, outcome_chart

    en = lang == "en"

    def t(zh: str, e: str) -> str:
        return e if en else zh

    final = ev.kind == "final"
    plan_title = ev.plan_title_en if en else ev.plan_title_zh
    title = (t(f"{plan_title}实施情况总结评估报告", f"{plan_title}: final evaluation") if final
             else t(f"{plan_title}实施情况中期评估报告", f"{plan_title}: mid-term evaluation"))
    subtitle = t(f"规划期 {ev.period_start}—{ev.period_end}；评估年份 {ev.as_of}；评估日期 {ev.evaluated_on}；框架版本 {ev.framework_version}",
                 f"Plan period {ev.period_start}–{ev.period_end}; evaluated as of {ev.as_of} on {ev.evaluated_on}; "
                 f"framework version {ev.framework_version}")
    b: list[Block] = []
    b.append(Block("note", t("全国数据为公开发布的实际数值，逐项注明出处与数据性质（引用 / 下限“>” / 约数“≈” / 转引 / 推算）。",
                             "National figures are published values, each with its source and quality (quoted / "
                             "lower bound '>' / approximate '≈' / in translation / derived).")))

    # 1. summary in words
    b.append(Block("h1", t("一、总体评价", "1. Overall assessment")))
    b.append(Block("note", GENERATED_MARK[1 if en else 0]))
    b.append(Block("generated", ev.summary(lang)))

    # 2. indicators
    d = ev.indicators
    b.append(Block("h1", t("二、主要指标完成情况", "2. Main indicators")))
    office_n = ev.counts.get("office", 0)
    b.append(Block("p", t(f"{len(d)}项主要指标：已实现{ev.counts['reached']}项，基本实现{ev.counts['about_reached']}项，"
                          f"未实现{ev.counts['not_reached']}项，无法判断{ev.counts['cannot_judge']}项"
                          + (f"，由规划办认定{office_n}项。" if office_n else "。"),
                          f"{len(d)} main indicators: {ev.counts['reached']} reached, {ev.counts['about_reached']} about "
                          f"reached, {ev.counts['not_reached']} not reached, {ev.counts['cannot_judge']} cannot be judged"
                          + (f", {office_n} rated by the planning office." if office_n else "."))))
    headers = [t("编号", "id"), t("指标", "indicator"), t("单位", "unit"), t("属性", "attribute"), t("基期值", "baseline"),
               t("目标值", "target"), t("期末值", "end value"), t("年份", "year"), t("结果", "outcome"),
               t("占目标", "% of target"), t("占规划增量", "% of planned change"), t("首次达到", "first reached")]
    attr = {"expected": t("预期性", "expected"), "binding": t("约束性", "binding"), "unknown": t("未明确", "not stated")}
    rows = []
    for r in d.to_dict("records"):
        name = (r["name_en"] if en else r["name_zh"]) + (t("（推断）", " (inferred)") if r["inferred"] else "")
        rows.append([r["indicator"], name, r["unit_en"] if en else r["unit_label"], attr.get(r["attribute"], ""),
                     _num(r["baseline"]), _target_cell(r, en), _end_cell(r, en), _s(r["period"]),
                     r["outcome_en"] if en else r["outcome_zh"], _pct(r["pct_of_target"], r["quality"]),
                     _pct(r["pct_of_planned_change"], r["quality"]), _s(r["first_reached"])])
    b.append(Block("table", t("表1  主要指标期末完成情况", "Table 1  Main indicators at the end of the period"),
                   headers, rows))
    b.append(Block("note", ev.rules["outcome"][1 if en else 0]))
    forms = d[d["target_form"].fillna("level") != "level"] if "target_form" in d else d.iloc[0:0]
    if len(forms):  # bounds, growth rates, changes over the period, relations, qualitative: how each was judged
        b.append(Block("table", t("表1-1  按目标形式判断的指标", "Table 1a  Indicators judged by their target form"),
                       [t("编号", "id"), t("指标", "indicator"), t("目标形式", "target form"), t("目标", "target"),
                        t("实际", "achieved"), t("结果", "outcome"), t("判断依据", "why")],
                       [[r["indicator"], r["name_en"] if en else r["name_zh"], form_words(str(r["target_form"]), lang),
                         _target_cell(r, en), _end_cell(r, en), r["outcome_en"] if en else r["outcome_zh"],
                         r["reason_en"] if en else r["reason_zh"]] for r in forms.to_dict("records")]))
    if d["pct_of_target"].notna().any():
        fig = outcome_chart(d, lang)
        b.append(Block("figure", t("图1  期末值占目标值的百分比", "Figure 1  End value as % of target"),
                       png=to_png(fig), svg=to_svg(outcome_chart(d, lang))))
    unknown = d[d["outcome"] == "cannot_judge"]
    if len(unknown):
        b.append(Block("h2", t("无法判断的指标及原因", "Indicators that cannot be judged, and why")))
        b.append(Block("table", t("表2  无法判断的指标", "Table 2  Indicators that cannot be judged"),
                       [t("编号", "id"), t("指标", "indicator"), t("原因", "reason")],
                       [[r["indicator"], r["name_en"] if en else r["name_zh"], r["reason_en"] if en else r["reason_zh"]]
                        for r in unknown.to_dict("records")]))

    # sources
    src_rows = [[r["indicator"], _s(r["period"]), r["display_en"] if en else r["display_zh"],
                 quality_label(_s(r["quality"]) or "quoted", lang), _citation(r["source"])]
                for r in d.to_dict("records") if _s(r["period"])]
    b.append(Block("table", t("表3  期末值的出处", "Table 3  Sources of the end values"),
                   [t("编号", "id"), t("年份", "year"), t("数值", "value"), t("数据性质", "quality"), t("出处", "source")],
                   src_rows))

    # proxies and candidates
    o = ev.others
    if len(o):
        b.append(Block("h2", t("替代序列与候选指标（不计入主要指标）", "Proxy series and candidate indicators (not counted)")))
        b.append(Block("table", t("表4  替代序列与候选指标", "Table 4  Proxy series and candidates"),
                       [t("编号", "id"), t("名称", "name"), t("性质", "role"), t("最新值", "latest"), t("年份", "year"),
                        t("说明", "note")],
                       [[r["indicator"], r["name_en"] if en else r["name_zh"],
                         {"proxy": t("替代序列", "proxy series"), "candidate": t("候选指标（未经确认）", "candidate (unconfirmed)")}
                         .get(r["role"], r["role"]), r["display_en"] if en else r["display_zh"], _s(r["period"]),
                         (t(f"{r['proxy_of']}的替代口径，不对照目标评估", f"another basis than {r['proxy_of']}; never assessed against its target")
                          if r["role"] == "proxy" else
                          t("目标未经确认，仅供参考", "target unconfirmed; for reference only"))]
                        for r in o.to_dict("records")]))

    # 3. mid-term vs final
    if final:
        b.append(Block("h1", t("三、与中期评估的比较", "3. Compared with the mid-term")))
        b.append(Block("p", ev.rules["midterm"][1 if en else 0]))
        b.append(Block("table", t("表5  中期状态（2023年末）与期末结果", "Table 5  Mid-term status (end of 2023) and final outcome"),
                       [t("编号", "id"), t("指标", "indicator"), t("中期数值", "mid-term value"), t("中期状态", "mid-term status"),
                        t("期末结果", "final outcome")],
                       [[r["indicator"], r["name_en"] if en else r["name_zh"],
                         "" if r["midterm_value"] != r["midterm_value"] or r["midterm_value"] is None
                         else f"{format_number(float(r['midterm_value']))}（{_s(r['midterm_period'])}）",
                         r["midterm_label_en"] if en else r["midterm_label_zh"], r["outcome_en"] if en else r["outcome_zh"]]
                        for r in d.to_dict("records")]))

    # 4. tasks, projects, actions
    items = ev.items
    b.append(Block("h1", t("四、重大任务、重点工程和优先行动完成情况", "4. Tasks, key projects and priority actions")))
    b.append(Block("p", ev.rules["completion"][1 if en else 0]))
    kinds = {"task": t("重大任务", "task"), "project": t("重点工程", "key project"), "action": t("优先行动", "priority action")}
    counts = ", ".join(f"{kinds[k]}: " + "、".join(f"{COMPLETION[c][1 if en else 0]} {n}" for c, n in v.items())
                       for k, v in ev.item_counts.items())
    b.append(Block("p", counts))
    b.append(Block("table", t("表6  完成情况", "Table 6  Completion"),
                   [t("类型", "kind"), t("序号", "no."), t("名称", "title"), t("完成情况", "completion"),
                    t("报告单位数", "reporting units"), t("最新报告期", "latest period")],
                   [[kinds[r["kind"]], r["number"] or r["id"], r["title_en"] if en else r["title_zh"],
                     r["completion_en"] if en else r["completion_zh"], str(r["units"]), _s(r["latest_period"])]
                    for r in items.to_dict("records")]))

    # 5. regions
    reg = ev.regional
    b.append(Block("h1", t("五、地区完成情况", "5. Regions")))
    if illustrative_regions:
        b.append(Block("warning", t("以下省级数据为系统生成的示意数据，不是真实统计数据，仅用于演示评估方法。",
                                    "The provincial figures below are generated illustrative data, not real statistics; "
                                    "they only demonstrate the method.")))
    if reg.empty:
        b.append(Block("p", t("尚无省级数据。", "No provincial data is stored.")))
    else:
        b.append(Block("p", t("各地区按各指标声明的比较基准评估：比率类指标对照全国目标，总量类指标按全国目标要求的增速"
                              "（或地区自身目标）折算，详见方法说明。",
                              "Each region is judged on the basis declared for each indicator: rates against the "
                              "national target, totals at the national target's pace (or the region's own target).")))
        judged = reg[reg["outcome"] != "cannot_judge"]
        pivot = judged.pivot_table(index="indicator", columns="outcome", values="unit", aggfunc="count", fill_value=0)
        names = {r["indicator"]: (r["name_en"] if en else r["name_zh"]) for r in d.to_dict("records")}
        rows = []
        for ind, prow in pivot.iterrows():
            rows.append([str(ind), names.get(str(ind), str(ind)),
                         str(int(prow.get("reached", 0)) + int(prow.get("about_reached", 0))),
                         str(int(prow.get("not_reached", 0)))])
        b.append(Block("table", t("表7  各指标实现目标的地区数", "Table 7  Regions reaching the target, by indicator"),
                       [t("编号", "id"), t("指标", "indicator"), t("已实现（含基本实现）", "reached (incl. about)"),
                        t("未实现", "not reached")], rows))

    # 6. continuity into the next plan
    for k, s in enumerate(continuity or []):
        if k == 0:
            b.append(Block("h1", t("六、与下一期规划的衔接", "6. Into the next plan")))
        fig = continuity_chart(s, lang)
        base = s.get("baseline") or {}
        b.append(Block("figure", t(f"图{2 + k}  {s['name_zh']}：两期规划的实际值与目标",
                                   f"Figure {2 + k}  {s['name_en']}: actuals and both plans' targets"),
                       png=to_png(fig), svg=to_svg(continuity_chart(s, lang))))
        targets = "；".join(f"{tt['plan_title_zh'] if not en else tt['plan_title_en']}：{tt['period']}年 {tt['value']:g}{s['unit']}（{tt['source']}）"
                           for tt in s["targets"])
        b.append(Block("p", t(f"目标：{targets}。下一期规划的基期值取本规划期末值：{base.get('value', '—')}{s['unit']}"
                              f"（{base.get('period', '—')}年，{quality_label(base.get('quality', 'quoted'), 'zh')}，出处：{base.get('source', '—')}）。",
                              f"Targets: {targets}. The next plan's baseline is this plan's end value: {base.get('value', '—')}"
                              f"{s['unit']} ({base.get('period', '—')}, {quality_label(base.get('quality', 'quoted'), 'en')}, "
                              f"source: {base.get('source', '—')}).")))

    sheets = {
        t("主要指标", "indicators"): ([c for c in d.columns if c not in ("display",)],
                                    d.drop(columns=["display"]).astype(object).where(d.drop(columns=["display"]).notna(), None).values.tolist()),
        t("完成情况", "completion"): (list(items.columns), items.astype(object).where(items.notna(), None).values.tolist()),
        t("地区结果", "regions"): (list(reg.columns), reg.astype(object).where(reg.notna(), None).values.tolist()),
    }
    return EvalDocument(lang, title, subtitle, b, sheets)


# ---------------------------------------------------------------- HTML / PDF

CSS = """
body { font-family: "planmon-cjk", "Noto Sans SC", sans-serif; font-size: 10.5pt; color: #222; max-width: 1000px;
       margin: 2em auto; line-height: 1.55; }
h1.title { font-size: 18pt; text-align: center; margin-bottom: 0.2em; }
p.subtitle { text-align: center; color: #555; margin-top: 0; }
h2 { font-size: 13.5pt; border-bottom: 2px solid #1565c0; padding-bottom: 2px; margin-top: 1.4em; }
h3 { font-size: 11.5pt; margin-top: 1em; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.9em; font-size: 9pt; }
th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; }
th { background: #e8eef6; } td.s { white-space: nowrap; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 4px 0; }
.note { color: #555; font-size: 9pt; }
.generated { border-left: 4px solid #f9a825; background: #fffde7; padding: 6px 10px; }
.warning { border: 2px solid #b03a2e; color: #b03a2e; padding: 6px 10px; font-weight: bold; }
figure { margin: 0.6em 0; page-break-inside: avoid; } figcaption { font-weight: bold; font-size: 9.5pt; }
figure svg { width: 100%; height: auto; }
@page { size: A4; margin: 18mm 14mm; @bottom-center { content: counter(page); font-size: 9pt; } }
tr { page-break-inside: avoid; }
@media print { table { font-size: 8pt; } th, td { padding: 2px 3px; overflow-wrap: break-word; } }
"""


def render_html(doc: EvalDocument, static: bool = True) -> str:
    from planmon.report.fonts import font_face_css

    body: list[str] = [f'<h1 class="title">{html.escape(doc.title)}</h1>',
                       f'<p class="subtitle">{html.escape(doc.subtitle)}</p>']
    for blk in doc.blocks:
        e = html.escape(blk.text)
        if blk.kind == "h1":
            body.append(f"<h2>{e}</h2>")
        elif blk.kind == "h2":
            body.append(f"<h3>{e}</h3>")
        elif blk.kind == "p":
            body.append(f"<p>{e}</p>")
        elif blk.kind == "note":
            body.append(f'<p class="note">{e}</p>')
        elif blk.kind == "generated":
            body.append(f'<p class="generated">{e}</p>')
        elif blk.kind == "warning":
            body.append(f'<p class="warning">{e}</p>')
        elif blk.kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in blk.headers)
            rows = "".join("<tr>" + "".join(f'<td{" class=s" if len(c) <= 9 else ""}>{html.escape(c)}</td>' for c in r)
                           + "</tr>" for r in blk.rows)
            body.append(f"<table><caption>{e}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif blk.kind == "figure":
            img = blk.svg if blk.svg and not static else \
                f'<img alt="{e}" style="width:100%" src="data:image/png;base64,{base64.b64encode(blk.png).decode()}">'
            body.append(f"<figure>{img}<figcaption>{e}</figcaption></figure>")
    text = doc.title + doc.subtitle + "".join(b.text + "".join(b.headers) + "".join("".join(r) for r in b.rows)
                                              for b in doc.blocks)
    lang = "en" if doc.lang == "en" else "zh-CN"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(doc.title)}</title>'
            f"<style>{font_face_css(text)}{CSS}</style></head><body>{''.join(body)}</body></html>")


def render_pdf(doc: EvalDocument) -> bytes:
    from weasyprint import HTML

    from planmon.report.pdf import local_only_fetcher

    rendered = HTML(string=render_html(doc, static=True), url_fetcher=local_only_fetcher(),
                    base_url="file:///").render()
    rendered.metadata.created = None
    rendered.metadata.modified = None
    out = rendered.write_pdf()
    assert out is not None
    return bytes(out)


# ---------------------------------------------------------------- Word / Excel


def render_docx(doc: EvalDocument) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    d = Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Caption"):
        rpr = d.styles[name].element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), "SimSun")
    d.styles["Normal"].font.size = Pt(10.5)
    for section in d.sections:
        section.left_margin = section.right_margin = Cm(2)
    title = d.add_heading(doc.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = d.add_paragraph(doc.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for blk in doc.blocks:
        if blk.kind == "h1":
            d.add_heading(blk.text, level=1)
        elif blk.kind == "h2":
            d.add_heading(blk.text, level=2)
        elif blk.kind in ("p", "generated"):
            d.add_paragraph(blk.text)
        elif blk.kind in ("note", "warning"):
            run = d.add_paragraph().add_run(blk.text)
            run.font.size = Pt(9)
            if blk.kind == "warning":
                run.bold = True
                run.font.color.rgb = RGBColor(0xB0, 0x3A, 0x2E)
            else:
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        elif blk.kind == "table":  # the monitoring report's Word table writer (caption, grid, 8 pt)
            from planmon.report.docx import _table
            from planmon.report.table import Table

            _table(d, Table("final", blk.text, list(blk.headers), [list(r) for r in blk.rows]))
        elif blk.kind == "figure":
            d.add_picture(io.BytesIO(blk.png), width=Cm(16))
            d.add_paragraph(blk.text, style="Caption")
    d.core_properties.title = doc.title
    d.core_properties.author = "planmon"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_xlsx(doc: EvalDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = doc.t("报告", "report")
    row = 1
    about.cell(row, 1, neutralise(doc.title)).font = Font(bold=True, size=14)
    row += 1
    about.cell(row, 1, neutralise(doc.subtitle))
    row += 2
    for blk in doc.blocks:
        if blk.kind in ("h1", "h2"):
            about.cell(row, 1, neutralise(blk.text)).font = Font(bold=True, size=12 if blk.kind == "h1" else 11)
            row += 1
        elif blk.kind in ("p", "note", "generated", "warning"):
            c = about.cell(row, 1, neutralise(blk.text))
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if blk.kind == "warning":
                c.font = Font(bold=True, color="B03A2E")
            row += 1
        elif blk.kind == "table":
            about.cell(row, 1, neutralise(blk.text)).font = Font(bold=True)
            row += 1
            for j, h in enumerate(blk.headers, start=1):
                about.cell(row, j, neutralise(h)).font = Font(bold=True)
            row += 1
            for r in blk.rows:
                for j, v in enumerate(r, start=1):
                    about.cell(row, j, neutralise(v))
                row += 1
            row += 1
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 40
    for name, (headers, rows) in doc.sheets.items():
        ws = wb.create_sheet(name[:31])
        for j, h in enumerate(headers, start=1):
            ws.cell(1, j, neutralise(COLUMN_LABELS.get(str(h), (str(h), str(h)))[1 if doc.lang == "en" else 0])).font = \
                Font(bold=True)
            ws.cell(2, j, neutralise(str(h))).font = Font(italic=True, color="888888")  # the field, for scripts
        for i, r in enumerate(rows, start=3):
            for j, v in enumerate(r, start=1):
                if isinstance(v, tuple):  # the years a bound or a relation was not held
                    v = ", ".join(str(x) for x in v)
                if isinstance(v, (list, dict)):
                    v = str(v)
                ws.cell(i, j, neutralise(v))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "indicator": ("指标编号", "indicator"), "unit": ("地区或单位", "unit"), "baseline_period": ("基期", "baseline year"),
    "baseline": ("基期值", "baseline"), "target_period": ("目标年份", "target year"), "target": ("目标值", "target"),
    "direction": ("方向", "direction"), "value": ("期末值", "end value"), "period": ("年份", "year"),
    "quality": ("数据性质", "quality"), "status": ("数据状态", "data status"), "source": ("出处", "source"),
    "proxy": ("替代值", "proxy"), "outcome": ("结果代码", "outcome code"), "reason": ("原因代码", "reason code"),
    "pct_of_target": ("占目标%", "% of target"), "pct_of_planned_change": ("占规划增量%", "% of planned change"),
    "first_reached": ("首次达到", "first reached"), "early": ("提前实现", "early"), "target_basis": ("比较基准", "basis"),
    "name_zh": ("指标名称", "name (zh)"), "name_en": ("英文名称", "name (en)"), "unit_label": ("计量单位", "unit of measure"),
    "unit_en": ("英文计量单位", "unit of measure (en)"), "attribute": ("属性", "attribute"), "role": ("性质", "role"),
    "inferred": ("推断", "inferred"), "display_zh": ("显示值", "shown as"), "display_en": ("英文显示值", "shown as (en)"),
    "midterm_status": ("中期状态代码", "mid-term code"), "midterm_value": ("中期数值", "mid-term value"),
    "midterm_period": ("中期年份", "mid-term year"), "midterm_label_zh": ("中期状态", "mid-term (zh)"),
    "midterm_label_en": ("中期状态（英文）", "mid-term status"), "outcome_zh": ("结果", "outcome (zh)"),
    "outcome_en": ("结果（英文）", "outcome"), "reason_zh": ("原因", "reason (zh)"), "reason_en": ("原因（英文）", "reason"),
    "id": ("编号", "id"), "kind": ("类型", "kind"), "number": ("规划序号", "number"), "title_zh": ("名称", "title (zh)"),
    "title_en": ("英文名称", "title"), "completion": ("完成情况代码", "completion code"), "reports": ("报告数", "reports"),
    "units": ("报告单位数", "reporting units"), "latest_period": ("最新报告期", "latest period"),
    "share_done": ("最低完成比例", "lowest share done"), "completion_zh": ("完成情况", "completion (zh)"),
    "completion_en": ("完成情况（英文）", "completion"),
    "target_form": ("目标形式", "target form"), "target_text_zh": ("目标（印发）", "target as printed (zh)"),
    "target_text_en": ("目标（英文）", "target as printed"), "achieved": ("实际年均增速或累计变化", "achieved rate or change"),
    "failed_periods": ("未守住的年份", "years not held"), "achieved_unit": ("实际值单位", "achieved in"), "office_status": ("规划办认定代码", "office rating code"),
    "office_status_zh": ("规划办认定", "office rating (zh)"), "office_status_en": ("规划办认定（英文）", "office rating"),
    "rebased_note_zh": ("基期调整说明", "re-based baseline (zh)"), "rebased_note_en": ("基期调整说明（英文）", "re-based baseline"),
}

RENDERERS = {"html": lambda d: render_html(d).encode("utf-8"), "pdf": render_pdf, "docx": render_docx,
             "xlsx": render_xlsx}


def write_evaluation_report(doc: EvalDocument, out: str | Path, formats: list[str], stem: str) -> list[Path]:
    """Render every format in memory first, then write: a failure leaves no half-written file."""
    rendered = {fmt: RENDERERS[fmt](doc) for fmt in formats}
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt, data in rendered.items():
        p = folder / f"{stem}.{fmt}"
        p.write_bytes(data)
        paths.append(p)
    return paths


def evaluation_report(store: Any, out: str | Path, formats: list[str], kind: str = "final", lang: str = "zh",
                      framework_id: str | None = None) -> list[Path]:
    """Evaluate the stored plan and write its report (``final-evaluation.*`` or ``midterm-evaluation.*``)."""
    from planmon.continuity import continuity_series
    from planmon.demo import is_illustrative
    from planmon.evaluate import evaluate

    ev = evaluate(store, framework_id, kind)  # type: ignore[arg-type]
    obs = store.current_observations(ev.framework_id)
    provinces = obs[obs["unit"] != "CN"]
    continuity = []
    for fid in store.framework_ids():
        fw = store.framework(fid)
        for ind in fw.indicators:
            if ind.continues and ind.continues.split("/")[0] == ev.framework_id:
                continuity.append(continuity_series(store, fid, ind.id).to_dict())
    doc = build_document(ev, lang, illustrative_regions=bool(len(provinces)) and is_illustrative(provinces),
                         continuity=continuity)
    return write_evaluation_report(doc, out, formats, f"{kind}-evaluation" if lang != "en" else f"{kind}-evaluation-en")


__all__ = ["EvalDocument", "build_document", "evaluation_report", "pd"]


# ---------------------------------------------------------------- a new plan's first monitoring page


def build_start_document(store: Any, plan_id: str, lang: str = "zh") -> EvalDocument:
    """The first monitoring page of a plan that has just begun (the 15th beside the 14th).

    What is confirmed and what is to be filled, each target with its source, each baseline
    inherited from the previous plan's final value (with its period, quality and source), and
    the indicators that run across both plans on one chart.
    """
    from planmon.continuity import continuity_series, inherited_baseline
    from planmon.report.charts import to_png, to_svg
    from planmon.report.final_charts import continuity_chart

    en = lang == "en"

    def t(zh: str, e: str) -> str:
        return e if en else zh

    fw = store.framework(plan_id)
    title = t(f"{fw.plan.title_zh}：实施监测（起步）", f"{fw.plan.title_en}: monitoring (start of the period)")
    subtitle = t(f"规划期 {fw.plan.period_start}—{fw.plan.period_end}；依据 {fw.plan.source}；框架版本 {fw.plan.version}",
                 f"Plan period {fw.plan.period_start}–{fw.plan.period_end}; from {fw.plan.source}; "
                 f"framework version {fw.plan.version}")
    b: list[Block] = [Block("note", t("本页只列已确认的事实；未找到原文的内容标为“待补充”，不作推测。",
                                      "This page holds confirmed facts only; whatever no source gives is marked "
                                      "'to be filled', never guessed."))]
    b.append(Block("h1", t("一、主要指标", "1. Main indicators")))
    rows = []
    series = []
    for ind in fw.indicators:
        rule = ind.target_rule
        rates = rule is not None and rule.observed == "annual_rate"  # a growth rate has no base level to inherit
        base = inherited_baseline(store, plan_id, ind.id) if not ind.to_be_filled and not rates else None
        if rates:
            base_text = t("—（按年度增速观测）", "— (observed as annual rates)")
        elif base:
            q = quality_label(base["quality"], lang)
            base_text = (f"{ {'lower-bound': '> ', 'approx': '≈ '}.get(base['quality'], '')}{format_number(base['value'])}"
                         f"（{base['period']}，{q}"
                         + (t("，承接上一期规划期末值", ", the previous plan's end value") if base.get("inherited") else "")
                         + "）")
        else:
            base_text = t("待补充", "to be filled")
        target = (f"{format_number(ind.target.value)}（{ind.target.period}）" if ind.target else t("待补充", "to be filled"))
        if rule is not None and (rule.text_zh or rule.text_en):  # a target of another form, as the plan prints it
            target = (rule.text_en or rule.text_zh) if en else rule.text_zh or rule.text_en
            target += f"（{rule.period}）" if rule.period else ""
        cont = ""
        if ind.continues:
            pid, _, iid = ind.continues.partition("/")
            try:
                pfw = store.framework(pid)
                cont = f"{pfw.plan.title_en if en else pfw.plan.title_zh} {iid}"
            except KeyError:
                cont = ind.continues
        rows.append([ind.id, (ind.name_en if en else ind.name_zh), ind.unit_en if en and ind.unit_en else ind.unit,
                     base_text, target, ind.target_source or (t("待补充", "to be filled") if ind.to_be_filled else ""),
                     cont])
        if ind.continues:
            series.append(continuity_series(store, plan_id, ind.id).to_dict())
    b.append(Block("table", t("表1  主要指标、基期值与目标", "Table 1  Main indicators, baselines and targets"),
                   [t("编号", "id"), t("指标", "indicator"), t("单位", "unit"), t("基期值", "baseline"), t("目标值", "target"),
                    t("目标出处", "target source"), t("延续指标", "continues")], rows))
    b.append(Block("note", t("基期值：规划未另行规定时，取上一期规划同一指标在其规划期内的最新（期末）数值，并注明年份、数据性质和出处。",
                             "Baselines: unless the plan sets its own, the previous plan's latest (end-of-period) value "
                             "of the same indicator, with its year, quality and source.")))
    for k, s in enumerate(series, start=1):
        b.append(Block("figure", t(f"图{k}  {s['name_zh']}：{s['span'][0]}—{s['span'][1]}年实际值与两期规划目标",
                                   f"Figure {k}  {s['name_en']}: actuals and both plans' targets, "
                                   f"{s['span'][0]}–{s['span'][1]}"),
                       png=to_png(continuity_chart(s, lang)), svg=to_svg(continuity_chart(s, lang))))
    b.append(Block("h1", t("二、任务与行动", "2. Tasks and actions")))
    b.append(Block("table", t("表2  已确认的任务与行动", "Table 2  Confirmed tasks and actions"),
                   [t("编号", "id"), t("类型", "kind"), t("名称", "title"), t("阶段目标", "milestones")],
                   [[i.id, ITEM_KINDS.get(i.kind, (i.kind, i.kind))[1 if en else 0], i.title_en if en and i.title_en else i.title_zh,
                     "；".join(f"{m.due}：{(m.text_en if en else m.text_zh) if not m.to_be_filled else t('待补充', 'to be filled')}"
                              for m in i.milestones)]
                    for i in fw.items]))
    if fw.plan.predecessor:
        b.append(Block("p", t(f"上一期规划（{fw.plan.predecessor}）的总结评估见其评估报告（planmon report --kind final --plan "
                              f"{fw.plan.predecessor}）。",
                              f"The previous plan's ({fw.plan.predecessor}) final evaluation is in its evaluation report "
                              f"(planmon report --kind final --plan {fw.plan.predecessor}).")))
    return EvalDocument(lang, title, subtitle, b, {t("主要指标", "indicators"): (
        ["id", "name", "unit", "baseline", "target", "target_source", "continues"], [list(r) for r in rows])})


ITEM_KINDS = {"goal": ("目标", "goal"), "aspect": ("方面", "aspect"), "task": ("重大任务", "task"),
              "project": ("重点工程", "key project"), "action_group": ("优先行动组", "action group"),
              "action": ("优先行动", "priority action")}


def render_body(doc: EvalDocument) -> str:
    """The document's HTML body (for a web page that has its own head and styles)."""
    full = render_html(doc, static=False)
    start = full.index("<body>") + len("<body>")
    return full[start: full.rindex("</body>")]
