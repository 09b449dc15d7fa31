"""The final rescale: composite scores printed on a chosen range, e.g. 0–100 (issue #16).

Most published indices are printed on 0–100 whatever produced them (an arithmetic mean
of normalised indicators, a TOPSIS closeness, a PCA score). ``rescale`` maps the scores of
chosen levels of the tree (default: the top) by min–max onto ``range``, over the pooled
panel (scores comparable over time) or per period. It is applied to the printed scores
after every level has been aggregated, so it does not change what the levels above are
computed from, nor any rank (min–max is increasing).
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np

from planmon.index.errors import fail
from planmon.index.registry import register


@register("rescale", "minmax")
def rescale(x: np.ndarray, time: np.ndarray | None, range: tuple[float, float] = (0.0, 100.0), pooled: bool = True,
            levels: list[int] | Literal["top", "all"] = "top") -> tuple[np.ndarray, dict[str, Any]]:
    """``(s − min)/(max − min)·(u − l) + l`` per column of ``x`` (pooled, or within each period)."""
    lo, hi = (range or (0.0, 100.0))[:2]
    if hi <= lo:
        raise fail("rescale.range 的上限应大于下限", "rescale.range: upper must exceed lower")
    blocks = [np.ones(len(x), dtype=bool)] if pooled or time is None else [time == t for t in np.unique(time)]
    out = np.full_like(x, np.nan)
    bounds = []
    for rows in blocks:
        b = x[rows]
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column
            mn, mx = np.nanmin(b, axis=0), np.nanmax(b, axis=0)
            out[rows] = (b - mn) / np.where(mx > mn, mx - mn, np.nan) * (hi - lo) + lo
        bounds.append({"min": mn.tolist(), "max": mx.tolist()})
    return out, {"range": [lo, hi], "pooled": bool(pooled or time is None), "bounds": bounds}


@register("rescale", "factor")
def rescale_factor(x: np.ndarray, time: np.ndarray | None, factor: float = 100.0,
                   levels: list[int] | Literal["top", "all"] = "top") -> tuple[np.ndarray, dict[str, Any]]:
    """``s' = factor·s``: how a closeness in [0, 1] (TOPSIS) or a share is usually printed (× 100)."""
    return x * factor, {"factor": factor}
