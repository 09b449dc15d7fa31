"""Calls from the web app into the library's write paths (collection, review, progress reports,
report files) and the province tile grid. The dashboard's reads go through the snapshot
(:func:`planmon.web.views.snapshot`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planmon import collect
from planmon.collect import submissions as subs
from planmon.jsonsafe import jsonable
from planmon.store import Store

# ---- collection (planmon.collect) -------------------------------------------------------

def make_template(store: Store, unit: str, period: str, path: Path, framework_id: str) -> Path:
    return Path(collect.make_template(store, unit, period, path, framework_id))


def import_files(store: Store, paths: Sequence[Path], actor: str, *, framework_id: str,
                 reasons: dict[str, str] | None = None, auto_accept: bool = False,
                 scope: set[str] | None = None) -> Any:
    return collect.import_files(store, list(paths), actor, framework_id=framework_id, reasons=reasons,
                                auto_accept=auto_accept, scope=scope)


def import_rows(store: Store, rows: list[dict[str, Any]], actor: str, *, framework_id: str,
                reasons: dict[str, str] | None = None, auto_accept: bool = False,
                scope: set[str] | None = None) -> Any:
    return collect.import_rows(store, rows, actor, framework_id=framework_id, reasons=reasons,
                               auto_accept=auto_accept, scope=scope)


def review_rows(store: Store, submission_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = subs.review_rows(store, submission_id)
    return rows


def _submission_row(r: Any) -> dict[str, Any]:
    d: dict[str, Any] = jsonable(dict(r))
    return d


def list_submissions(store: Store, unit: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    """Submissions, newest first."""
    return [_as_dict(s) for s in subs.list_submissions(store, unit=unit, state=state)]


def get_submission(store: Store, submission_id: int) -> dict[str, Any] | None:
    try:
        found = subs.get_submission(store, submission_id)
    except subs.SubmissionError:  # no such submission
        return None
    return _as_dict(found) if found is not None else None


def accept(store: Store, submission_id: int, actor: str, comment: str = "") -> Any:
    return subs.accept(store, submission_id, actor, comment=comment)


def return_submission(store: Store, submission_id: int, actor: str, comment: str) -> Any:
    return subs.return_submission(store, submission_id, actor, comment)


def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return _submission_row(obj)
    if hasattr(obj, "to_dict"):
        return dict(obj.to_dict())
    if hasattr(obj, "_mapping"):
        return _submission_row(obj._mapping)
    return dict(vars(obj))


# ---- supervision (planmon.supervise) ------------------------------------------------------

def add_progress_report(store: Store, item: str, unit: str, period: str, status: str, actor: str,
                        share_done: float | None = None, narrative: str = "",
                        evidence: Sequence[Any] = ()) -> Any:
    from planmon.supervise import add_progress_report as add

    return add(store, item, unit, period, status, actor, share_done=share_done, narrative=narrative,
               evidence=evidence)


# ---- reports (planmon.report) -------------------------------------------------------------

def build_report(store: Store, out_dir: Path, formats: Sequence[str] = ("html",), as_of: str | None = None,
                 lang: str = "zh") -> Any:
    from planmon import report

    model = report.build_model(store, as_of=as_of, lang=lang)
    return report.write_report(model, out_dir, formats=tuple(formats))


# ---- the province tile grid ----------------------------------------------------------------

def tile_grid() -> list[dict[str, Any]]:
    """(row, col) of the 34 provincial-level divisions on a tile-grid map (no borders drawn),
    the same grid as the published report's map."""
    from planmon.geo.tilegrid import TILES

    return [{"code": t.code, "name_zh": t.short_zh, "name_en": t.name_en, "row": t.row, "col": t.col} for t in TILES]
