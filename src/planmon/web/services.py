"""The one adapter between the web app and the capabilities built on other branches.

Each function imports its library part lazily and raises :class:`NotAvailable` when
that part is not installed yet, so a page shows 「此功能尚未启用 / not available yet」
instead of failing. Wiring a capability means editing this module only.
"""

from __future__ import annotations

from collections.abc import Sequence
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
                 reasons: dict[str, str] | None = None, auto_accept: bool = False) -> Any:
    collect = _module("planmon.collect")
    return collect.import_files(store, list(paths), actor, framework_id=framework_id, reasons=reasons,
                                auto_accept=auto_accept)


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
    found = subs.get_submission(store, submission_id)
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
    idata, imeta, spec = index.from_store(store, framework_id, period=period)
    run = index.run_index(idata, imeta, spec)
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

def supervision_list(store: Store, as_of: str, framework_id: str) -> Any:
    return _frame(_module("planmon.supervise").supervision_list(store, as_of, framework_id))


def scorecard(store: Store, as_of: str, unit: str | None = None) -> Any:
    return _frame(_module("planmon.supervise").scorecard(store, as_of, unit=unit))


def add_progress_report(store: Store, item: str, unit: str, period: str, status: str, actor: str,
                        share_done: float | None = None, narrative: str = "",
                        evidence: Sequence[Any] = ()) -> Any:
    return _module("planmon.supervise").add_progress_report(
        store, item, unit, period, status, actor, share_done=share_done, narrative=narrative, evidence=evidence)


# ---- reports (planmon.report) -------------------------------------------------------------

def build_report(store: Store, out_dir: Path, formats: Sequence[str] = ("html",), as_of: str | None = None,
                 lang: str = "zh") -> Any:
    report = _module("planmon.report")
    fn = getattr(report, "build_report", None) or getattr(report, "build", None)
    if fn is None:
        raise NotAvailable("planmon.report.build_report")
    return fn(store, out_dir, formats=tuple(formats), as_of=as_of, lang=lang)


# ---- the province tile grid ----------------------------------------------------------------
# TODO(integrator): replace with planmon.geo.tilegrid once the report branch lands.

def tile_grid() -> list[dict[str, Any]]:
    """(row, col) of the 34 provincial-level divisions on a tile-grid map (no borders drawn)."""
    try:
        geo = _module("planmon.geo.tilegrid")
        return list(geo.TILES) if hasattr(geo, "TILES") else list(geo.tile_grid())
    except (NotAvailable, AttributeError):
        return [dict(zip(("code", "name_zh", "name_en", "row", "col"), t, strict=True)) for t in _TILES]


_TILES: list[tuple[str, str, str, int, int]] = [
    ("230000", "黑龙江", "Heilongjiang", 0, 7),
    ("150000", "内蒙古", "Inner Mongolia", 1, 4), ("110000", "北京", "Beijing", 1, 5),
    ("220000", "吉林", "Jilin", 1, 7),
    ("650000", "新疆", "Xinjiang", 2, 0), ("620000", "甘肃", "Gansu", 2, 2), ("640000", "宁夏", "Ningxia", 2, 3),
    ("140000", "山西", "Shanxi", 2, 4), ("130000", "河北", "Hebei", 2, 5), ("120000", "天津", "Tianjin", 2, 6),
    ("210000", "辽宁", "Liaoning", 2, 7),
    ("630000", "青海", "Qinghai", 3, 1), ("610000", "陕西", "Shaanxi", 3, 3), ("410000", "河南", "Henan", 3, 4),
    ("370000", "山东", "Shandong", 3, 5),
    ("540000", "西藏", "Tibet", 4, 0), ("510000", "四川", "Sichuan", 4, 2), ("500000", "重庆", "Chongqing", 4, 3),
    ("420000", "湖北", "Hubei", 4, 4), ("340000", "安徽", "Anhui", 4, 5), ("320000", "江苏", "Jiangsu", 4, 6),
    ("310000", "上海", "Shanghai", 4, 7),
    ("530000", "云南", "Yunnan", 5, 2), ("520000", "贵州", "Guizhou", 5, 3), ("430000", "湖南", "Hunan", 5, 4),
    ("360000", "江西", "Jiangxi", 5, 5), ("330000", "浙江", "Zhejiang", 5, 6),
    ("450000", "广西", "Guangxi", 6, 3), ("440000", "广东", "Guangdong", 6, 4), ("350000", "福建", "Fujian", 6, 5),
    ("710000", "台湾", "Taiwan", 6, 7),
    ("460000", "海南", "Hainan", 7, 3), ("820000", "澳门", "Macao", 7, 4), ("810000", "香港", "Hong Kong", 7, 5),
]
