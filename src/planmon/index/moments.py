"""Column-wise skewness and excess kurtosis, missing values ignored (e1071 types 1–3).

Type 2 is COINr's and Excel's SKEW/KURT (methods.md §1.6):
``skew = g·sqrt(n(n−1))/(n−2)``, ``g = sqrt(n)·Σm³/(Σm²)^{3/2}``;
``kurt = ((n+1)(r−3)+6)(n−1)/((n−2)(n−3))``, ``r = n·Σm⁴/(Σm²)²``.
"""

from __future__ import annotations

import numpy as np


def _centred(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    nan = np.isnan(x)
    if not nan.any():
        n = np.full(x.shape[1 - axis] if x.ndim == 2 else (), float(x.shape[axis]))
        return x - np.expand_dims(x.mean(axis=axis), axis), n
    n = np.sum(~nan, axis=axis).astype(float)
    x0 = np.where(nan, 0.0, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = x0.sum(axis=axis) / n
    return np.where(nan, 0.0, x - np.expand_dims(mean, axis)), n


def skewness(x: np.ndarray, kind: int = 2, axis: int = 0) -> np.ndarray:
    """Skewness per column (``axis=0``); NaN where fewer than 3 values or zero spread."""
    m, n = _centred(np.asarray(x, dtype=float), axis)
    m2 = m * m
    s2, s3 = np.sum(m2, axis=axis), np.sum(m2 * m, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.sqrt(n) * s3 / s2**1.5
        if kind == 1:
            out = g
        elif kind == 2:
            out = g * np.sqrt(n * (n - 1)) / (n - 2)
        elif kind == 3:
            out = g * ((n - 1) / n) ** 1.5
        else:
            raise ValueError(f"skewness type must be 1, 2 or 3, not {kind}")
    return np.where((n < 3) | (s2 == 0), np.nan, out)


def kurtosis(x: np.ndarray, kind: int = 2, axis: int = 0) -> np.ndarray:
    """Excess kurtosis per column; NaN where fewer than 4 values or zero spread."""
    m, n = _centred(np.asarray(x, dtype=float), axis)
    m2 = m * m
    s2, s4 = np.sum(m2, axis=axis), np.sum(m2 * m2, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * s4 / s2**2
        if kind == 1:
            out = r - 3
        elif kind == 2:
            out = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
        elif kind == 3:
            out = r * (1 - 1 / n) ** 2 - 3
        else:
            raise ValueError(f"kurtosis type must be 1, 2 or 3, not {kind}")
    return np.where((n < 4) | (s2 == 0), np.nan, out)


def skew_kurt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Type-2 skewness and kurtosis per column from one centring (the hot path of treatment)."""
    m, n = _centred(np.asarray(x, dtype=float), 0)
    m2 = m * m
    s2, s3, s4 = m2.sum(axis=0), (m2 * m).sum(axis=0), (m2 * m2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.sqrt(n) * s3 / s2**1.5
        sk = g * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * s4 / s2**2
        ku = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where((n < 3) | (s2 == 0), np.nan, sk), np.where((n < 4) | (s2 == 0), np.nan, ku)


def passes(x: np.ndarray, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> np.ndarray:
    """COINr ``check_SkewKurt``: an outlier case only if |skew| ≥ t_s AND kurt ≥ t_k."""
    return passes_from(*skew_kurt(x), skew_thresh, kurt_thresh)


def passes_from(s: np.ndarray, k: np.ndarray, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> np.ndarray:
    """The pass rule on given skewness and kurtosis."""
    fail_ = (np.abs(s) >= skew_thresh) & (k >= kurt_thresh)
    return ~np.where(np.isnan(s) | np.isnan(k), False, fail_)
