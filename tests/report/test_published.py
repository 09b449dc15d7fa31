"""The report as an office would publish it (issue 14): names not codes, citations not working notes,
every indicator in the status table, a chart without data says so, a DOCX with header and footer,
and chart labels that never collide."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from planmon.report import ReportModel
from planmon.report.charts import indicator_chart

MARKER = re.compile(r"\b[A-Z]{4,}:")
RAW_IP = re.compile(r"https?://\d")
CODE_IN_TEXT = re.compile(r"[（(]\d{6}[）)]|\b[1-6]\d0000\b")


def _html_text(path: Path) -> str:
    s = path.read_text(encoding="utf-8")
    s = re.sub(r"<script.*?</script>|<style.*?</style>", "", s, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", s))


def _running_text(path: Path) -> str:
    """Paragraphs and list items of the HTML (not tables): the sentences a reader reads."""
    s = path.read_text(encoding="utf-8")
    s = re.sub(r"<script.*?</script>|<style.*?</style>", "", s, flags=re.S)
    parts = re.findall(r"<(?:p|li|h[1-3])\b[^>]*>(.*?)</(?:p|li|h[1-3])>", s, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))


@pytest.fixture(scope="module")
def pdf_text(report_dir: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(report_dir / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_no_working_notes_or_raw_addresses_in_html_or_pdf(report_dir: Path, pdf_text: str) -> None:
    for name, text in (("html", _html_text(report_dir / "report.html")), ("pdf", pdf_text)):
        assert not MARKER.findall(text), (name, MARKER.findall(text)[:3])     # NOTE:, PROXY:, DERIVED:
        assert not RAW_IP.findall(text), name                                 # http://47.119.178.38/…
        assert "search index gave no URL" not in text and "unverified" not in text, name
        assert "aggregate.method" not in text and "treat.fallback" not in text, name  # the spec is in the workbook


def test_no_province_code_in_running_text(report_dir: Path, pdf_text: str) -> None:
    text = _running_text(report_dir / "report.html")
    assert not CODE_IN_TEXT.findall(text), CODE_IN_TEXT.findall(text)[:5]
    assert "北京市" in text or "北京" in text
    assert not CODE_IN_TEXT.findall(pdf_text), CODE_IN_TEXT.findall(pdf_text)[:5]


def test_every_indicator_is_in_the_status_table(report_dir: Path, model: ReportModel, pdf_text: str) -> None:
    s = (report_dir / "report.html").read_text(encoding="utf-8")
    table = re.search(r'<table id="t-status".*?</table>', s, flags=re.S)
    assert table is not None
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"num\">(\d+)</td><td>(.*?)</td></tr>", table.group(0))
    counts = {htmllib.unescape(label): int(n) for label, n, _ in rows}
    assert counts.pop("合计") == 14
    assert sum(counts.values()) == 14          # 14 main indicators, each in exactly one status row
    assert "暂无法评估" in counts               # the ones that cannot be assessed have their row
    listed = " ".join(htmllib.unescape(w) for _, _, w in rows)
    for b in model.indicators:
        assert b.name("zh") in listed, b.id
    assert "暂无法评估" in pdf_text


def test_a_chart_without_actual_data_says_so(report_dir: Path, model: ReportModel, pdf_text: str) -> None:
    empty = [b for b in model.indicators if not b.series]
    assert empty  # the built-in plan has indicators without a published national value (e.g. I06)
    s = (report_dir / "report.html").read_text(encoding="utf-8")
    for b in empty:
        section = s[s.index(f'id="ind-{b.id}"'):]
        section = section[:section.index("</section>")]
        assert "尚无公开发布的全国实际值" in section, b.id
    flat = "".join(pdf_text.split())
    assert flat.count("尚无公开发布的全国实际值") >= len(empty)


def test_citations_name_publisher_and_document(report_dir: Path) -> None:
    text = _running_text(report_dir / "report.html")
    # CNNIC's reports by name (hand-checked against the reference sources); the checking notes never
    assert "第55次《中国互联网络发展状况统计报告》" in text
    for note in ("count 10.14", "article says", "inconsistent with", " via ", "NOT FOUND"):
        assert note not in text, note


def test_methods_appendix_is_prose_with_a_table_of_choices(report_dir: Path) -> None:
    s = (report_dir / "report.html").read_text(encoding="utf-8")
    appendix = s[s.index('id="methodology"'):s.index('id="data"')]
    assert 'class="t-choices"' in appendix
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", appendix))
    assert "算术平均" in text and "最小-最大法" in text and "评估设定" in text
    assert ": " not in re.sub(r"\s+", " ", text).replace("：", "")  # no "key: value" dump lines


def test_docx_has_header_with_title_and_marking_and_footer_with_page_x_of_y(report_dir: Path) -> None:
    with zipfile.ZipFile(report_dir / "report.docx") as z:
        headers = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
        footers = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/footer\d*\.xml", n)]
    assert headers and footers
    head = " ".join(re.sub(r"<[^>]+>", "", h) for h in headers)
    assert "规划实施情况报告" in head and "示意数据" in head
    foot = " ".join(footers)
    assert "PAGE" in foot and "NUMPAGES" in foot and " / " in re.sub(r"<[^>]+>", "", foot)


def test_workbook_sheets_in_the_report_language_with_the_full_spec(report_dir: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(report_dir / "report.xlsx")
    assert all(not re.fullmatch(r"[a-z_]+", n) for n in wb.sheetnames), wb.sheetnames
    spec = {r[0]: r[1] for r in wb["评估设定"].iter_rows(min_row=2, values_only=True)}
    assert spec["aggregate.method"] == "arithmetic"   # the full spec, key by key, only here


def _boxes_intersect(a: object, b: object) -> bool:
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_matplotlib_charts_legend_axis_name_and_title_never_collide(model: ReportModel, lang: str) -> None:
    for b in model.indicators:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = indicator_chart(b, lang)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(renderer)
        boxes = {"legend": legend, "ylabel": ax.yaxis.label.get_window_extent(renderer)}
        if ax.get_title(loc="right"):
            boxes["title"] = ax._right_title.get_window_extent(renderer)
        names = list(boxes)
        for i, n1 in enumerate(names):
            for n2 in names[i + 1:]:
                assert not _boxes_intersect(boxes[n1], boxes[n2]), (b.id, lang, n1, n2)
