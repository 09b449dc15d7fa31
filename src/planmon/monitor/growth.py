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
