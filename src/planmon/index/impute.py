"""Imputation of missing values (COINr ``Impute`` / ``impute_panel``, methods.md §1.5).

Cross-section: column mean or median, or within a group column (e.g. ``EurAsia_group``).
Panel (rows are unit × period): last value carried forward (``latest``), carried forward
and back (``constant``), or linear in time with flat ends (``linear``, R's ``approx(rule=2)``).
Available values are never changed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.registry import register


def _fill(x: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, int]:
    miss = np.isnan(x)
    out = np.where(miss, value, x)
    return out, int(miss.sum() - np.isnan(out).sum())


def _column_stat(x: np.ndarray, how: str) -> np.ndarray:
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(x, axis=0) if how == "mean" else np.nanmedian(x, axis=0)


@register("impute", "mean", "median")
def impute_column(x: np.ndarray, ctx: StepContext, method: str = "mean") -> tuple[np.ndarray, dict[str, Any]]:
    """Replace a missing value by its indicator's mean (or median) over all units."""
    out, n = _fill(x, _column_stat(x, method)[None, :])
    return out, {"imputed": n}


@register("impute", "group_mean", "group_median")
def impute_group(x: np.ndarray, ctx: StepContext, method: str = "group_mean",
                 group: str | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Mean (median) of the indicator within the unit's group; ungrouped units use the column statistic."""
    if not group:
        raise fail("impute：按组插补需要 group（分组列名）", "impute: group imputation needs 'group' (a group column)")
    if group not in ctx.idata.columns:
        raise fail(f"impute：iData 没有分组列 {group}", f"impute: iData has no group column {group}")
    how = "mean" if method == "group_mean" else "median"
    g = ctx.column(group).astype(str)
    fill = np.full_like(x, np.nan)
    for level in np.unique(g):
        rows = g == level
        fill[rows] = _column_stat(x[rows], how)[None, :]
    out, n = _fill(x, fill)
    return out, {"imputed": n, "group": group}


def _cube(ctx: StepContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if ctx.time is None:
        raise fail("面板插补需要 Time 列", "panel imputation needs a Time column")
    _, ui = np.unique(ctx.units.astype(str), return_inverse=True)
    times, ti = np.unique(ctx.time.astype(float), return_inverse=True)
    return ui, ti, times


def panel_fill(x: np.ndarray, ui: np.ndarray, ti: np.ndarray, times: np.ndarray, method: str,
               max_time: float | None = None) -> np.ndarray:
    """Fill along time per unit and indicator; vectorised over units × indicators."""
    nu, nt, k = int(ui.max()) + 1, len(times), x.shape[1]
    cube = np.full((nu, nt, k), np.nan)
    cube[ui, ti] = x
    have = ~np.isnan(cube)
    idx = np.where(have, np.arange(nt)[None, :, None], -1)
    prev = np.maximum.accumulate(idx, axis=1)
    nidx = np.where(have, np.arange(nt)[None, :, None], nt)
    nxt = np.flip(np.minimum.accumulate(np.flip(nidx, axis=1), axis=1), axis=1)
    take = np.take_along_axis
    pv = take(cube, np.clip(prev, 0, nt - 1), axis=1)
    nv = take(cube, np.clip(nxt, 0, nt - 1), axis=1)
    has_p, has_n = prev >= 0, nxt < nt
    tt = times[None, :, None]
    if method == "latest":
        filled = np.where(has_p, pv, np.nan)
        if max_time is not None:
            age = tt - times[np.clip(prev, 0, nt - 1)]
            filled = np.where(age <= max_time, filled, np.nan)
    elif method == "constant":
        filled = np.where(has_p, pv, np.where(has_n, nv, np.nan))
    elif method == "linear":
        tp, tn = times[np.clip(prev, 0, nt - 1)], times[np.clip(nxt, 0, nt - 1)]
        with np.errstate(invalid="ignore", divide="ignore"):
            lin = pv + (nv - pv) * (tt - tp) / (tn - tp)
        filled = np.where(has_p & has_n, lin, np.where(has_p, pv, np.where(has_n, nv, np.nan)))
    else:
        raise fail(f"未知的面板插补方法 {method}", f"unknown panel imputation method {method}")
    cube = np.where(have, cube, filled)
    out: np.ndarray = cube[ui, ti]
    return out


@register("impute", "latest", "constant", "linear")
def impute_panel(x: np.ndarray, ctx: StepContext, method: str = "latest",
                 max_time: float | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Panel imputation along time for each unit (needs several periods)."""
    ui, ti, times = _cube(ctx)
    filled = panel_fill(x, ui, ti, times, method, max_time)
    out, n = _fill(x, filled)
    return out, {"imputed": n}


impute_panel.params_by_method = {"latest": {"max_time"}, "constant": set(), "linear": set()}  # type: ignore[attr-defined]


@register("impute", "none")
def impute_none(x: np.ndarray, ctx: StepContext, method: str = "none") -> tuple[np.ndarray, dict[str, Any]]:
    """Leave missing values missing (aggregation renormalises the weights of what is there)."""
    return x, {"imputed": 0}


@register("impute", "row_mean", "row_median")
def impute_row(x: np.ndarray, ctx: StepContext, method: str = "row_mean", level: int = 2) -> tuple[np.ndarray, dict[str, Any]]:
    """Row-wise (COINr ``impute_by = "row"``, ``normalise_first = TRUE``): direction-adjusted min–max to
    [0, 1], a gap takes the unit's mean (median) of the other indicators under the same level-``level``
    node, then the transform is inverted."""
    tree = ctx.tree
    if level < 2 or level > tree.maxlev:
        raise fail(f"impute.level 应在 2…{tree.maxlev}", f"impute.level must be in 2…{tree.maxlev}")
    d = np.array([tree.direction.get(c, 1) for c in ctx.columns], dtype=float)
    xd = x * d
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mn, mx = np.nanmin(xd, axis=0), np.nanmax(xd, axis=0)
            span = np.where(mx > mn, mx - mn, 1.0)
            y = (xd - mn) / span
            fill = np.full_like(y, np.nan)
            anc = {c: c for c in ctx.columns}
            for _ in range(level - 1):
                anc = {c: tree.parent[a] or a for c, a in anc.items()}
            owner = np.array([anc[c] for c in ctx.columns])
            for node in np.unique(owner):
                cols = owner == node
                stat = np.nanmean(y[:, cols], axis=1) if method == "row_mean" else np.nanmedian(y[:, cols], axis=1)
                fill[:, cols] = stat[:, None]
    back = (fill * span + mn) * d
    out, n = _fill(x, back)
    return out, {"imputed": n, "level": level}
