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

#: Series per block of the regression (a few hundred kB per temporary).
_BLOCK = 4096


def compound(vt: FloatArray, rate: FloatArray, t: FloatArray, T: FloatArray) -> FloatArray:
    out: FloatArray = vt * np.power(1.0 + rate, T - t)
    return out


def linear(vb: FloatArray, vt: FloatArray, b: FloatArray, t: FloatArray, T: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(t > b, vt + (vt - vb) / (t - b) * (T - t), np.nan)
    return out


def weighted_regression(times: NDArray[np.float64], values: NDArray[np.float64], mask: NDArray[np.bool_],
                        at: FloatArray, power: float = 1.0, first: FloatArray | None = None) -> FloatArray:
    """Weighted least-squares line through each row's masked points, evaluated at ``at``.

    NaN where a row has fewer than two distinct times. ``first``, when the caller
    knows it (a panel's points are in time order), is each row's earliest masked time.
    """
    # Work on the (points × series) view (free when the panel is stored column-major, as
    # build_panel does), in blocks of series small enough that the temporaries stay in cache.
    # Sums run along the points axis in point order, the order of a column-wise reduction.
    n = times.shape[0]
    out: FloatArray = np.empty(n)
    tm_all, vm_all, mk_all = times.T, values.T, mask.T
    with np.errstate(divide="ignore", invalid="ignore"):
        for c0 in range(0, n, _BLOCK):
            c1 = min(n, c0 + _BLOCK)
            mk, tm = mk_all[:, c0:c1], tm_all[:, c0:c1]
            t0 = np.min(np.where(mk, tm, np.inf), axis=0) if first is None else first[c0:c1]
            x = np.where(mk, tm - t0, 0.0)  # shifted so the first point sits at 0 (stable sums)
            y = np.where(mk, vm_all[:, c0:c1], 0.0)
            # x is 0 off the mask, so x + mask is x + 1 on it and 0 off it.
            w = np.add(x, mk) if power == 1.0 else np.where(mk, np.power(x + 1.0, power), 0.0)
            # einsum multiplies left to right, (w·x)·y, and adds in point order: the same
            # roundings as summing the product arrays, without them.
            sw = w.sum(axis=0)
            sx = np.einsum("ji,ji->i", w, x)
            sy = np.einsum("ji,ji->i", w, y)
            sxx = np.einsum("ji,ji,ji->i", w, x, x)
            sxy = np.einsum("ji,ji,ji->i", w, x, y)
            xm = sx / sw
            ym = sy / sw
            vxx = sxx - sx * xm  # Σw(x − x̄)²
            vxy = sxy - sx * ym  # Σw(x − x̄)(y − ȳ)
            slope = vxy / vxx
            at_x = at[c0:c1] - t0
            out[c0:c1] = np.where(vxx > 1e-12 * np.maximum(1.0, sxx), ym + slope * (at_x - xm), np.nan)
    return out
