"""Issue 15: the final-evaluation report (--kind final) in all four formats, from the built-in data."""

from __future__ import annotations

import subprocess
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from planmon.cli import app


def test_final_report_in_four_formats(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", sqlite_url, "init", "-q"]).exit_code == 0
    assert runner.invoke(app, ["--db", sqlite_url, "init", "-q", "--framework", "cn-digital-15fyp"]).exit_code == 0
    out = tmp_path / "r"
    r = runner.invoke(app, ["--db", sqlite_url, "--plan", "cn-informatization-14fyp", "report", "--kind", "final",
                            "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = (out / "final-evaluation.html").read_text(encoding="utf-8")
    assert "实施情况总结评估报告" in html and "&gt; 50万家" in html and "≈ 10%" in html
    assert "生成的文字" in html and "表5" in html  # the mid-term vs final table
    assert "与下一期规划的衔接" in html and "12.5" in html  # the 15th plan's target beside the 14th's
    pdf = subprocess.run(["pdftotext", "-layout", str(out / "final-evaluation.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert "总结评估" in pdf and "未实现" in pdf and "> 50万家" in pdf
    doc = Document(str(out / "final-evaluation.docx"))
    first = doc.tables[0]
    assert [c.text for c in first.rows[0].cells][:2] == ["编号", "指标"]
    assert len(first.rows) == 1 + 14  # the 14 main indicators, not the proxy nor the candidate
    i01 = next(r for r in first.rows if r.cells[0].text == "I01")
    assert i01.cells[8].text == "未实现" and i01.cells[9].text == "93.8%"  # 11.25 / 12 by hand
    wb = load_workbook(out / "final-evaluation.xlsx")
    assert {"报告", "主要指标", "完成情况", "地区结果"} <= set(wb.sheetnames)
    assert wb["主要指标"].max_row == 2 + 14  # a label row, a field row, the 14 main indicators
    assert wb["主要指标"]["A1"].value == "指标编号" and wb["主要指标"]["A2"].value == "indicator"
    en = runner.invoke(app, ["--db", sqlite_url, "--plan", "cn-informatization-14fyp", "report", "--kind", "final",
                             "--format", "html", "--lang", "en", "-o", str(out)])
    assert en.exit_code == 0
    assert "final evaluation" in (out / "final-evaluation-en.html").read_text(encoding="utf-8")
    bad = runner.invoke(app, ["--db", sqlite_url, "report", "--kind", "finale", "-o", str(out)])
    assert bad.exit_code == 2
