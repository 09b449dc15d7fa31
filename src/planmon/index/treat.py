"""Outlier treatment (COINr ``Treat``, methods.md §1.6), vectorised over indicators.

Per indicator: if it passes the skew–kurtosis test it is left alone; otherwise it is
winsorised point by point (at most ``winmax`` points); if it still fails, the fallback
transform is applied to the ORIGINAL values (to the winsorised ones with
``combine: true``). Every treated point and the method per indicator are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.moments import passes, passes_from, skew_kurt, skewness
from planmon.index.registry import register


def log_ct(x: np.ndarray) -> np.ndarray:
    """COIN-tool log: ``log(x − min + 0.01·(max − min))`` per column."""
    mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x - mn + 0.01 * (mx - mn))


def log_ct_orig(x: np.ndarray) -> np.ndarray:
    """Original COIN-tool log: ``log(x − min + 1)``."""
    return np.log(x - np.nanmin(x, axis=0) + 1)


def log_ct_plus(x: np.ndarray) -> np.ndarray:
    """log_CT for right skew; ``−log(max + a − x)`` with ``a = 0.01(max − min)`` for left skew."""
    mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    a = 0.01 * (mx - mn)
    right = skewness(x) >= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(right[None, :], np.log(x - mn + a), -np.log(mx + a - x))


def boxcox(x: np.ndarray, lam: float = 0.0, makepos: bool = True) -> np.ndarray:
    """Box–Cox ``(x^λ − 1)/λ`` (log if λ = 0), after shifting to ``x − min + 1``."""
    y = x - np.nanmin(x, axis=0) + 1 if makepos else x
    if np.nanmin(y) <= 0:
        raise fail("Box-Cox 变换需要正值（可设 makepos: true）", "Box-Cox needs positive values (set makepos: true)")
    return np.log(y) if lam == 0 else (y**lam - 1) / lam


def _plain_log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


FALLBACKS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "log_ct": log_ct, "log_CT": log_ct, "log_ct_orig": log_ct_orig, "log_ct_plus": log_ct_plus,
    "log": _plain_log, "boxcox": boxcox,
}


def winsorise(x: np.ndarray, winmax: int = 5, skew: float = 2.0, kurtosis: float = 3.5,
              force: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Winsorise all failing columns at once; return the data and a tag (+1 high, −1 low, 0).

    Each round replaces the extreme value(s) on the side of the skew by the next value
    inward; ties at the extreme count together. Stops when a column passes or has
    ``winmax`` points treated (with ``force`` it always treats ``winmax`` points).
    """
    x = np.array(x, dtype=float, copy=True)
    tag = np.zeros(x.shape, dtype=np.int8)
    sk, ku = skew_kurt(x)
    ok = np.zeros(x.shape[1], dtype=bool) if force else passes_from(sk, ku, skew, kurtosis)
    nwin = np.zeros(x.shape[1], dtype=int)
    active = ~ok & (nwin < winmax)
    while active.any():
        cols = np.flatnonzero(active)
        xa = x[:, cols]
        hi = sk[cols] >= 0
        mx, mn = np.nanmax(xa, axis=0), np.nanmin(xa, axis=0)
        is_max, is_min = xa == mx, xa == mn
        second_hi = np.nanmax(np.where(is_max, -np.inf, xa), axis=0)
        second_lo = np.nanmin(np.where(is_min, np.inf, xa), axis=0)
        rep_hi = is_max & hi[None, :] & np.isfinite(second_hi)[None, :]
        rep_lo = is_min & ~hi[None, :] & np.isfinite(second_lo)[None, :]
        xa = np.where(rep_hi, second_hi, np.where(rep_lo, second_lo, xa))
        x[:, cols] = xa
        t = tag[:, cols]
        tag[:, cols] = np.where(rep_hi, 1, np.where(rep_lo, -1, t))
        nwin[cols] = (tag[:, cols] != 0).sum(axis=0)
        stuck = ~(rep_hi | rep_lo).any(axis=0)
        sk[cols], ku[cols] = skew_kurt(xa)
        ok[cols] = (nwin[cols] >= winmax) if force else passes_from(sk[cols], ku[cols], skew, kurtosis)
        ok[cols] |= stuck
        active = ~ok & (nwin < winmax)
    return x, tag


def _columns(ctx: StepContext, exclude: list[str] | None) -> np.ndarray:
    ex = set(exclude or [])
    return np.array([c not in ex for c in ctx.columns])


