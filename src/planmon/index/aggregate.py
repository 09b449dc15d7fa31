"""Level-by-level aggregation (COINr ``Aggregate``, methods.md §1.9), batched.

Every function takes children scores ``x`` of shape (B, n, k) — B replications (1 for
a plain build), n units, k children — and a weight matrix ``w`` of shape (B, k, P) that
is the 0/1 membership of children in the P parents times the child weights. Weighted
sums over the children are then one matrix product, so thousands of replications run
as a few BLAS calls. Missing children are dropped and the weights of the rest
renormalised; a per-level data threshold sets a parent to missing when too few of its
children are available.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from planmon.index.errors import fail
from planmon.index.registry import register


@dataclass
class Where:
    """Names for error messages: unit codes (per row) and child codes (per column)."""

    units: np.ndarray
    children: list[str]

    def point(self, x: np.ndarray, bad: np.ndarray) -> tuple[str, str, float]:
        b, i, j = (int(v[0]) for v in np.nonzero(bad))
        return str(self.units[i]), self.children[j], float(x[b, i, j])


def bmm(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Batched (B, n, k) @ (B, k, P); when ``a`` is shared by all replications this is one GEMM."""
    if a.shape[0] == 1 and w.shape[0] > 1:
        b, k, p = w.shape
        flat = a[0] @ w.transpose(1, 0, 2).reshape(k, b * p)
        out: np.ndarray = flat.reshape(a.shape[1], b, p).transpose(1, 0, 2)
        return out
    res: np.ndarray = np.matmul(a, w)
    return res


