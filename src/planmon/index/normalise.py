"""Normalisation onto a common scale (COINr ``Normalise``, methods.md §1.7).

Direction is applied first (``x ← x·Direction``) for every method except goalposts and
distance to target, which take the direction as a parameter (as COINr does). All
functions work column-wise on a units × indicators matrix and ignore missing values.
A panel can be normalised per period or pooled over all periods (``pooled: true``).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.registry import register


def _nanstat(fn: Any, x: np.ndarray, **kw: Any) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out: np.ndarray = fn(x, axis=0, **kw)
        return out


def n_minmax(x: np.ndarray, lower: float = 0.0, upper: float = 100.0) -> np.ndarray:
    """``(x − min)/(max − min)·(u − l) + l``; a constant column gives NaN (COINr warns)."""
    mn, mx = _nanstat(np.nanmin, x), _nanstat(np.nanmax, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - mn) / np.where(mx == mn, np.nan, mx - mn) * (upper - lower) + lower


def n_zscore(x: np.ndarray, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """``(x − mean)/sd·sd* + mean*`` with the n − 1 standard deviation."""
    m, s = _nanstat(np.nanmean, x), _nanstat(np.nanstd, x, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - m) / s * sd + mean


def n_scaled(x: np.ndarray, lower: float = 0.0, upper: float = 100.0, scale_factor: float = 100.0) -> np.ndarray:
    return (x - lower) / (upper - lower) * scale_factor


def n_dist2max(x: np.ndarray) -> np.ndarray:
    mn, mx = _nanstat(np.nanmin, x), _nanstat(np.nanmax, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1 - (mx - x) / (mx - mn)


def n_dist2ref(x: np.ndarray, ref_row: int, cap_max: bool = False) -> np.ndarray:
    ref, mn = x[ref_row], _nanstat(np.nanmin, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = 1 - (ref - x) / (ref - mn)
    return np.minimum(y, 1) if cap_max else y


def n_dist2targ(x: np.ndarray, targ: np.ndarray | float, direction: np.ndarray | int = 1,
                cap_max: bool = False) -> np.ndarray:
    """Direction 1: ``(x − min)/(targ − min)``; −1: ``(max − x)/(max − targ)``; optional cap at 1."""
    mn, mx = _nanstat(np.nanmin, x), _nanstat(np.nanmax, x)
    d = np.broadcast_to(np.asarray(direction), x.shape[1:] if x.ndim > 1 else ())
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(d == 1, (x - mn) / (targ - mn), (mx - x) / (mx - targ))
    return np.minimum(y, 1) if cap_max else y


def n_fracmax(x: np.ndarray) -> np.ndarray:
    return x / _nanstat(np.nanmax, x)


def _rank_min(x: np.ndarray) -> np.ndarray:
    """Ascending ranks with ties at the lowest rank; NaN stays NaN."""
    from scipy.stats import rankdata  # scipy only when ranks are asked for (keeps the import light)

    r: np.ndarray = rankdata(x, method="min", axis=0, nan_policy="omit").astype(float)
    return np.where(np.isnan(x), np.nan, r)


def n_rank(x: np.ndarray) -> np.ndarray:
    return _rank_min(x)


def n_borda(x: np.ndarray) -> np.ndarray:
    return _rank_min(x) - 1


def n_prank(x: np.ndarray) -> np.ndarray:
    """Percentile rank ``(rank_min − 1)/(n − 1)``."""
    n = np.sum(~np.isnan(x), axis=0)
    return (_rank_min(x) - 1) / (n - 1)


def n_goalposts(x: np.ndarray, lower: np.ndarray | float, upper: np.ndarray | float, scale: np.ndarray | float = 1.0,
                direction: np.ndarray | int = 1, trunc2posts: bool | np.ndarray = True) -> np.ndarray:
    """Dir 1: ``(x − lo)/(hi − lo)``; dir −1: ``(x − hi)/(lo − hi)``; truncated to [0, 1]; × scale."""
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(np.asarray(direction) == 1, (x - lower) / (upper - lower), (x - upper) / (lower - upper))
    y = np.where(trunc2posts, np.clip(y, 0, 1), y)
    return y * scale


def n_vector(x: np.ndarray) -> np.ndarray:
    """Vector normalisation ``x / sqrt(Σx²)`` (classic TOPSIS); called on direction-adjusted data,
    so a cost column becomes ``−x/‖x‖`` and TOPSIS's ideal (the column max) is its smallest raw value."""
    return x / np.sqrt(_nanstat(np.nansum, x**2))


