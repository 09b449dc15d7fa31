"""Projection of a series to its target period.

- compound extrapolation (UNSD Progress Chart, methods.md §3.3):
  v̂_T = v_t·(1 + CAGR_a)^(T − t); where CAGR is undefined, the linear trend
  since the baseline is extended instead: v̂_T = v_t + (v_t − v_b)/(t − b)·(T − t).
- time-weighted linear regression (ESCAP Anticipated Progress, §3.1): weighted
  least squares of value on time over all points, weight (t_i − t_first + 1)^k
  so that recent data count more; evaluated at T. Closed form, vectorised over
  a (series × points) array with a mask.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from planmon.monitor.growth import FloatArray


def compound(vt: FloatArray, rate: FloatArray, t: FloatArray, T: FloatArray) -> FloatArray:
    out: FloatArray = vt * np.power(1.0 + rate, T - t)
    return out


def linear(vb: FloatArray, vt: FloatArray, b: FloatArray, t: FloatArray, T: FloatArray) -> FloatArray:
    out = np.full(np.shape(vt), np.nan)
    ok = t > b
    out[ok] = vt[ok] + (vt[ok] - vb[ok]) / (t[ok] - b[ok]) * (T[ok] - t[ok])
    return out


def weighted_regression(times: NDArray[np.float64], values: NDArray[np.float64], mask: NDArray[np.bool_],
                        at: FloatArray, power: float = 1.0) -> FloatArray:
    """Weighted least-squares line through each row's masked points, evaluated at ``at``.

    NaN where a row has fewer than two distinct times.
    """
    # One pass per point column, accumulating into (series,) sums in column order: the same
    # additions, in the same order, as a column-wise reduction, without transposed copies.
    width = times.shape[1]
    first = np.full(times.shape[0], np.inf)
    for j in range(width):
        np.minimum(first, times[:, j], out=first, where=mask[:, j])
    sw = np.zeros(times.shape[0])
    sx, sy, sxx, sxy = sw.copy(), sw.copy(), sw.copy(), sw.copy()
    x = np.empty(times.shape[0])
    w = np.empty(times.shape[0])
    wx = np.empty(times.shape[0])
    y = np.empty(times.shape[0])
    for j in range(width):
        mk = mask[:, j]
        if not mk.any():
            continue
        x.fill(0.0)
        np.subtract(times[:, j], first, out=x, where=mk)
        w.fill(0.0)
        np.add(x, 1.0, out=w, where=mk)
        if power != 1.0:
            np.power(w, power, out=w, where=mk)
        y.fill(0.0)
        np.copyto(y, values[:, j], where=mk)
        sw += w
        np.multiply(w, x, out=wx)
        sx += wx
        sxx += wx * x
        sxy += wx * y
        sy += w * y
    with np.errstate(divide="ignore", invalid="ignore"):
        xm = sx / sw
        ym = sy / sw
        vxx = sxx - sx * xm  # Σw(x − x̄)²
        vxy = sxy - sx * ym  # Σw(x − x̄)(y − ȳ)
        slope = vxy / vxx
        at_x = at - first
        out: FloatArray = np.where(vxx > 1e-12 * np.maximum(1.0, sxx), ym + slope * (at_x - xm), np.nan)
    return out
