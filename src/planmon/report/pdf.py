"""The PDF report: WeasyPrint prints the static HTML variant.

No network: the URL fetcher serves file: and data: URLs only and refuses anything
remote. No varying timestamps: the PDF's creation and modification dates are
not written (WeasyPrint takes them from the document's metadata, which we leave empty).
"""

from __future__ import annotations

from typing import Any

from planmon.report.html import render_html
from planmon.report.model import ReportModel


def local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves file: and data: URLs and refuses every other."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith(("file:", "data:")):
                raise FatalURLFetchingError(f"remote URL refused: {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("file", "data"))


def render_pdf(model: ReportModel) -> bytes:
    from weasyprint import HTML

    html = render_html(model, static=True)
    doc = HTML(string=html, url_fetcher=local_only_fetcher(), base_url="file:///").render()
    doc.metadata.created = None
    doc.metadata.modified = None
    out = doc.write_pdf()
    assert out is not None
    return bytes(out)
