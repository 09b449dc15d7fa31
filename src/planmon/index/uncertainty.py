"""Monte Carlo uncertainty analysis over the choices declared in the spec (methods.md §1.11).

Declared inputs (``uncertainty:`` in the spec)::

    weights: {noise: {2: 0.25, 3: 0.25}}        # ±25 % relative noise on the weights of levels 2, 3
    treat.winmax: [1, 2, 3, 4, 5]              # alternative values of one step parameter
    normalise: [{method: minmax, range: [1, 100]}, {method: zscore, mean: 10, sd: 2}]
    impute: [true, false]                      # a whole step: alternatives, false = step off
    aggregate: [arithmetic, geometric]         # aggregation alternatives (all levels, or per level)
    exclude: [null, LPI, Flights]              # remove one indicator (or none)

How it is fast: each replication is a vector of choices. Distinct data-step choices are
few (here 5 × 2), so the data steps run once per distinct prefix of steps (cached);
weights and aggregation then run for all replications at once as batched matrix
products, grouped by (data variant, aggregation), in chunks that bound memory.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.index.aggregate import Where, aggregate_level
from planmon.index.errors import fail
from planmon.index.spec import DATA_STEPS, _as_params, _levelled, check_params

if TYPE_CHECKING:
    from planmon.index.run import IndexRun


@dataclass
class Input:
    """One uncertain input: its name, kind and list of alternatives."""

    name: str
    kind: str  # "data" | "param" | "aggregate" | "weights" | "exclude"
    alternatives: list[Any]

    @property
    def size(self) -> int:
        return len(self.alternatives)


def parse_inputs(specs: dict[str, Any], run: IndexRun) -> list[Input]:
    """Check the declared inputs and return them in declaration order."""
    out: list[Input] = []
    for key, val in specs.items():
        if key == "weights":
            noise = (val or {}).get("noise") if isinstance(val, dict) else None
            if not isinstance(noise, dict) or not noise:
                raise fail("uncertainty.weights 需要 noise: {层级: 比例}", "uncertainty.weights needs noise: {level: fraction}")
            lv = {int(k): float(v) for k, v in noise.items()}
            for lev in lv:
                if lev < 1 or lev >= run.tree.maxlev:
                    raise fail(f"uncertainty.weights：层级 {lev} 无效（1…{run.tree.maxlev - 1}）",
                               f"uncertainty.weights: invalid level {lev} (1…{run.tree.maxlev - 1})")
            out.append(Input("weights", "weights", [{"noise": lv, "sets": int(val.get("sets", 100))}]))
            continue
        if not isinstance(val, list) or not val:
            raise fail(f"uncertainty.{key} 应为非空的备选列表", f"uncertainty.{key} must be a non-empty list of alternatives")
        if key == "aggregate":
            out.append(Input(key, "aggregate", [_levelled("aggregate", a) for a in val]))
        elif key == "exclude":
            for c in val:
                if c is not None and c not in run.tree.indicators:
                    raise fail(f"uncertainty.exclude：没有指标 {c}", f"uncertainty.exclude: no indicator {c}")
            out.append(Input(key, "exclude", list(val)))
        elif key in DATA_STEPS:
            alts = [_as_params(key, a) for a in val]
            for a in alts:
                if a is not None:
                    check = check_params(key, a)
                    if check:
                        from planmon.index.errors import IndexInputError

                        raise IndexInputError(check)
            out.append(Input(key, "data", alts))
        elif "." in key and key.split(".", 1)[0] in DATA_STEPS:
            step = key.split(".", 1)[0]
            if step not in [s for s, _ in run.parsed.steps]:
                raise fail(f"uncertainty.{key}：规格中没有步骤 {step}", f"uncertainty.{key}: the spec has no {step} step")
            out.append(Input(key, "param", list(val)))
        else:
            raise fail(f"uncertainty 中未知的输入 {key}", f"unknown uncertain input {key}")
    return out


def _steps_for(run: IndexRun, inputs: list[Input], choice: np.ndarray) -> list[tuple[str, dict[str, Any]]]:
    steps = [(s, dict(p)) for s, p in copy.deepcopy(run.parsed.steps)]
    for inp, c in zip(inputs, choice, strict=True):
        if inp.kind == "param":
            step, param = inp.name.split(".", 1)
            for s, p in steps:
                if s == step:
                    p[param] = inp.alternatives[int(c)]
        elif inp.kind == "data":
            alt = inp.alternatives[int(c)]
            names = [s for s, _ in steps]
            if inp.name in names:
                i = names.index(inp.name)
                if alt is None:
                    steps.pop(i)
                else:
                    steps[i] = (inp.name, dict(alt))
            elif alt is not None:
                order = [s for s in DATA_STEPS]
                pos = sum(1 for s in names if order.index(s) < order.index(inp.name))
                steps.insert(pos, (inp.name, dict(alt)))
    return steps


def _row_keys(units: np.ndarray, time: np.ndarray | None) -> list[str]:
    return [f"{u}\x1f{'' if time is None else time[i]}" for i, u in enumerate(units)]


class Evaluator:
    """Ranks (and top scores) of many replications, given each one's choice vector."""

    def __init__(self, run: IndexRun, inputs: list[Input], chunk_bytes: float = 2.5e8) -> None:
        if run.parsed.scorer:
            raise fail("不确定性分析不支持 scorer（TOPSIS/PCA）", "uncertainty analysis does not support a scorer (TOPSIS/PCA)")
        self.run, self.inputs, self.tree = run, inputs, run.tree
        self.chunk_bytes = chunk_bytes
        self.base = {lev: np.array([run.weights[c] for c in run.tree.levels[lev]]) for lev in range(1, run.tree.maxlev)}
        self.nominal_units = run.stages["Aggregated"]["uCode"].to_numpy()
        self.rows = run.rows
        self.variant_cache: dict[str, np.ndarray] = {}

    def _data(self, choice: np.ndarray) -> np.ndarray:
        steps = _steps_for(self.run, self.inputs, choice)
        key = json.dumps(steps, sort_keys=True, default=str)
        if key not in self.variant_cache:
            res = self.run.runner.run(steps)
            ctx = res[-1].ctx if res else self.run.runner.ctx0
            x = res[-1].x if res else self.run.runner.x0
            if len(ctx.units) != len(self.nominal_units) or (ctx.units != self.nominal_units).any():
                # screening differs from the nominal run: units it drops get no score (NaN rank) in
                # this variant; units the nominal run dropped are left out
                nominal = self.run.stages["Aggregated"]
                keys = _row_keys(nominal["uCode"].to_numpy(), None if "Time" not in nominal else nominal["Time"].to_numpy())
                pos = {k: i for i, k in enumerate(keys)}
                full = np.full((len(keys), x.shape[1]), np.nan)
                for i, k in enumerate(_row_keys(ctx.units, ctx.time)):
                    if k in pos:
                        full[pos[k]] = x[i]
                x = full
            self.variant_cache[key] = x
        return self.variant_cache[key]

    def weights(self, choice: np.ndarray, rng: np.random.Generator, per_rep: bool) -> dict[int, np.ndarray]:
        r = choice.shape[0]
        w = {lev: np.tile(b, (r, 1)) for lev, b in self.base.items()}
        for j, inp in enumerate(self.inputs):
            if inp.kind == "weights":
                spec = inp.alternatives[0]
                for lev, f in spec["noise"].items():
                    b = self.base[lev]
                    if per_rep:
                        u = rng.random((r, len(b)))
                    else:
                        sets = rng.random((spec["sets"], len(b)))
                        u = sets[np.minimum(choice[:, j], spec["sets"] - 1)]
                    w[lev] = b[None, :] + (2 * u - 1) * f * b[None, :]
            elif inp.kind == "exclude":
                for a, code in enumerate(inp.alternatives):
                    if code is not None:
                        w[1][choice[:, j] == a, self.tree.indicators.index(code)] = 0.0
        return w

    def evaluate(self, choice: np.ndarray, weights: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Top-level scores and ranks, each (R, n units of the reported period)."""
        from planmon.index.ranks import rank_desc

        nrep, n = choice.shape[0], len(self.rows)
        data_cols = [j for j, i in enumerate(self.inputs) if i.kind in ("data", "param")]
        agg_col = next((j for j, i in enumerate(self.inputs) if i.kind == "aggregate"), None)
        dkey = choice[:, data_cols] if data_cols else np.zeros((nrep, 0), dtype=int)
        akey = choice[:, agg_col] if agg_col is not None else np.zeros(nrep, dtype=int)
        combos = np.concatenate([dkey, akey[:, None]], axis=1)
        uniq, inv = np.unique(combos, axis=0, return_inverse=True)
        scores = np.empty((nrep, n))
        maxp = max(len(v) for v in self.tree.levels.values())
        nfull = len(self.nominal_units)
        step = max(1, int(self.chunk_bytes // (nfull * maxp * 8 * 3)))
        members = {lev: self.tree.membership(lev) for lev in range(2, self.tree.maxlev + 1)}
        for u_i, combo in enumerate(uniq):
            reps = np.flatnonzero(inv.ravel() == u_i)
            full = np.zeros(len(self.inputs), dtype=int)
            full[data_cols] = combo[:-1] if data_cols else full[data_cols]
            x1 = self._data(full)
            aspec = self.run.parsed.aggregate if agg_col is None else self.inputs[agg_col].alternatives[int(combo[-1])]
            for c0 in range(0, len(reps), step):
                rr = reps[c0:c0 + step]
                cur = x1[None]
                for lev in range(2, self.tree.maxlev + 1):
                    m = members[lev]
                    wr = weights[lev - 1][rr]
                    # weights shared by the whole chunk (no noise at this level): compute once, broadcast later
                    wl = (m * wr[0][:, None])[None] if (wr == wr[0]).all() else m[None, :, :] * wr[:, :, None]
                    a = aspec.get(lev) or aspec.get("all") or self.run.parsed.aggregate_for(lev)
                    nom = self.run.parsed.aggregate_for(lev)
                    params = {k: v for k, v in {**nom, **a}.items() if k != "method"}
                    cur = aggregate_level(cur, wl, m, a["method"], Where(self.nominal_units, self.tree.levels[lev - 1]),
                                          **params)
                scores[rr] = cur[:, self.rows, 0]
        return scores, rank_desc(scores, axis=1)


@dataclass
class UAResult:
    summary: pd.DataFrame
    ranks: np.ndarray  # (R, n)
    scores: np.ndarray
    choices: np.ndarray
    inputs: list[Input]


def draw_uniform(inputs: list[Input], u: np.ndarray) -> np.ndarray:
    """Map U(0,1) columns to alternative indices by equal bins (COINr's ``cut``)."""
    sizes = np.array([i.alternatives[0]["sets"] if i.kind == "weights" else i.size for i in inputs])
    return np.minimum((u * sizes[None, :]).astype(int), sizes[None, :] - 1)


def rank_quantiles(ranks: np.ndarray, ps: list[float]) -> np.ndarray:
    """Quantiles (R's type 7, as ``np.quantile``) per column of integer ranks 1…n, NaN ignored.

    Counting instead of sorting: a histogram of ranks per unit, its cumulative sum, and for each
    order statistic the first rank whose cumulative count passes it — O(R·n + n²) instead of a
    partition of the R × n array.
    """
    n = ranks.shape[1]
    ok = ~np.isnan(ranks)
    cols = np.broadcast_to(np.arange(n), ranks.shape)[ok]
    vals = ranks[ok].astype(np.int64)
    counts = np.bincount(cols * (n + 1) + vals, minlength=n * (n + 1)).reshape(n, n + 1)
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1].astype(float)
    out = np.empty((len(ps), n))

    def order_stat(k: np.ndarray) -> np.ndarray:
        # smallest rank value v with cum[v] > k (k is 0-based)
        res: np.ndarray = (cum <= k[:, None]).sum(axis=1).astype(float)
        return res

    for i, p in enumerate(ps):
        h = (total - 1) * p
        lo, hi = np.floor(h), np.ceil(h)
        vlo, vhi = order_stat(lo), order_stat(hi)
        out[i] = np.where(total > 0, vlo + (h - lo) * (vhi - vlo), np.nan)
    return out


def rank_summary(run: IndexRun, ranks: np.ndarray) -> pd.DataFrame:
    """Per unit: nominal rank, median, 5th and 95th percentile of the replicated ranks."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q = rank_quantiles(ranks, [0.5, 0.05, 0.95])
        mean = np.nanmean(ranks, axis=0) if np.isnan(ranks).any() else ranks.mean(axis=0)
    return pd.DataFrame({"uCode": run.scores["uCode"].to_numpy(), "nominal": run.ranks[run.top].to_numpy(dtype=float),
                         "median": q[0], "q05": q[1], "q95": q[2], "mean": mean})


def run_uncertainty(run: IndexRun, n: int, seed: int = 0, specs: dict[str, Any] | None = None) -> UAResult:
    """``n`` replications with every declared input drawn independently and uniformly."""
    specs = specs if specs is not None else run.parsed.uncertainty
    if not specs:
        raise fail("规格中没有声明 uncertainty 输入", "the spec declares no uncertainty inputs")
    if n < 1:
        raise fail("重复次数应至少为 1", "the number of replications must be at least 1")
    inputs = parse_inputs(specs, run)
    rng = np.random.default_rng(seed)
    choice = draw_uniform(inputs, rng.random((n, len(inputs))))
    ev = Evaluator(run, inputs)
    w = ev.weights(choice, rng, per_rep=True)
    scores, ranks = ev.evaluate(choice, w)
    return UAResult(rank_summary(run, ranks), ranks, scores, choice, inputs)
