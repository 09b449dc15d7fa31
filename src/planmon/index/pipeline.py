"""Running the steps: data steps (with a prefix cache), then weights and aggregation up the tree.

The data steps map a units × indicators matrix to a new one. :class:`DataRunner` caches
the result of every prefix of steps, so an uncertainty analysis that changes, say, the
winsorisation limit re-runs treatment and normalisation only, and only once per
distinct value. Aggregation is batched over replications (see :mod:`aggregate`).
"""

from __future__ import annotations

import functools
import inspect
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from planmon.index.aggregate import Where, aggregate_level
from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.registry import get
from planmon.index.spec import Spec
from planmon.index.tree import Tree
from planmon.index.weights import WeightContext


@functools.lru_cache(maxsize=256)
def _takes_method(fn: Any) -> bool:
    return "method" in inspect.signature(fn).parameters


def call_step(step: str, x: np.ndarray, ctx: StepContext, params: dict[str, Any]) -> tuple[np.ndarray, dict[str, Any]]:
    fn = get(step, str(params["method"]))
    kwargs = {k: v for k, v in params.items() if k != "method"}
    if _takes_method(fn):
        kwargs["method"] = params["method"]
    out: tuple[np.ndarray, dict[str, Any]] = fn(x, ctx, **kwargs)
    return out


@dataclass
class StepResult:
    name: str
    params: dict[str, Any]
    x: np.ndarray
    ctx: StepContext
    info: dict[str, Any]


STAGE_NAMES = {"denominate": "Denominated", "impute": "Imputed", "screen": "Screened", "treat": "Treated",
               "transform": "Transformed", "normalise": "Normalised"}


def _per_period(step: str, x: np.ndarray, ctx: StepContext, params: dict[str, Any]) -> tuple[np.ndarray, dict[str, Any]]:
    """Normalise each period separately when ``pooled: false`` (a panel); else pooled over all rows."""
    if step != "normalise" or params.get("pooled", True) or ctx.time is None or len(np.unique(ctx.time)) < 2:
        return call_step(step, x, ctx, params)
    out = np.full_like(x, np.nan)
    for t in np.unique(ctx.time):
        rows = ctx.time == t
        out[rows], info = call_step(step, x[rows], ctx.subset(rows), params)
    return out, {**info, "pooled": False}


class DataRunner:
    """Runs data steps from raw data, caching every prefix of (step, params)."""

    def __init__(self, x0: np.ndarray, ctx0: StepContext) -> None:
        self.x0, self.ctx0 = x0, ctx0
        self.cache: dict[str, list[StepResult]] = {}

    def run(self, steps: list[tuple[str, dict[str, Any]]]) -> list[StepResult]:
        results: list[StepResult] = []
        x, ctx = self.x0, self.ctx0
        for i, (name, params) in enumerate(steps):
            key = json.dumps(steps[: i + 1], sort_keys=True, default=str)
            if key in self.cache:
                results = self.cache[key]
                x, ctx = results[-1].x, results[-1].ctx
                continue
            if name == "screen":
                keep, info = call_step(name, x, ctx, params)
                if not keep.any():
                    raise fail("筛选后没有剩余单位", "no unit is left after screening")
                x, ctx = x[keep], ctx.subset(keep)
            else:
                x, info = _per_period(name, x, ctx, params)
            results = [*results, StepResult(name, params, x, ctx, info)]
            self.cache[key] = results
        return results


@dataclass
class Aggregated:
    """Scores of every level (level → (n, P)), final weights per node, and per-level info."""

    levels: dict[int, np.ndarray]
    weights: dict[str, float]
    info: dict[str, Any]


def upper_aggregator(tree: Tree, spec: Spec, level: int, units: np.ndarray) -> Any:
    """Index from the children scores at ``level`` with given weights at that level (for "balance")."""

    def f(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        cur = x
        for lev in range(level + 1, tree.maxlev + 1):
            m = tree.membership(lev)
            ww = w if lev == level + 1 else tree.weights_of(lev - 1)
            a = spec.aggregate_for(lev)
            cur = aggregate_level(cur[None], (m * ww[:, None])[None], m, a["method"], Where(units, tree.levels[lev - 1]),
                                  **{k: v for k, v in a.items() if k != "method"})[0]
        return cur[:, 0]

    return f


def aggregate_tree(x1: np.ndarray, tree: Tree, spec: Spec, units: np.ndarray, time: np.ndarray | None) -> Aggregated:
    """Compute weights and aggregate level by level (a single build)."""
    levels: dict[int, np.ndarray] = {1: x1}
    weights = dict(tree.weight)
    info: dict[str, Any] = {"weights": {}, "aggregate": {}}
    propagated: set[str] = set()
    for lev in range(2, tree.maxlev + 1):
        kids = tree.levels[lev - 1]
        m = tree.membership(lev)
        wp = spec.weights_for(lev - 1)
        wctx = WeightContext(tree.with_weights(weights), lev - 1, kids, m, tree.levels[lev], time,
                             upper_aggregator(tree.with_weights(weights), spec, lev - 1, units))
        if kids[0] in propagated:  # set by a global scope below: the sums of the children's weights
            w, winfo = np.array([weights[c] for c in kids]), {"from": "sum of children (global scope)"}
        else:
            w, winfo = get("weights", wp["method"])(levels[lev - 1], wctx, **{k: v for k, v in wp.items() if k != "method"})
        w = np.asarray(w, dtype=float)
        if wp.get("scope") == "global" and lev < tree.maxlev:  # global entropy: parents weigh the sum of their children
            sums = w @ m
            for c, s in zip(tree.levels[lev], sums, strict=True):
                weights[c] = float(s)
                propagated.add(c)
        weights.update({c: float(v) for c, v in zip(kids, w, strict=True)})
        info["weights"][lev - 1] = {"method": wp["method"], **winfo}
        a = spec.aggregate_for(lev)
        params = {k: v for k, v in a.items() if k != "method"}
        levels[lev] = aggregate_level(levels[lev - 1][None], (m * w[:, None])[None], m, a["method"],
                                      Where(units, kids), **params)[0]
        info["aggregate"][lev] = a
    return Aggregated(levels, weights, info)
