"""The one adapter between the web app and the capabilities built on other branches.

Each function imports its library part lazily and raises :class:`NotAvailable` when
that part is not installed yet, so a page shows 「此功能尚未启用 / not available yet」
instead of failing. Wiring a capability means editing this module only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from planmon.store import Store
from planmon.store.tables import submissions


class NotAvailable(Exception):
    """A capability whose library part is not installed (yet)."""

    def __init__(self, capability: str) -> None:
        super().__init__(capability)
        self.capability = capability


def _module(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise NotAvailable(name) from exc


def has(name: str) -> bool:
    try:
        _module(name)
    except NotAvailable:
        return False
    return True


# ---- collection (planmon.collect) -------------------------------------------------------

def make_template(store: Store, unit: str, period: str, path: Path, framework_id: str) -> Path:
    collect = _module("planmon.collect")
    return Path(collect.make_template(store, unit, period, path, framework_id))


def import_files(store: Store, paths: Sequence[Path], actor: str, *, framework_id: str,
                 reasons: dict[str, str] | None = None, auto_accept: bool = False,
                 scope: set[str] | None = None) -> Any:
    collect = _module("planmon.collect")
    return collect.import_files(store, list(paths), actor, framework_id=framework_id, reasons=reasons,
                                auto_accept=auto_accept, scope=scope)


def import_rows(store: Store, rows: list[dict[str, Any]], actor: str, *, framework_id: str,
                reasons: dict[str, str] | None = None, auto_accept: bool = False,
                scope: set[str] | None = None) -> Any:
    collect = _module("planmon.collect")
    return collect.import_rows(store, rows, actor, framework_id=framework_id, reasons=reasons,
                               auto_accept=auto_accept, scope=scope)


def review_rows(store: Store, submission_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = _module("planmon.collect.submissions").review_rows(store, submission_id)
    return rows


def _submission_row(r: Any) -> dict[str, Any]:
    d = dict(r)
    for k in ("created_at", "reviewed_at"):
        if d.get(k) is not None and hasattr(d[k], "isoformat"):
            d[k] = d[k].isoformat()
    return d


def list_submissions(store: Store, unit: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    """Submissions, newest first (collection's list when installed, else the table itself)."""
    try:
        subs = _module("planmon.collect.submissions")
    except NotAvailable:
        q = select(submissions).order_by(submissions.c.id.desc())
        if unit:
            q = q.where(submissions.c.unit_id == unit)
        if state:
            q = q.where(submissions.c.state == state)
        with store.engine.connect() as conn:
            return [_submission_row(r) for r in conn.execute(q).mappings()]
    return [_as_dict(s) for s in subs.list_submissions(store, unit=unit, state=state)]


def get_submission(store: Store, submission_id: int) -> dict[str, Any] | None:
    try:
        subs = _module("planmon.collect.submissions")
    except NotAvailable:
        with store.engine.connect() as conn:
            row = conn.execute(select(submissions).where(submissions.c.id == submission_id)).mappings().first()
        return _submission_row(row) if row else None
    try:
        found = subs.get_submission(store, submission_id)
    except subs.SubmissionError:  # no such submission
        return None
    return _as_dict(found) if found is not None else None


def accept(store: Store, submission_id: int, actor: str, comment: str = "") -> Any:
    return _module("planmon.collect.submissions").accept(store, submission_id, actor, comment=comment)


def return_submission(store: Store, submission_id: int, actor: str, comment: str) -> Any:
    return _module("planmon.collect.submissions").return_submission(store, submission_id, actor, comment)


def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return _submission_row(obj)
    if hasattr(obj, "to_dict"):
        return dict(obj.to_dict())
    if hasattr(obj, "_mapping"):
        return _submission_row(obj._mapping)
    return dict(vars(obj))


# ---- monitoring (planmon.monitor) --------------------------------------------------------

def assess(store: Store, framework_id: str, *, as_of: str | None = None, scheme: str = "ndrc",
           unit: str | None = None) -> pd.DataFrame:
    df: pd.DataFrame = _module("planmon.monitor").assess_store(store, framework_id, as_of=as_of, scheme=scheme,
                                                                unit=unit)
    return df


def risks(store: Store, framework_id: str, *, as_of: str | None = None, unit: str | None = None) -> pd.DataFrame:
    monitor = _module("planmon.monitor")
    out = monitor.risks_store(store, framework_id, as_of=as_of, unit=unit)
    return out if isinstance(out, pd.DataFrame) else pd.DataFrame(list(out))


def status_labels() -> dict[str, Any]:
    return dict(_module("planmon.monitor").STATUS_LABELS)


# ---- evaluation (planmon.index) ----------------------------------------------------------

def index_results(store: Store, framework_id: str, period: str | None = None, *, n_uncertainty: int = 200,
                  seed: int = 1) -> dict[str, Any]:
    """Scores, ranks (with a 5–95 % interval when uncertainty runs) and strengths/weaknesses."""
    index = _module("planmon.index")
    from planmon.intensive import provincial_spec  # provinces are ranked on intensive forms (issue 12)
    from planmon.report.capabilities import EVALUATION_SPEC  # the same evaluation as the published report

    try:
        idata, imeta = index.from_store(store, framework_id, period=period, intensive=True)
    except index.IndexInputError as exc:  # no provincial data yet: nothing to rank, say why
        return {"scores": [], "ranks": [], "strengths_weaknesses": [], "uncertainty": [], "note": str(exc)}
    run = index.run_index(idata, imeta, provincial_spec(store.framework(framework_id), EVALUATION_SPEC,
                                                        present=idata.columns))
    out: dict[str, Any] = {"scores": _frame(run.scores), "ranks": _frame(run.ranks)}
    try:
        out["strengths_weaknesses"] = _frame(run.strengths_weaknesses())
    except Exception as exc:  # a capability's own refusal is shown, not hidden
        out["strengths_weaknesses_error"] = str(exc)
    try:
        out["uncertainty"] = _frame(run.uncertainty(n_uncertainty, seed))
    except Exception as exc:
        out["uncertainty_error"] = str(exc)
    return out


def _frame(obj: Any) -> Any:
    if isinstance(obj, pd.DataFrame):
        return obj.reset_index().to_dict(orient="records")
    if isinstance(obj, pd.Series):
        return obj.reset_index().to_dict(orient="records")
    return obj


# ---- supervision (planmon.supervise) ------------------------------------------------------

def _date(as_of: str | date) -> date:
    return as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))


