"""The development report: one model, generated text, charts, the map, and four renderers.

``build_model`` gathers every number once; ``write_report`` renders it as HTML,
PDF, DOCX and XLSX::

    from planmon.report import build_model, write_report
    model = build_model(store, as_of="2024", lang="zh")
    write_report(model, "report/", formats=("html", "xlsx"))
"""

from __future__ import annotations

from planmon.report.model import ReportModel, build_model
from planmon.report.writer import FORMATS, write_report

__all__ = ["FORMATS", "ReportModel", "build_model", "write_report"]