def _directed(x: np.ndarray, ctx: StepContext) -> np.ndarray:
    d = np.array([ctx.tree.direction.get(c, 1) for c in ctx.columns], dtype=float)
    return x * d[None, :]


@register("normalise", "minmax", "zscore", "scaled", "dist2max", "fracmax", "rank", "borda", "prank",
          "percentile_rank", "vector", "dist2ref")
def normalise(x: np.ndarray, ctx: StepContext, method: str = "minmax", range: tuple[float, float] = (0.0, 100.0),
              mean: float = 0.0, sd: float = 1.0, lower: float = 0.0, upper: float = 100.0,
              scale_factor: float = 100.0, ref: str | None = None, cap_max: bool = False,
              pooled: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
    """Direction-adjust, then normalise every indicator by one method."""
    xd = _directed(x, ctx)
    lo, hi = (range or [0.0, 100.0])[:2]
    if method == "minmax":
        if hi <= lo:
            raise fail("normalise.range 的上限应大于下限", "normalise.range: upper must exceed lower")
        y = n_minmax(xd, lo, hi)
    elif method == "zscore":
        y = n_zscore(xd, mean, sd)
    elif method == "scaled":
        y = n_scaled(xd, lower, upper, scale_factor)
    elif method == "dist2max":
        y = n_dist2max(xd)
    elif method == "fracmax":
        y = n_fracmax(xd)
    elif method == "rank":
        y = n_rank(xd)
    elif method == "borda":
        y = n_borda(xd)
    elif method in ("prank", "percentile_rank"):
        y = n_prank(xd)
    elif method == "vector":
        y = n_vector(xd)  # d·x/‖x‖: a cost column turns negative, so its ideal is the column max like every other
    else:  # dist2ref
        rows = np.flatnonzero(ctx.units == ref)
        if not rows.size:
            raise fail(f"normalise.ref：没有参照单位 {ref}", f"normalise.ref: no reference unit {ref}")
        y = n_dist2ref(xd, int(rows[0]), cap_max)
    return y, {"method": method}


_P = {"pooled"}
normalise.params_by_method = {  # type: ignore[attr-defined]
    "minmax": {"range", *_P}, "zscore": {"mean", "sd", *_P}, "scaled": {"lower", "upper", "scale_factor", *_P},
    "dist2ref": {"ref", "cap_max", *_P}, **{m: set(_P) for m in ("dist2max", "fracmax", "rank", "borda", "prank",
                                                                   "percentile_rank", "vector")}}


@register("normalise", "goalposts")
def normalise_goalposts(x: np.ndarray, ctx: StepContext, method: str = "goalposts",
                        posts: dict[str, list[float]] | None = None, scale: float = 100.0,
                        trunc2posts: bool = True, pooled: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
    """Goalposts per indicator: from the spec (``posts: {code: [lo, hi]}``) or iMeta goalpost columns."""
    k = x.shape[1]
    lo, hi, sc, tr = np.full(k, np.nan), np.full(k, np.nan), np.full(k, scale), np.full(k, trunc2posts)
    for j, c in enumerate(ctx.columns):
        if posts and c in posts:
            lo[j], hi[j] = posts[c][:2]
        elif c in ctx.tree.goalposts:
            lo[j], hi[j], sc[j], tr[j] = ctx.tree.goalposts[c]
    missing = [c for j, c in enumerate(ctx.columns) if np.isnan(lo[j])]
    if missing:
        raise fail(f"normalise goalposts：指标 {', '.join(missing)} 没有门柱值",
                   f"normalise goalposts: no goalposts for {', '.join(missing)}")
    d = np.array([ctx.tree.direction.get(c, 1) for c in ctx.columns])
    return n_goalposts(x, lo, hi, sc, d, tr), {"method": "goalposts"}


@register("normalise", "dist2targ")
def normalise_dist2targ(x: np.ndarray, ctx: StepContext, method: str = "dist2targ",
                        targets: dict[str, float] | None = None, cap_max: bool = False,
                        scale: float = 1.0, pooled: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
    """Distance to target (iMeta ``Target`` unless given) on the raw scale, direction as parameter."""
    t = np.array([(targets or {}).get(c, ctx.tree.target.get(c, np.nan)) for c in ctx.columns])
    if np.isnan(t).any():
        miss = [c for c, v in zip(ctx.columns, t, strict=True) if np.isnan(v)]
        raise fail(f"normalise dist2targ：指标 {', '.join(miss)} 没有目标值", f"normalise dist2targ: no target for {', '.join(miss)}")
    d = np.array([ctx.tree.direction.get(c, 1) for c in ctx.columns])
    return n_dist2targ(x, t, d, cap_max) * scale, {"method": "dist2targ"}
