"""Byte-identical Office files: fixed zip entry times and fixed document dates.

Why: openpyxl and python-docx stamp the current time into ``docProps/core.xml``
and into every zip entry, so two runs on the same data would differ. The fixed
date is taken from the data (the end of the as-of period), not from the clock.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from planmon.periods import Period

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_DATE_TAGS = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def report_datetime(as_of: str) -> datetime:
    """The document date of a report: the last day of its as-of year (from the data, not the clock)."""
    end = Period(Period.parse(as_of).year, "annual").end
    return datetime(end.year, end.month, end.day)


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an OOXML package with fixed entry times and ``when`` as created/modified date."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == _CORE:
                body = _DATE_TAGS.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()
