"""Statistics of an index build (COINr ``get_stats``, ``get_corr``, ``get_cronbach``, ``get_PCA``, trends).

Per indicator: min, max, mean, median, sd, skewness, kurtosis, availability and the
flags COINr raises (availability < 65 %; |skew| > 2 and kurtosis > 3.5). Correlations
(Pearson or Spearman, pairwise complete) within and across levels; Cronbach's alpha
and PCA variance shares of the children of every aggregate.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.index.moments import kurtosis, skewness
from planmon.index.weights import pc1_loadings

if TYPE_CHECKING:
    from planmon.index.run import IndexRun


def indicator_stats(x: pd.DataFrame, t_skew: float = 2.0, t_kurt: float = 3.5, t_avail: float = 0.65) -> pd.DataFrame:
    """One row per column of ``x`` (units × indicators)."""
    v = x.to_numpy(dtype=float)
    n_avail = (~np.isnan(v)).sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = pd.DataFrame({
            "iCode": list(x.columns), "min": np.nanmin(v, axis=0), "max": np.nanmax(v, axis=0),
            "mean": np.nanmean(v, axis=0), "median": np.nanmedian(v, axis=0), "sd": np.nanstd(v, axis=0, ddof=1),
            "skew": skewness(v), "kurt": kurtosis(v), "n_avail": n_avail, "frac_avail": n_avail / v.shape[0],
            "n_nonzero": ((v != 0) & ~np.isnan(v)).sum(axis=0),
            "n_unique": [len(np.unique(c[~np.isnan(c)])) for c in v.T],
        })
    out["flag_avail"] = np.where(out["frac_avail"] < t_avail, "LOW", "ok")
    out["flag_skewkurt"] = np.where((out["skew"].abs() > t_skew) & (out["kurt"] > t_kurt), "OUT", "ok")
    return out


def correlations(x: pd.DataFrame, method: str = "pearson") -> pd.DataFrame:
    """Pairwise-complete correlation matrix (``pearson`` or ``spearman``)."""
    return x.corr(method=method)  # type: ignore[arg-type]


def cronbach(x: np.ndarray) -> float:
    """Cronbach's alpha ``k²·c̄/ΣC`` from the pairwise covariance matrix C (``c̄`` = mean off-diagonal)."""
    c = pd.DataFrame(x).cov().to_numpy()
    k = c.shape[0]
    if k < 2:
        return float("nan")
    cbar = (c.sum() - np.trace(c)) / (k * (k - 1))
    return float(k**2 * cbar / c.sum())


def cagr(y: np.ndarray, t: np.ndarray) -> float:
    """Compound annual growth between the first and last available points (0 if equal)."""
    ok = ~np.isnan(y)
    y, t = np.asarray(y, float)[ok], np.asarray(t, float)[ok]
    if len(y) < 2 or y[0] == y[-1]:
        return 0.0
    return float((y[-1] / y[0]) ** (1 / (t[-1] - t[0])) - 1)


def prc_change(y: np.ndarray, t: np.ndarray, per: float = 1.0) -> float:
    """Percentage change per ``per`` years: OLS slope if ≥ 3 points, else end points."""
    ok = ~np.isnan(y)
    y, t = np.asarray(y, float)[ok], np.asarray(t, float)[ok]
    if len(y) >= 3:
        b, a = np.polyfit(t, y, 1)
        return float(100 * b * per / (a + b * t[0]))
    return float(100 * (y[-1] - y[0]) / y[0] * per / (t[-1] - t[0]))


def correlation_flags(corr: pd.DataFrame, groups: dict[str, list[str]], cor_thresh: float = 0.9) -> pd.DataFrame:
    """Pairs of children of the same parent correlating above ``cor_thresh`` (COINr ``get_corr_flags``, "high")."""
    rows = []
    for parent, kids in groups.items():
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                r = float(corr.loc[a, b])  # type: ignore[arg-type]
                if r > cor_thresh:
                    rows.append({"parent": parent, "ind1": a, "ind2": b, "corr": r})
    return pd.DataFrame(rows, columns=["parent", "ind1", "ind2", "corr"])


def denominator_correlations(raw: pd.DataFrame, denoms: pd.DataFrame, cor_thresh: float = 0.6) -> pd.DataFrame:
    """Indicator–denominator correlations with |r| above ``cor_thresh`` (COINr ``get_denom_corr``)."""
    rows = []
    for d in denoms.columns:
        for c in raw.columns:
            r = raw[c].corr(denoms[d])
            if abs(r) > cor_thresh:
                rows.append({"denominator": d, "indicator": c, "corr": float(r)})
    return pd.DataFrame(rows, columns=["denominator", "indicator", "corr"])


def index_stats(run: IndexRun, dset: str = "Raw", method: str = "pearson") -> dict[str, Any]:
    """Everything at once, as DataFrames/dicts: indicators, correlations, cronbach, pca."""
    tree = run.tree
    data = run.stages[dset][tree.indicators]
    agg = run.stages["Aggregated"]
    cols = tree.indicators + tree.aggregates
    corr = correlations(agg[cols], method)
    alpha, pca, within = {}, {}, {}
    for lev in range(2, tree.maxlev + 1):
        for node in tree.levels[lev]:
            kids = tree.children(node)
            src = data if lev == 2 and dset in run.stages else agg
            x = src[kids].to_numpy(dtype=float)
            alpha[node] = cronbach(x)
            if len(kids) > 1 and (~np.isnan(x).any(axis=1)).sum() > len(kids):
                load, shares = pc1_loadings(x)
                pca[node] = {"loadings": dict(zip(kids, load.tolist(), strict=True)), "variance_shares": shares.tolist()}
            within[node] = {k: float(corr.to_numpy()[cols.index(k), cols.index(node)]) for k in kids}
    groups = {p: tree.children(p) for p in tree.levels[2]}
    ind_corr = correlations(run.stages[dset][tree.indicators], method)
    idata = run.inputs[0]
    dcols = [c for c in tree.denominators if c in idata.columns]
    dcorr = denominator_correlations(run.stages["Raw"][tree.indicators].reset_index(drop=True),
                                     idata.loc[:, dcols].reset_index(drop=True).astype(float)) if dcols else pd.DataFrame()
    return {"indicators": indicator_stats(data), "correlations": corr, "cronbach": alpha, "pca": pca,
            "child_parent_correlations": within, "correlation_flags": correlation_flags(ind_corr, groups),
            "denominator_correlations": dcorr}