def _mask(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m = ~np.isnan(x)
    return m, np.where(m, x, 0.0)


def _den(mask: np.ndarray, w: np.ndarray, full: bool) -> np.ndarray:
    if full:  # no missing child: the weight sums do not depend on the unit
        return w.sum(axis=1)[:, None, :]
    return bmm(mask.astype(float), w)


@register("aggregate", "arithmetic", "amean", "a_amean")
def a_amean(x: np.ndarray, w: np.ndarray, where: Where, **_: Any) -> np.ndarray:
    """Weighted arithmetic mean ``Σ w x / Σ w`` over the available children."""
    nan = np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if not nan.any():
            out: np.ndarray = bmm(x, w) / w.sum(axis=1)[:, None, :]
            return out
        m = ~nan
        return bmm(np.where(m, x, 0.0), w) / _den(m, w, False)


def _check_positive(x: np.ndarray, m: np.ndarray | None, where: Where, zh: str, en: str) -> None:
    bad = (x <= 0) if m is None else (m & (np.where(m, x, 1.0) <= 0))
    if bad.any():
        u, c, v = where.point(x, bad)
        raise fail(zh.format(u=u, c=c, v=f"{v:g}"), en.format(u=u, c=c, v=f"{v:g}"))


@register("aggregate", "geometric", "gmean", "a_gmean")
def a_gmean(x: np.ndarray, w: np.ndarray, where: Where, **_: Any) -> np.ndarray:
    """Weighted geometric mean ``exp(Σ w ln x / Σ w)``; a value ≤ 0 is an error naming unit and child."""
    nan = np.isnan(x)
    full = not nan.any()
    m = None if full else ~nan
    _check_positive(x, m, where, "几何平均要求正值：单位 {u} 的 {c} 为 {v}（可先将归一化下限设为正数，如 minmax 的 range: [1, 100]）",
                    "the geometric mean needs positive values: unit {u}, {c} is {v} "
                    "(normalise to a positive range first, e.g. minmax range: [1, 100])")
    with np.errstate(invalid="ignore", divide="ignore"):
        if full:
            out: np.ndarray = np.exp(bmm(np.log(x), w) / w.sum(axis=1)[:, None, :])
            return out
        assert m is not None
        return np.exp(bmm(np.where(m, np.log(np.where(m, x, 1.0)), 0.0), w) / _den(m, w, False))


@register("aggregate", "harmonic", "hmean", "a_hmean")
def a_hmean(x: np.ndarray, w: np.ndarray, where: Where, **_: Any) -> np.ndarray:
    """Weighted harmonic mean ``Σ w / Σ (w/x)``; a zero is an error naming unit and child."""
    m, x0 = _mask(x)
    bad = m & (x0 <= 0)
    if bad.any():
        u, c, v = where.point(x, bad)
        raise fail(f"调和平均要求正值：单位 {u} 的 {c} 为 {v:g}", f"the harmonic mean needs positive values: unit {u}, {c} is {v:g}")
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = _den(m, w, bool(m.all())) / bmm(np.where(m, 1.0 / np.where(m, x0, 1.0), 0.0), w)
    return out


@register("aggregate", "genmean", "generalised", "a_genmean")
def a_genmean(x: np.ndarray, w: np.ndarray, where: Where, p: float = 2.0, **_: Any) -> np.ndarray:
    """Generalised (power) mean ``(Σ w x^p / Σ w)^(1/p)``, p ≠ 0; p < 0 or non-integer p need x > 0."""
    if p == 0:
        raise fail("广义平均的 p 不能为 0（p=0 即几何平均）", "the generalised mean needs p ≠ 0 (p = 0 is the geometric mean)")
    m, x0 = _mask(x)
    bad = m & ((x0 <= 0) if (p < 0 or p != int(p)) else np.zeros_like(m))
    if bad.any():
        u, c, v = where.point(x, bad)
        raise fail(f"p={p} 的广义平均要求正值：单位 {u} 的 {c} 为 {v:g}",
                   f"the generalised mean with p={p} needs positive values: unit {u}, {c} is {v:g}")
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = (bmm(np.where(m, x0, 0.0) ** p, w) / _den(m, w, bool(m.all()))) ** (1.0 / p)
    return out


def outrank(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Outranking matrices (B, n, n, P): ``O_ab = Σ_j w_j [x_aj > x_bj] + ½ Σ_j w_j [x_aj = x_bj]``.

    ``w`` (B, k, P) is renormalised to sum 1 within each parent. Built in row blocks so
    memory stays at about 64 MB whatever the number of units.
    """
    bx, n, k = x.shape
    b = max(bx, w.shape[0])
    wn = w / np.where(w.sum(axis=1, keepdims=True) == 0, 1, w.sum(axis=1, keepdims=True))
    out = np.empty((b, n, n, w.shape[2]))
    step = max(1, int(8e6 // max(1, bx * n * k)))
    for a0 in range(0, n, step):
        xa = x[:, a0:a0 + step, None, :]
        c = (xa > x[:, None, :, :]).astype(float) + 0.5 * (xa == x[:, None, :, :])
        if bx == 1 and b > 1:
            out[:, a0:a0 + step] = np.einsum("anj,bjp->banp", c[0], wn)
        else:
            out[:, a0:a0 + step] = np.einsum("banj,bjp->banp", c, wn)
    return out


def outrank_summary(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, int, float]:
    """One group: outranking matrix, number and fraction of dominance pairs (O_ab = 1)."""
    o = outrank(x[None, :, :], w[None, :, None])[0, :, :, 0]
    n = o.shape[0]
    iu = np.triu_indices(n, 1)
    dom = int(((o[iu] == 1) | (o.T[iu] == 1)).sum())
    return o, dom, dom / (n * (n - 1) / 2)


@register("aggregate", "copeland", "a_copeland")
def a_copeland(x: np.ndarray, w: np.ndarray, where: Where, **_: Any) -> np.ndarray:
    """Copeland score: row sums of sign(O − ½) with a zero diagonal."""
    o = outrank(x, w)
    s = np.sign(o - 0.5)
    n = x.shape[1]
    s[:, np.arange(n), np.arange(n), :] = 0
    out: np.ndarray = s.sum(axis=2)
    return out


def aggregate_level(x: np.ndarray, w: np.ndarray, member: np.ndarray, method: str | Callable[..., np.ndarray],
                    where: Where, dat_thresh: float | None = None, **params: Any) -> np.ndarray:
    """Aggregate one level; ``member`` is the 0/1 (k, P) membership used for the data threshold."""
    from planmon.index.registry import get

    fn = get("aggregate", method) if isinstance(method, str) else method
    y = fn(x, w, where, **params)
    if dat_thresh is not None:
        frac = np.matmul((~np.isnan(x)).astype(float), member) / member.sum(axis=0)
        y = np.where(frac < dat_thresh, np.nan, y)
    return y