def supervision_list(store: Store, as_of: str | date, framework_id: str) -> Any:
    return _frame(_module("planmon.supervise").supervision_list(store, _date(as_of), framework_id))


def scorecard(store: Store, as_of: str | date, unit: str | None = None) -> Any:
    from fastapi import HTTPException

    supervise = _module("planmon.supervise")
    try:
        return _frame(supervise.scorecard(store, _date(as_of), unit=unit or None))
    except KeyError as exc:  # an unknown unit
        raise HTTPException(404, {"code": "unknown_unit", "message_zh": f"未知的单位“{unit}”",
                                  "message_en": f"unknown unit '{unit}'"}) from exc


def add_progress_report(store: Store, item: str, unit: str, period: str, status: str, actor: str,
                        share_done: float | None = None, narrative: str = "",
                        evidence: Sequence[Any] = ()) -> Any:
    return _module("planmon.supervise").add_progress_report(
        store, item, unit, period, status, actor, share_done=share_done, narrative=narrative, evidence=evidence)


# ---- reports (planmon.report) -------------------------------------------------------------

def build_report(store: Store, out_dir: Path, formats: Sequence[str] = ("html",), as_of: str | None = None,
                 lang: str = "zh") -> Any:
    report = _module("planmon.report")
    model = report.build_model(store, as_of=as_of, lang=lang)
    return report.write_report(model, out_dir, formats=tuple(formats))


# ---- the province tile grid ----------------------------------------------------------------

def tile_grid() -> list[dict[str, Any]]:
    """(row, col) of the 34 provincial-level divisions on a tile-grid map (no borders drawn),
    the same grid as the published report's map."""
    from planmon.geo.tilegrid import TILES

    return [{"code": t.code, "name_zh": t.short_zh, "name_en": t.name_en, "row": t.row, "col": t.col} for t in TILES]