@register("treat", "winsorise")
def treat_winsorise(x: np.ndarray, ctx: StepContext, winmax: int = 5, skew: float = 2.0, kurtosis: float = 3.5,
                    fallback: Literal["log_ct", "log_CT", "log_ct_orig", "log_ct_plus", "log", "boxcox", "none"] = "log_ct",
                    combine: bool = False, force: bool = False,
                    exclude: list[str] | None = None, boxcox_lambda: float = 0.0) -> tuple[np.ndarray, dict[str, Any]]:
    """COINr's default treatment: winsorise up to ``winmax`` points, else the fallback transform."""
    use = _columns(ctx, exclude)
    out = x.copy()
    treated: dict[str, str] = {}
    points: dict[str, dict[str, str]] = {}
    before = passes(x, skew, kurtosis) | ~use
    if force:
        before = ~use
    xs = x[:, ~before]
    if xs.shape[1]:
        w, tag = winsorise(xs, winmax, skew, kurtosis, force)
        still = ~passes(w, skew, kurtosis) if not force else np.zeros(w.shape[1], dtype=bool)
        if still.any() and fallback != "none":
            base = w[:, still] if combine else xs[:, still]
            if fallback not in FALLBACKS:
                raise fail(f"treat.fallback 未知：{fallback}", f"treat.fallback unknown: {fallback}")
            f2 = FALLBACKS[fallback]
            w[:, still] = f2(base) if fallback != "boxcox" else boxcox(base, boxcox_lambda)
        out[:, ~before] = w
        codes = [c for c, b in zip(ctx.columns, before, strict=True) if not b]
        for j, code in enumerate(codes):
            if still[j] and fallback != "none":
                treated[code] = fallback + ("+winsorise" if combine else "")
            else:
                treated[code] = "winsorise"
                pts = {str(ctx.units[i]): ("winhi" if tag[i, j] > 0 else "winlo") for i in np.flatnonzero(tag[:, j])}
                points[code] = pts
    return out, {"treated": treated, "winsorised_points": points}


@register("treat", "log_ct", "log_ct_orig", "log_ct_plus", "boxcox", "log")
def treat_transform(x: np.ndarray, ctx: StepContext, method: str = "log_ct", skew: float = 2.0,
                    kurtosis: float = 3.5, boxcox_lambda: float = 0.0, all: bool = False,
                    exclude: list[str] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Transform the indicators that fail the skew–kurtosis test (or ``all: true``)."""
    use = _columns(ctx, exclude) & (np.ones(x.shape[1], bool) if all else ~passes(x, skew, kurtosis))
    out = x.copy()
    if use.any():
        out[:, use] = boxcox(x[:, use], boxcox_lambda) if method == "boxcox" else FALLBACKS[method](x[:, use])
    return out, {"treated": {c: method for c, u in zip(ctx.columns, use, strict=True) if u}}


_T = {"skew", "kurtosis", "all", "exclude"}
treat_transform.params_by_method = {  # type: ignore[attr-defined]
    "boxcox": {"boxcox_lambda", *_T}, **{m: set(_T) for m in ("log_ct", "log_ct_orig", "log_ct_plus", "log")}}


@register("treat", "log1p_skew")
def treat_log1p_skew(x: np.ndarray, ctx: StepContext, threshold: float = 1.0, skew_type: Literal[1, 2, 3] = 2,
                     exclude: list[str] | None = None, shift: Literal["none", "min"] = "none",
                     c: float = 0.0) -> tuple[np.ndarray, dict[str, Any]]:
    """``ln(1 + x − s + c)`` on every indicator whose |skewness| (e1071 type ``skew_type``) exceeds
    ``threshold``; ``s`` = the column minimum with ``shift: min``, else 0 (default: plain ``log1p(x)``)."""
    sk = skewness(x, skew_type)
    use = _columns(ctx, exclude) & (np.abs(sk) > threshold)
    y = x[:, use] - (np.nanmin(x[:, use], axis=0) if shift == "min" else 0.0) + c
    if (y <= -1).any():
        j, i = np.flatnonzero(use)[np.argwhere(y <= -1)[0][1]], int(np.argwhere(y <= -1)[0][0])
        raise fail(f"log1p 需要 x − s + c 大于 −1：单位 {ctx.units[i]} 的指标 {ctx.columns[j]}（值 {x[i, j]:g}）",
                   f"log1p needs x − s + c above −1: unit {ctx.units[i]}, indicator {ctx.columns[j]} (value {x[i, j]:g})")
    out = x.copy()
    out[:, use] = np.log1p(y)
    formula = "ln(1 + x" + (" − min" if shift == "min" else "") + (f" + {c:g}" if c else "") + ")"
    return out, {"treated": {col: formula for col, u in zip(ctx.columns, use, strict=True) if u},
                 "skew_type": skew_type, "skew": dict(zip(ctx.columns, sk.tolist(), strict=True))}


@register("treat", "none")
def treat_none(x: np.ndarray, ctx: StepContext, method: str = "none") -> tuple[np.ndarray, dict[str, Any]]:
    return x, {"treated": {}}
