"""Export the registry as the workbook the import reads (a round trip changes nothing)."""

from __future__ import annotations

from pathlib import Path

from planmon.pilots.registry import ensure_registry, list_pilots, targets
from planmon.pilots.sheets import write_workbook
from planmon.store import Store


def export_registry(store: Store, path: Path, programme: str | None = None, lang: str = "zh") -> int:
    """Write pilots (and their own targets) to ``path``; returns the number of pilots."""
    ensure_registry(store)
    rows = [{**p, "pilot_id": p["id"], "programme": p["programme_id"], "state_date": p["state_since"]}
            for p in list_pilots(store, programme)]
    write_workbook(Path(path), rows, targets(store, programme), lang)
    return len(rows)
