"""Alternative scorers for the top level: TOPSIS and the PCA composite score (methods.md §5.2, issue #5).

Both work on the normalised indicators (direction already applied) and replace the
score of the top node; the aggregates below keep their aggregated scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.pipeline import Aggregated
from planmon.index.tree import Tree
from planmon.index.weights import effective_weights


def topsis(x: np.ndarray, w: np.ndarray, vector: bool = False, directions: np.ndarray | None = None) -> np.ndarray:
    """Closeness ``D−/(D+ + D−)``; ``vector`` normalises columns by ``sqrt(Σx²)`` first (classic TOPSIS)."""
    r = x / np.sqrt(np.nansum(x**2, axis=0)) if vector else x
    v = r * (w / w.sum())[None, :]
    d = np.ones(x.shape[1]) if directions is None else directions
    best = np.where(d > 0, np.nanmax(v, axis=0), np.nanmin(v, axis=0))
    worst = np.where(d > 0, np.nanmin(v, axis=0), np.nanmax(v, axis=0))
    dp = np.sqrt(np.nansum((v - best) ** 2, axis=1))
    dm = np.sqrt(np.nansum((v - worst) ** 2, axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = dm / (dp + dm)
    return out


def pca_score(x: np.ndarray, min_eigen: float | None = 1.0, cum_share: float | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """PCA composite: retained components weighted by variance share.

    Retention: eigenvalue ≥ ``min_eigen`` and/or the fewest components reaching
    ``cum_share``; each component is signed so its correlations with the standardised
    indicators sum positive. Incomplete rows get NaN.
    """
    ok = ~np.isnan(x).any(axis=1)
    xc = x[ok]
    sd = xc.std(axis=0, ddof=1)
    z = (xc - xc.mean(axis=0)) / np.where(sd == 0, 1, sd)
    vals, vecs = np.linalg.eigh(np.cov(z, rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    keep = np.ones(len(vals), dtype=bool)
    if min_eigen is not None:
        keep &= vals >= min_eigen
    if cum_share is not None:
        cum = np.cumsum(vals) / vals.sum()
        keep &= np.arange(len(vals)) <= int(np.searchsorted(cum, cum_share))
    keep[0] = True
    comps = z @ vecs[:, keep]
    corr = np.array([[np.corrcoef(z[:, j], comps[:, c])[0, 1] for j in range(z.shape[1])] for c in range(comps.shape[1])])
    sign = np.where(np.nansum(corr, axis=1) >= 0, 1.0, -1.0)
    comps = comps * sign[None, :]
    share = vals[keep] / vals[keep].sum()
    out = np.full(x.shape[0], np.nan)
    out[ok] = comps @ share
    return out, {"eigenvalues": vals.tolist(), "retained": int(keep.sum()), "weights": share.tolist()}


def score(spec: dict[str, Any], agg: Aggregated, tree: Tree, ctx: StepContext) -> tuple[np.ndarray, dict[str, Any]]:
    """Score the top node by ``spec['method']`` from level ``spec.get('level', 1)`` data."""
    level = int(spec.get("level", 1))
    if level not in agg.levels or level >= tree.maxlev:
        raise fail(f"scorer.level 应在 1…{tree.maxlev - 1}", f"scorer.level must be in 1…{tree.maxlev - 1}")
    x = agg.levels[level]
    if spec["method"] == "topsis":
        eff = effective_weights(tree.with_weights(agg.weights))
        w = np.array([eff[c] for c in tree.levels[level]])
        s = topsis(x, w, bool(spec.get("vector", False)))
        return s, {"weights": w.tolist(), "vector": bool(spec.get("vector", False))}
    return pca_score(x, spec.get("min_eigen", 1.0), spec.get("cum_share"))
