"""Growth rates: compound (CAGR) where defined, linear otherwise.

``CAGR = (v1/v0)^(1/years) − 1`` (methods.md §3, notation of Open SDG and UNSD)
is defined only for positive values over a positive span; elsewhere these
functions return NaN and the caller falls back to linear measures and says so.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def compound_defined(v0: FloatArray, v1: FloatArray) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        return np.asarray((v0 > 0) & (v1 > 0), dtype=bool)


def cagr(v0: FloatArray, v1: FloatArray, years: FloatArray,
         positive: NDArray[np.bool_] | None = None) -> FloatArray:
    """Compound annual growth from ``v0`` to ``v1`` over ``years``; NaN where undefined.

    ``positive``: ``compound_defined(v0, v1)`` when the caller already has it.
    """
    ok = (compound_defined(v0, v1) if positive is None else positive) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out: FloatArray = np.where(ok, np.power(v1 / v0, 1.0 / years) - 1.0, np.nan)
    return out


def linear_rate(v0: FloatArray, v1: FloatArray, years: FloatArray) -> FloatArray:
    """Change per year ``(v1 − v0)/years``; NaN for a span that is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(years > 0, (v1 - v0) / years, np.nan)
    return out


def ratio(num: FloatArray, den: FloatArray, keep: NDArray[np.bool_] | None = None) -> FloatArray:
    """``num/den``; NaN where the denominator is zero or either side is missing (or not ``keep``)."""
    ok = np.isfinite(num) & np.isfinite(den) & (den != 0)
    if keep is not None:
        ok &= keep
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(ok, num / den, np.nan)
    return out


def sign_mixed(values: NDArray[np.float64], mask: NDArray[np.bool_], base: FloatArray, latest: FloatArray,
               rule: str) -> NDArray[np.bool_]:
    """Series whose values do not all share one sign (zero counts as either sign).

    ``rule`` "all": every masked point (``base`` stands for column 0, so a base replaced by a small
    constant counts with the replacement's sign); "endpoints": the base and the latest value only.
    """
    if rule == "endpoints":
        return np.asarray(((base > 0) & (latest < 0)) | ((base < 0) & (latest > 0)), dtype=bool)
    rest_v, rest_m = values[:, 1:], mask[:, 1:]
    with np.errstate(invalid="ignore"):
        pos = (base > 0) | ((rest_v > 0) & rest_m).any(axis=1)
        neg = (base < 0) | ((rest_v < 0) & rest_m).any(axis=1)
    return np.asarray(pos & neg, dtype=bool)


def same_sign_cagr(v0: FloatArray, v1: FloatArray, years: FloatArray, ok: NDArray[np.bool_]) -> FloatArray:
    """``(v1/v0)^(1/years) − 1`` where ``ok`` (same-sign values, v0 ≠ 0, positive span); NaN elsewhere.

    For two negative values the ratio is positive: the growth of the magnitude (Open SDG, all values
    negative). A zero ``v1`` gives −1 (the whole magnitude lost).
    """
    good = ok & (years > 0) & (v0 != 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(good, v1 / v0, np.nan)
        out: FloatArray = np.where(good & (ratio >= 0), np.power(np.abs(ratio), 1.0 / years) - 1.0, np.nan)
    return out


def limit_factor(base: FloatArray, limit: FloatArray, exponent: float) -> FloatArray:
    """Open SDG's natural-limit scaling factor C ∈ [0, 1] (1 where no limit is declared).

    With y0 = |base| and L = |limit|: C = 1 − (y0/L)^a for y0 ≤ L (a maximum the indicator cannot
    pass); C = 1 − ((2L − y0)/L)^a for L < y0 < 2L (a minimum); C = 1 for y0 ≥ 2L. So C is 0 at the
    limit, near 1 far from it, and the same at equal relative distances from a maximum or a minimum
    (open-sdg docs/progress-methodology.md, "natural limits"; the exponent a = 4.44 is the constant of
    the reference implementation, sdg-build ProgressMeasure, since the published text gives the
    formula only as an image).
    """
    y0 = np.abs(base)
    lim = np.abs(limit)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = 1.0 - np.power(y0 / lim, exponent)
        above = 1.0 - np.power((2.0 * lim - y0) / lim, exponent)
        c = np.where(y0 >= 2.0 * lim, 1.0, np.where(y0 <= lim, below, above))
    out: FloatArray = np.where(np.isfinite(limit) & np.isfinite(base), c, 1.0)
    return out
