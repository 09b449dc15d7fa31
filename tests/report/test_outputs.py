"""Open each rendered file the way a reader's tool would, and check what it holds."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from planmon.report import ReportModel, write_report
from planmon.report.html import render_html
from planmon.report.xlsx import render_xlsx

SECTION_HEADINGS_ZH = ["一、总体情况", "二、主要指标", "三、地区评估", "四、重大任务、重点工程和优先行动", "五、风险提示",
                       "附录一 方法说明", "附录二 数据"]
# indicator names as published in the plan's indicator table (shared/reference/plan-indicators.csv)
INDICATOR_NAMES = ["网民规模", "5G用户普及率", "IPv6活跃用户数", "数字经济核心产业增加值占GDP比重", "网上零售额"]


def test_pdf_text_holds_chinese_headings_and_indicator_names(report_dir: Path) -> None:
    pdf = report_dir / "report.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # pdftotext may break a long name across lines
    for heading in SECTION_HEADINGS_ZH:
        assert "".join(heading.split()) in flat, heading
    for name in INDICATOR_NAMES:
        assert name in flat, name
    assert "示意数据" in flat  # the demo's provincial data are labelled illustrative
    assert "黑龙江" in flat  # the tile map and the provincial table name provinces


def test_pdf_carries_no_timestamp_and_embeds_the_font(report_dir: Path) -> None:
    data = (report_dir / "report.pdf").read_bytes()
    assert b"/CreationDate" not in data and b"/ModDate" not in data
    fonts = subprocess.run(["pdffonts", str(report_dir / "report.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert "Noto-Sans-SC" in fonts or "NotoSansSC" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in line  # every font embedded: no missing glyph boxes on another machine


def test_docx_headings_and_tables(report_dir: Path, model: ReportModel) -> None:
    doc = docx.Document(str(report_dir / "report.docx"))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    for heading in SECTION_HEADINGS_ZH:
        assert heading in headings
    assert "I01 网民规模" in headings
    first = doc.tables[0] if model.status_counts is None else doc.tables[1]
    assert [c.text for c in first.rows[0].cells][:3] == ["编号", "指标", "单位"]
    assert len(first.rows) == 1 + 14  # header + the 14 main indicators
    row_i01 = [c.text for c in first.rows[2].cells]
    assert row_i01[:2] == ["I01", "网民规模"] and row_i01[4] == "11.08 (2024)"  # built-in CNNIC 55th report value
    assert len(doc.inline_shapes) >= 15  # 14 indicator charts + the map
    cp = doc.core_properties
    assert cp.created is not None and cp.created.year == 2024 and cp.modified == cp.created
    assert any("示意数据" in p.text for p in doc.paragraphs)


def test_xlsx_opens_with_every_table(report_dir: Path) -> None:
    wb = openpyxl.load_workbook(report_dir / "report.xlsx")
    # sheet names in the report's language (issue 14; they were English keys before)
    assert {"说明", "主要指标", "任务工程行动", "全部数据", "分省数值"} <= set(wb.sheetnames)
    about = wb["说明"]
    assert "示意数据" in str(about["A2"].value)
    assert any(c.value == "主要指标: 主要指标一览" for c in about["A"])
    ws = wb["主要指标"]
    assert [c.value for c in ws[1]][:3] == ["编号", "指标", "单位"]  # headers in row 1
    assert ws.max_row == 1 + 14
    prov = wb["分省数值"]
    heads = [c.value for c in prov[1]]
    assert heads[:1] == ["地区"]  # names, not codes (issue 14)
    # 四川 I12 in 2024 is the planted series-break value: full precision is kept in the workbook
    sichuan = next(r for r in prov.iter_rows(min_row=2, values_only=True) if r[0] in ("四川", "四川省"))
    assert isinstance(sichuan[heads.index("I12")], float)
    props = wb.properties
    assert props.created == props.modified and props.created.year == 2024


def test_data_sheet_holds_every_observation(report_dir: Path, model: ReportModel) -> None:
    import pandas as pd

    data = pd.read_excel(report_dir / "report.xlsx", sheet_name="全部数据")
    assert list(data.columns) == ["指标", "单位", "期", "数值", "状态", "来源", "备注"]
    assert len(data) == len(model.data_appendix)
    # the built-in CNNIC figure and an illustrative provincial value, read back as numbers (units by name)
    assert data[(data["指标"] == "I01") & (data["单位"] == "全国") & (data["期"].astype(str) == "2024")]["数值"].item() == 11.08
    assert (data["来源"] == "planmon demo (illustrative)").sum() == 2410


def test_chart_images_are_deterministic(model: ReportModel) -> None:
    from planmon.report import charts

    block = model.indicators[1]
    assert charts.to_png(charts.indicator_chart(block, "zh")) == charts.to_png(charts.indicator_chart(block, "zh"))
    svg = charts.to_svg(charts.indicator_chart(block, "zh"))
    assert svg == charts.to_svg(charts.indicator_chart(block, "zh")) and "<dc:date>" not in svg


def test_two_runs_give_identical_html_xlsx_docx(model: ReportModel, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_report(model, a, ["html", "xlsx", "docx"])
    write_report(model, b, ["html", "xlsx", "docx"])
    for name in ("report.html", "report.xlsx", "report.docx"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_rebuilt_model_gives_identical_html_and_xlsx(store: object, model: ReportModel) -> None:
    from planmon.report import build_model

    again = build_model(store, as_of="2024", lang="zh")  # type: ignore[arg-type]
    assert render_html(again) == render_html(model)
    assert render_xlsx(again) == render_xlsx(model)


def test_xlsx_zip_entries_have_fixed_times(report_dir: Path) -> None:
    with zipfile.ZipFile(report_dir / "report.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_html_is_self_contained(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "echarts" in html and "registerMap" in html
    assert "<script src" not in html and "<link" not in html
    # sources are cited as text, but nothing is loaded from a network address
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    assert '"planmon-tilegrid"' in html and "registerMap('china'" not in html and 'registerMap("china"' not in html


@pytest.mark.parametrize("lang", ["en"])
def test_english_report(store: object, tmp_path: Path, lang: str) -> None:
    from planmon.report import build_model

    m = build_model(store, as_of="2024", lang=lang)  # type: ignore[arg-type]
    html = render_html(m)
    assert "1. Summary" in html and "Number of internet users" in html
    assert "As of 2024" in html and "illustrative data" in html


def test_without_demo_data_no_illustrative_label_and_no_map(tmp_path: Path) -> None:
    from planmon.report import build_model
    from planmon.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'plain.db'}")
    store.init()
    m = build_model(store)
    assert m.as_of == "2025"  # the latest full year of the built-in national values (issue 15: values to 2025)
    assert not m.illustrative and m.regional.period is None and m.regional.layers == []
    html = render_html(m)
    assert 'id="illustrative"' not in html and 'id="province-map"' not in html
    wb = openpyxl.load_workbook(__import__("io").BytesIO(render_xlsx(m)))
    assert "示意数据" not in str(wb["说明"]["A2"].value)


def test_xlsx_is_formula_injection_safe(tmp_path: Path) -> None:
    """A value a reporting unit typed as '=HYPERLINK(...)' must stay text in the published workbook."""
    import io

    from planmon.report import build_model
    from planmon.report.xlsx import safe
    from planmon.store import NewObservation, Store

    store = Store.open(f"sqlite:///{tmp_path / 'inj.db'}")
    store.init()
    evil = '=HYPERLINK("mailto:evil@invalid","x")'
    store.write_observations([NewObservation("I09", "330000", "2024", 11.2, source="+cmd|' /C calc'!A0", note=evil)],
                             "test")
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_model(store))))
    row = next(r for r in wb["全部数据"].iter_rows(min_row=2) if r[1].value == "浙江省")
    assert row[5].value == "'+cmd|' /C calc'!A0" and row[5].data_type == "s"
    assert row[6].value == "'" + evil and row[6].data_type == "s"
    assert safe("-1") == "'-1" and safe("@SUM(A1)") == "'@SUM(A1)" and safe("ok") == "ok" and safe(-1.5) == -1.5


def test_html_embeds_a_font_subset_with_every_character_of_the_page(report_dir: Path) -> None:
    import base64
    import io

    from fontTools.ttLib import TTFont

    html = (report_dir / "report.html").read_text(encoding="utf-8")
    m = re.search(r'font-family: "planmon-cjk"; src: url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)', html)
    assert m, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(m.group(1))))
    cmap = font.getBestCmap()
    for ch in "规划实施情况报告网民规模黑龙江示意数据":
        assert ord(ch) in cmap, ch
    assert len(m.group(1)) < 400_000  # a subset, not the 8 MB font
    names = " ".join(str(r) for r in font["name"].names)
    assert "Open Font License" in names or "OFL" in names  # the licence record travels with the subset
