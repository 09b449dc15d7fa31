"""The report's section on pilots and duplicated construction (issue 17) is wired into the snapshot-based model:
its heading and every built-in programme's name appear in the HTML and the Word document."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from planmon.pilots import programmes
from planmon.report import ReportModel
from planmon.report.docx import render_docx
from planmon.report.html import render_html
from planmon.store import Store


def test_pilots_section_in_html_and_docx(store: Store, model: ReportModel, tmp_path: Path) -> None:
    assert model.pilots is not None
    names = [p.name_zh for p in programmes(store).values()]
    assert names, "the built-in registry holds the published programmes"
    html = render_html(model, static=True)
    assert "六、试点示范与重复建设" in html
    assert all(n in html for n in names)
    doc = Document(io.BytesIO(render_docx(model)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "六、试点示范与重复建设" in text
