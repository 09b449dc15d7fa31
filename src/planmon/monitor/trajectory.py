"""Expected value on the planned path from baseline (b, v_b) to target (T, v*).

- linear (default; Chinese practice, methods.md §3.6): e_t = v_b + (v* − v_b)·(t − b)/(T − b)
- compound: e_t = v_b·(1 + CAGR_r)^(t − b), defined for positive v_b and v*
- points: piecewise-linear through the baseline, the declared points and the target
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from planmon.monitor.growth import FloatArray, cagr


def linear(vb: FloatArray, vt: FloatArray, b: FloatArray, T: FloatArray, t: FloatArray) -> FloatArray:
    span = T - b
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(span != 0, vb + (vt - vb) * (t - b) / span, np.nan)
    return out


def compound(vb: FloatArray, vt: FloatArray, b: FloatArray, T: FloatArray, t: FloatArray) -> FloatArray:
    """NaN where compound growth is undefined (the caller falls back to linear)."""
    r = cagr(vb, vt, T - b)
    out: FloatArray = vb * np.power(1.0 + r, t - b)
    return out


def points(times: NDArray[np.float64], values: NDArray[np.float64], t: FloatArray) -> FloatArray:
    """Interpolate one indicator's declared path (sorted ``times``) at every ``t``; flat beyond the ends."""
    out: FloatArray = np.interp(t, times, values)
    return out
