"""Alternative scorers for the top level: TOPSIS and the PCA composite score (methods.md §5.2).

Both work on the scores of one level (default the normalised indicators) and replace
the score of the top node; the aggregates below keep their aggregated scores.

Directions: every normalisation applies the indicator direction (``vector`` as a sign:
``d·x/‖x‖``), so after a normalise step every column is "higher is better" and TOPSIS's
ideal is the column maximum — for a cost criterion that is its smallest raw value, as in
Hwang & Yoon. Without a normalise step the scorer applies the directions itself, so a
cost criterion is never treated as a benefit (issue #16).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from planmon.index.errors import fail
from planmon.index.registry import register


def topsis(x: np.ndarray, w: np.ndarray, vector: bool = False, directions: np.ndarray | None = None) -> np.ndarray:
    """Closeness ``D−/(D+ + D−)``; ``vector`` normalises columns by ``sqrt(Σx²)`` first (classic TOPSIS).

    ``directions`` (1 benefit, −1 cost) chooses the ideal per column: the maximum of a
    benefit column, the minimum of a cost column (anti-ideal the other way round).
    """
    r = x / np.sqrt(np.nansum(x**2, axis=0)) if vector else x
    v = r * (w / w.sum())[None, :]
    d = np.ones(x.shape[1]) if directions is None else np.asarray(directions, dtype=float)
    best = np.where(d > 0, np.nanmax(v, axis=0), np.nanmin(v, axis=0))
    worst = np.where(d > 0, np.nanmin(v, axis=0), np.nanmax(v, axis=0))
    dp = np.sqrt(np.nansum((v - best) ** 2, axis=1))
    dm = np.sqrt(np.nansum((v - worst) ** 2, axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = dm / (dp + dm)
    return out


class Retain(BaseModel):
    """How many principal components a PCA composite keeps (one explicit rule)."""

    model_config = ConfigDict(extra="forbid")
    rule: Literal["kaiser", "cumulative", "max", "min", "fixed"] = "kaiser"
    min_eigen: float = 1.0
    cum_share: float = 0.8
    k: int | None = None


def retained(vals: np.ndarray, rule: Retain) -> tuple[int, str, str]:
    """Number of components to keep under ``rule``, and why (zh, en).

    kaiser: eigenvalues ≥ ``min_eigen``; cumulative: the fewest components whose variance
    share reaches ``cum_share``; max / min: the larger / smaller of the two counts;
    fixed: ``k``. At least one component is always kept.
    """
    n = len(vals)
    kaiser = max(1, int(np.sum(vals >= rule.min_eigen)))
    cum = np.cumsum(vals) / vals.sum()
    cumulative = min(n, int(np.searchsorted(cum, rule.cum_share - 1e-12)) + 1)
    why_k = (f"{kaiser} 个特征值 ≥ {rule.min_eigen:g}", f"{kaiser} eigenvalue(s) ≥ {rule.min_eigen:g}")
    why_c = (f"前 {cumulative} 个成分累计方差贡献 {cum[cumulative - 1]:.4f} ≥ {rule.cum_share:g}",
             f"the first {cumulative} component(s) explain {cum[cumulative - 1]:.4f} ≥ {rule.cum_share:g}")
    if rule.rule == "kaiser":
        return kaiser, f"Kaiser 准则：{why_k[0]}", f"Kaiser rule: {why_k[1]}"
    if rule.rule == "cumulative":
        return cumulative, f"累计方差准则：{why_c[0]}", f"cumulative-share rule: {why_c[1]}"
    if rule.rule in ("max", "min"):
        k = max(kaiser, cumulative) if rule.rule == "max" else min(kaiser, cumulative)
        zh = "两者中较大者" if rule.rule == "max" else "两者中较小者"
        en = "the larger" if rule.rule == "max" else "the smaller"
        return k, f"{zh}：Kaiser {why_k[0]}；{why_c[0]}", f"{en} of: Kaiser {why_k[1]}; {why_c[1]}"
    if rule.k is None or not 1 <= rule.k <= n:
        raise fail(f"scorer.retain.k 应为 1…{n} 的整数", f"scorer.retain.k must be an integer in 1…{n}")
    return rule.k, f"固定保留 {rule.k} 个成分", f"fixed: {rule.k} component(s)"


def pca_score(x: np.ndarray, min_eigen: float | None = 1.0, cum_share: float | None = None,
              retain: Retain | None = None, sign: str = "correlations", matrix: str = "correlation",
              share_of: str = "retained") -> tuple[np.ndarray, dict[str, Any]]:
    """PCA composite ``F = Σ_c s_c · F_c`` with ``F_c = z·v_c`` and ``s_c`` the variance share of component c.

    ``z``: the indicators centred and (``matrix: correlation``) divided by their n − 1
    standard deviation, complete rows only; ``v_c``: unit eigenvectors of ``cov(z)``.
    Retention by ``retain`` (or the older ``min_eigen``/``cum_share``: both given means
    the smaller count). ``sign``: each component signed so that the sum of its correlations
    with the indicators (``correlations``), the sum of its loadings (``loadings``) or its
    largest absolute loading (``max_loading``, scikit-learn's ``svd_flip``) is positive.
    ``share_of``: variance share among the retained components or of all components.
    Incomplete rows get NaN.
    """
    if retain is None:
        if min_eigen is not None and cum_share is not None:
            retain = Retain(rule="min", min_eigen=min_eigen, cum_share=cum_share)
        elif cum_share is not None:
            retain = Retain(rule="cumulative", cum_share=cum_share)
        else:
            retain = Retain(rule="kaiser", min_eigen=1.0 if min_eigen is None else min_eigen)
    ok = ~np.isnan(x).any(axis=1)
    xc = x[ok]
    z = xc - xc.mean(axis=0)
    if matrix == "correlation":
        sd = xc.std(axis=0, ddof=1)
        z = z / np.where(sd == 0, 1, sd)
    vals, vecs = np.linalg.eigh(np.cov(z, rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = np.clip(vals[order], 0, None), vecs[:, order]
    k, why_zh, why_en = retained(vals, retain)
    v = vecs[:, :k]
    comps = z @ v
    if sign == "correlations":
        zc, cc = z - z.mean(axis=0), comps - comps.mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = (zc.T @ cc) / np.outer(np.sqrt((zc**2).sum(axis=0)), np.sqrt((cc**2).sum(axis=0)))
        s = np.nansum(corr, axis=0)
    elif sign == "loadings":
        s = v.sum(axis=0)
    else:  # max_loading
        s = v[np.argmax(np.abs(v), axis=0), np.arange(k)]
    flip = np.where(s >= 0, 1.0, -1.0)
    v, comps = v * flip[None, :], comps * flip[None, :]
    share = vals[:k] / (vals[:k].sum() if share_of == "retained" else vals.sum())
    out = np.full(x.shape[0], np.nan)
    out[ok] = comps @ share
    total = vals / vals.sum()
    return out, {"eigenvalues": vals.tolist(), "variance_shares": total.tolist(), "retained": k,
                 "retain_rule": retain.model_dump(), "why": {"zh": why_zh, "en": why_en}, "weights": share.tolist(),
                 "sign": sign, "matrix": matrix, "share_of": share_of, "loadings": v.tolist()}


@dataclass
class ScorerContext:
    """What a scorer needs besides the data: weights and directions of the scored level's nodes."""

    codes: list[str]
    weights: np.ndarray  # effective weights of the nodes of the scored level
    directions: np.ndarray  # 1 / −1 per node; all 1 once a normalise step has applied them
    directed: bool  # whether a normalise step has applied the directions


@register("scorer", "topsis")
def score_topsis(x: np.ndarray, ctx: ScorerContext, level: int = 1, vector: bool = False) -> tuple[np.ndarray, dict[str, Any]]:
    """TOPSIS with the effective weights of the tree; ``vector: true`` = vector normalisation first."""
    s = topsis(x, ctx.weights, vector, None if ctx.directed else ctx.directions)
    return s, {"weights": ctx.weights.tolist(), "vector": vector,
               "directions": "applied by the normalise step" if ctx.directed else ctx.directions.tolist()}


@register("scorer", "pca")
def score_pca(x: np.ndarray, ctx: ScorerContext, level: int = 1, retain: Retain | None = None,
              min_eigen: float | None = None, cum_share: float | None = None,
              sign: Literal["correlations", "loadings", "max_loading"] = "correlations",
              matrix: Literal["correlation", "covariance"] = "correlation",
              share_of: Literal["retained", "all"] = "retained") -> tuple[np.ndarray, dict[str, Any]]:
    """PCA composite score (see :func:`pca_score`)."""
    if retain is not None and (min_eigen is not None or cum_share is not None):
        raise fail("scorer：retain 与 min_eigen/cum_share 不能同时给出（请只用 retain）",
                   "scorer: give retain or min_eigen/cum_share, not both (prefer retain)")
    rule = Retain.model_validate(retain) if retain is not None else None  # checked with the spec (validate.py)
    xd = x if ctx.directed else x * ctx.directions[None, :]
    return pca_score(xd, min_eigen, cum_share, rule, sign, matrix, share_of)
