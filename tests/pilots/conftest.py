"""A store with the pilot registry loaded, and a helper that writes a registry workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from planmon.pilots import ensure_registry
from planmon.pilots.sheets import HEADERS_ZH, PILOT_FIELDS, TARGET_FIELDS
from planmon.store import Store


@pytest.fixture
def store(db_url: str) -> Any:
    s = Store.open(db_url)
    s.init()
    ensure_registry(s)
    yield s
    s.engine.dispose()


def workbook(path: Path, rows: list[dict[str, Any]], targets: list[dict[str, Any]] | None = None) -> Path:
    """A registry workbook with Chinese headers, as an office would fill it."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "试点"
    ws.append([HEADERS_ZH[f] for f in PILOT_FIELDS])
    for r in rows:
        ws.append([r.get(f) for f in PILOT_FIELDS])
    if targets is not None:
        ts = wb.create_sheet("指标目标")
        ts.append([HEADERS_ZH[f] for f in TARGET_FIELDS])
        for r in targets:
            ts.append([r.get(f) for f in TARGET_FIELDS])
    wb.save(path)
    return path
