"""Weights of the children of each aggregate (methods.md §1.8, §5.1, §5.3).

A weight method gets the children's scores at one level (n units × k children) and the
membership of children in parents, and returns one weight per child. Data-driven
methods work within each parent group. Methods: ``meta`` (iMeta Weight), ``equal``,
``pca`` (first-component loadings, COINr), ``entropy`` (variants of the literature),
``critic``, ``combined``, ``ahp`` (pairwise matrices, consistency ratio, choice of
random-index table) and ``balance`` (optimised so that the children correlate equally
with the index, COINr ``get_opt_weights``). Effective weights multiply down the tree.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator

from planmon.i18n import Message
from planmon.index.errors import IndexInputError, fail
from planmon.index.registry import get, register
from planmon.index.tree import Tree


@dataclass
class WeightContext:
    tree: Tree
    level: int  # level of the children whose weights are computed
    codes: list[str]
    member: np.ndarray  # (k, P)
    parents: list[str]
    time: np.ndarray | None = None
    upper: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None  # children scores, weights -> index

    def groups(self) -> list[np.ndarray]:
        return [np.flatnonzero(self.member[:, p]) for p in range(self.member.shape[1])]


def _within(w: np.ndarray, ctx: WeightContext) -> np.ndarray:
    """Renormalise to sum 1 within each parent."""
    out = w.astype(float).copy()
    for g in ctx.groups():
        s = out[g].sum()
        if s != 0:
            out[g] = out[g] / s
    return out


@register("weights", "meta")
def w_meta(x: np.ndarray, ctx: WeightContext, **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    return np.array([ctx.tree.weight[c] for c in ctx.codes], dtype=float), {}


@register("weights", "equal")
def w_equal(x: np.ndarray, ctx: WeightContext, **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    return np.ones(len(ctx.codes)), {}


def pc1_loadings(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-component loadings (unit eigenvector of the correlation matrix, complete rows)
    signed so they sum positive, and the variance shares of all components."""
    xc = x[~np.isnan(x).any(axis=1)]
    z = (xc - xc.mean(axis=0)) / xc.std(axis=0, ddof=1)
    vals, vecs = np.linalg.eigh(np.corrcoef(z, rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    v = vecs[:, 0]
    return (v if v.sum() >= 0 else -v), vals / vals.sum()


@register("weights", "pca")
def w_pca(x: np.ndarray, ctx: WeightContext, **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """PC1 loadings per parent group (COINr ``get_PCA``); a group of one child gets weight 1."""
    w = np.ones(len(ctx.codes))
    shares: dict[str, list[float]] = {}
    for p, g in zip(ctx.parents, ctx.groups(), strict=True):
        if len(g) > 1:
            w[g], s = pc1_loadings(x[:, g])
            shares[p] = [float(v) for v in s]
    return w, {"variance_shares": shares}


def entropy_weights(x: np.ndarray, shift: float = 0.0001, k_n: float | None = None,
                    standardise: bool | str = True, epsilon_at: str = "value") -> tuple[np.ndarray, np.ndarray]:
    """Entropy weights of the columns of ``x`` (already direction-adjusted), complete rows only.

    ``standardise``: ``minmax`` (or True) ``x' = (x − min)/(max − min)``; ``none`` (or False)
    ``x' = x`` (the shares of the data as given; they must not be negative).
    ``epsilon_at: value``: ``p = (x' + ε)/Σ(x' + ε)``, ``e = −k Σ p ln p``;
    ``epsilon_at: share``: ``p = x'/Σx'``, ``e = −k Σ p ln(p + ε)``. With ε = 0, ``0·ln 0 = 0``.
    ``k = 1/ln(k_n or n)``; ``w = (1 − e)/Σ(1 − e)``.
    """
    xc = x[~np.isnan(x).any(axis=1)]
    mode = "minmax" if standardise is True else "none" if standardise is False else standardise
    if mode == "minmax":
        mn, mx = xc.min(axis=0), xc.max(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            xs = np.where(mx > mn, (xc - mn) / (mx - mn), 0.0)
    else:
        if (xc < 0).any():
            raise fail("熵权法 standardise: none 需要非负数据（负值无法构成比重）；请先标准化（如 minmax）",
                       "entropy weights with standardise: none need non-negative data (shares of negative values are "
                       "undefined); normalise first (e.g. minmax)")
        xs = xc
    eps_v, eps_p = (shift, 0.0) if epsilon_at == "value" else (0.0, shift)
    xs = xs + eps_v
    with np.errstate(invalid="ignore", divide="ignore"):
        p = xs / xs.sum(axis=0)
        q = p + eps_p
        plogp = np.where(q > 0, p * np.log(np.where(q > 0, q, 1.0)), 0.0)
    n = k_n if k_n is not None else xc.shape[0]
    e = -plogp.sum(axis=0) / np.log(n)
    g = 1 - e
    return g / g.sum(), e


@register("weights", "entropy")
def w_entropy(x: np.ndarray, ctx: WeightContext, shift: float | None = None, epsilon: float | None = None,
              epsilon_at: Literal["value", "share"] = "value", standardise: Literal["minmax", "none"] = "minmax",
              n: Literal["units"] | float = "units", periods: Literal["pooled", "per_period"] = "pooled",
              scope: Literal["group", "global"] = "group", **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """Entropy weights (methods.md §5.1). ``epsilon`` (older name ``shift``; default 0.0001) placed by
    ``epsilon_at``; ``standardise`` minmax or none; ``n`` = "units" (rows used) or a number for
    ``k = 1/ln n``; ``periods`` = "pooled" (stack all periods, k = 1/ln(r·m)) or "per_period" (mean
    of per-period weights); ``scope`` = "group" (within each parent) or "global" (over all children)."""
    if shift is not None and epsilon is not None:
        raise fail("weights entropy：epsilon 与 shift 是同一个常数，只能给出一个",
                   "weights entropy: epsilon and shift are the same constant; give only one")
    eps = 0.0001 if shift is None and epsilon is None else float(epsilon if epsilon is not None else shift)  # type: ignore[arg-type]
    blocks = [x] if periods == "pooled" or ctx.time is None else [x[ctx.time == t] for t in np.unique(ctx.time)]
    groups = [np.arange(len(ctx.codes))] if scope == "global" else ctx.groups()
    w = np.zeros(len(ctx.codes))
    ent = np.zeros(len(ctx.codes))
    kn = None if n == "units" else float(n)
    for g in groups:
        ws, es = [], []
        for b in blocks:
            wi, ei = entropy_weights(b[:, g], eps, kn, standardise, epsilon_at)
            ws.append(wi)
            es.append(ei)
        w[g] = np.mean(ws, axis=0)
        ent[g] = np.mean(es, axis=0)
    rows = kn if kn is not None else float((~np.isnan(blocks[0]).any(axis=1)).sum())
    return w, {"entropy": [float(v) for v in ent],
               "variant": {"standardise": standardise, "epsilon": eps, "epsilon_at": epsilon_at, "n": n,
                           "k": float(1 / np.log(rows)), "periods": periods, "scope": scope}}


def critic_weights(x: np.ndarray) -> np.ndarray:
    """CRITIC (Diakoulaki 1995): ``C_j = σ_j Σ_k (1 − r_jk)`` on min–max [0,1] data; ``w = C/ΣC``."""
    xc = x[~np.isnan(x).any(axis=1)]
    mn, mx = xc.min(axis=0), xc.max(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        xs = np.where(mx > mn, (xc - mn) / (mx - mn), 0.0)
    sd = xs.std(axis=0, ddof=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = np.nan_to_num(np.corrcoef(xs, rowvar=False)) if xs.shape[1] > 1 else np.ones((1, 1))
    c = sd * (1 - r).sum(axis=0)
    return c / c.sum()


@register("weights", "critic")
def w_critic(x: np.ndarray, ctx: WeightContext, scope: Literal["group", "global"] = "group",
             **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """CRITIC within each parent (``scope: group``) or over all children at once (``global``, as in
    papers that weigh a flat list of indicators; parents then weigh the sum of their children's weights)."""
    w = np.ones(len(ctx.codes))
    for g in [np.arange(len(ctx.codes))] if scope == "global" else ctx.groups():
        if len(g) > 1:
            w[g] = critic_weights(x[:, g])
    return w, {"variant": {"standardise": "minmax", "sd": "n - 1", "correlation": "pearson", "scope": scope}}


@register("weights", "combined")
def w_combined(x: np.ndarray, ctx: WeightContext, of: list[Any] | None = None, alpha: float = 0.5,
               mode: Literal["linear", "multiplicative"] = "linear", **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """Combine two weight sets: ``α w1 + (1−α) w2`` (linear) or ``w1 w2 / Σ w1 w2`` (multiplicative), within groups."""
    if not of or len(of) != 2:
        raise fail("weights combined 需要 of: 两个权重方法", "weights combined needs 'of': two weight methods")
    parts = []
    for sub in of:
        params = {k: v for k, v in sub.items() if k != "method"}
        w, _ = get("weights", sub["method"])(x, ctx, **params)
        parts.append(_within(w, ctx))
    if mode == "linear":
        w = alpha * parts[0] + (1 - alpha) * parts[1]
    elif mode == "multiplicative":
        w = _within(parts[0] * parts[1], ctx)
    else:
        raise fail("weights combined 的 mode 只能是 linear 或 multiplicative", "weights combined: mode must be linear or multiplicative")
    return w, {"parts": [[float(v) for v in p] for p in parts]}


RI_TABLES: dict[str, dict[int, float]] = {
    # Saaty (1980), the table most used in the Chinese literature (methods.md §5.3)
    "saaty1980": {1: 0, 2: 0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49},
    # Saaty (2005) as in AHPy 'saaty'
    "saaty2005": {1: 0, 2: 0, 3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45, 10: 1.49, 11: 1.52,
                  12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59},
    # Donegan & Dodd (1991) as in AHPy 'dd'
    "dd": {1: 0, 2: 0, 3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733, 10: 1.4055},
    # Tummala & Ling (1998) as in pymcdm AHP.RI_M
    "tummala_ling": {1: 0, 2: 0, 3: 0.5799, 4: 0.8921, 5: 1.1159, 6: 1.2358, 7: 1.3322, 8: 1.3952, 9: 1.4537,
                     10: 1.4882, 11: 1.5117},
}


def ahp_priorities(a: np.ndarray, ri: str = "saaty1980", priority: str = "eigen") -> tuple[np.ndarray, float, float, float]:
    """Priority vector, λmax, CI and CR of a reciprocal pairwise matrix (Saaty)."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or not np.allclose(a * a.T, 1.0, rtol=1e-3):
        raise fail("AHP 判断矩阵须为方阵且互反（a_ji = 1/a_ij）", "an AHP matrix must be square and reciprocal (a_ji = 1/a_ij)")
    if ri not in RI_TABLES:
        raise fail(f"未知的随机一致性指标表 {ri}（可用：{', '.join(RI_TABLES)}）", f"unknown random-index table {ri} (known: {', '.join(RI_TABLES)})")
    vals, vecs = np.linalg.eig(a)
    i = int(np.argmax(vals.real))
    lam = float(vals[i].real)
    if priority == "eigen":
        v = np.abs(vecs[:, i].real)
    elif priority == "geometric":
        v = np.exp(np.log(a).mean(axis=1))
    else:
        raise fail("AHP priority 只能是 eigen 或 geometric", "AHP priority must be eigen or geometric")
    w = v / v.sum()
    if n <= 2:
        return w, lam, 0.0, 0.0
    table = RI_TABLES[ri]
    if n not in table:
        raise fail(f"随机一致性指标表 {ri} 不含 n={n}", f"random-index table {ri} has no entry for n={n}")
    ci = (lam - n) / (n - 1)
    return w, lam, ci, ci / table[n]


def judgement(v: Any) -> float:
    """A pairwise judgement: a number or a fraction written as text (``1/3``, as YAML keeps it)."""
    if isinstance(v, str):
        num, _, den = v.partition("/")
        try:
            out = float(num) / (float(den) if den else 1.0)
        except ValueError:
            raise ValueError(f"not a number or fraction: {v!r}") from None
        return out
    return float(v)


Judgement = Annotated[float, BeforeValidator(judgement)]


@register("weights", "ahp")
def w_ahp(x: np.ndarray, ctx: WeightContext, matrices: dict[str, list[list[Judgement]]] | None = None,
          ri: Literal["saaty1980", "saaty2005", "dd", "tummala_ling"] = "saaty1980",
          priority: Literal["eigen", "geometric"] = "eigen", max_cr: float = 0.10, strict: bool = True,
          order: dict[str, list[str]] | None = None, **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """AHP per parent from ``matrices: {parent: [[…]]}`` (children in iMeta order unless ``order`` gives it)."""
    w = np.array([ctx.tree.weight[c] for c in ctx.codes], dtype=float)
    crs: dict[str, float] = {}
    cis: dict[str, float] = {}
    bad: list[Message] = []
    for p, g in zip(ctx.parents, ctx.groups(), strict=True):
        if not matrices or p not in matrices:
            continue
        kids = (order or {}).get(p) or [ctx.codes[i] for i in g]
        a = np.array([[judgement(v) for v in row] for row in matrices[p]], dtype=float)
        if a.shape != (len(kids), len(kids)):
            raise fail(f"AHP：{p} 的判断矩阵应为 {len(kids)}×{len(kids)}", f"AHP: the matrix of {p} must be {len(kids)}×{len(kids)}")
        pw, _lam, cis[p], cr = ahp_priorities(a, ri, priority)
        for c, v in zip(kids, pw, strict=True):
            w[ctx.codes.index(c)] = v
        crs[p] = cr
        if strict and cr >= max_cr:
            bad.append(Message(f"AHP：{p} 的判断矩阵一致性比率 CR={cr:.3f} ≥ {max_cr}（随机指标表 {ri}），请修正判断",
                               f"AHP: the matrix of {p} has consistency ratio CR={cr:.3f} ≥ {max_cr} (RI table {ri}); revise it"))
    if bad:
        raise IndexInputError(bad)
    return w, {"ri": ri, "priority": priority, "ci": cis, "cr": crs}


@register("weights", "balance")
def w_balance(x: np.ndarray, ctx: WeightContext, target: list[float] | str = "equal", maxiter: int = 500,
              **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """Optimise the weights at this level so the children's correlations with the index
    match ``target`` shares: minimise ``log mean((t/Σt − r/Σr)²)`` (Nelder–Mead; COINr "balance")."""
    if ctx.upper is None:
        raise fail("balance 权重需要上层结构", "balance weights need the tree above")
    k = len(ctx.codes)
    t = np.ones(k) if target == "equal" else np.asarray(target, dtype=float)
    t = t / t.sum()
    upper = ctx.upper

    def corr(w: np.ndarray) -> np.ndarray:
        idx = upper(x, np.abs(w) / np.abs(w).sum())
        ok = ~np.isnan(idx) & ~np.isnan(x).any(axis=1)
        return np.array([np.corrcoef(x[ok, j], idx[ok])[0, 1] for j in range(k)])

    def objective(w: np.ndarray) -> float:
        r = corr(w)
        return float(np.log(np.mean((t - r / r.sum()) ** 2) + 1e-300))

    w0 = np.ones(k) / k
    from scipy.optimize import minimize  # scipy only when weights are optimised (keeps the import light)

    res = minimize(objective, w0, method="Nelder-Mead", options={"maxiter": maxiter, "xatol": 1e-6, "fatol": 1e-9})
    w = np.abs(res.x) / np.abs(res.x).sum()
    return w, {"correlations": [float(v) for v in corr(w)], "converged": bool(res.success)}


def effective_weights(tree: Tree) -> dict[str, float]:
    """Weights normalised within each parent, multiplied down from the top (COINr ``get_eff_weights``)."""
    eff: dict[str, float] = {tree.top: 1.0}
    for lev in range(tree.maxlev - 1, 0, -1):
        for parent in tree.levels[lev + 1]:
            kids = [c for c in tree.levels[lev] if tree.parent[c] == parent]
            s = sum(tree.weight[c] for c in kids)
            for c in kids:
                eff[c] = eff[parent] * (tree.weight[c] / s if s else 0.0)
    return eff


def noisy_weights(w: np.ndarray, noise: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """COINr ``get_noisy_weights``: ``w' = w + (2U − 1)·noise·w`` for n replications (n × len(w))."""
    u = rng.random((n, len(w)))
    out: np.ndarray = w[None, :] + (2 * u - 1) * noise * w[None, :]
    return out


@register("weights", "manual")
def w_manual(x: np.ndarray, ctx: WeightContext, values: dict[str, float] | None = None,
             **_: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """Weights given in the spec (``values: {code: weight}``); codes not listed keep iMeta's."""
    vals = values or {}
    return np.array([float(vals.get(c, ctx.tree.weight[c])) for c in ctx.codes]), {}
