"""Ranks of scores (1 = best), shared by the index run and its uncertainty analysis."""

from __future__ import annotations

import numpy as np


def rank_desc(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Ranks, 1 = best (highest); ties share the lowest rank; NaN stays NaN.

    One argsort per row: in sorted order a tie group starts where the value
    changes, and every member gets that start position + 1.
    """
    s = np.moveaxis(np.asarray(scores, dtype=float), axis, -1)
    nan = np.isnan(s)
    has_nan = bool(nan.any())
    v = np.where(nan, np.inf, -s) if has_nan else -s
    order = np.argsort(v, axis=-1)
    sv = np.take_along_axis(v, order, axis=-1)
    n = s.shape[-1]
    new = np.ones(sv.shape, dtype=bool)
    new[..., 1:] = sv[..., 1:] != sv[..., :-1]
    start = np.where(new, np.arange(1, n + 1, dtype=np.float64), 0.0)
    np.maximum.accumulate(start, axis=-1, out=start)
    r = np.empty(sv.shape)
    np.put_along_axis(r, order, start, axis=-1)
    if has_nan:
        r[nan] = np.nan
    return np.moveaxis(r, -1, axis)
