"""Write the report's files: ``report.html``, ``report.pdf``, ``report.docx``, ``report.xlsx``.

Each format is rendered fully in memory and then written, so a failure leaves no
half-written file; the function returns each file's path and render time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from planmon.report.model import ReportModel

FORMATS = ("html", "pdf", "docx", "xlsx")


@dataclass(frozen=True)
class Written:
    format: str
    path: Path
    seconds: float
    size: int


def _renderer(fmt: str) -> Callable[[ReportModel], bytes]:
    if fmt == "html":
        from planmon.report.html import render_html

        return lambda m: render_html(m).encode("utf-8")
    if fmt == "pdf":
        from planmon.report.pdf import render_pdf

        return render_pdf
    if fmt == "docx":
        from planmon.report.docx import render_docx

        return render_docx
    if fmt == "xlsx":
        from planmon.report.xlsx import render_xlsx

        return render_xlsx
    raise ValueError(f"unknown report format '{fmt}' (choose from {', '.join(FORMATS)})")


def parse_formats(text: str) -> list[str]:
    """``"html,pdf"`` → ``["html", "pdf"]``; an unknown name raises ValueError naming it."""
    out = []
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise ValueError(name)
        if name not in out:
            out.append(name)
    return out


def write_report(model: ReportModel, out_dir: str | Path, formats: Iterable[str] = FORMATS,
                 basename: str = "report") -> list[Written]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        render = _renderer(fmt)
        t0 = time.perf_counter()
        data = render(model)
        path = out / f"{basename}.{fmt}"
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(Written(fmt, path, time.perf_counter() - t0, len(data)))
    return written
