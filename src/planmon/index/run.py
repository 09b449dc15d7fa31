"""``run_index``: one replayable build holding every stage (like COINr's coin).

An :class:`IndexRun` keeps the tree, every intermediate data set (``stages``), the log
of each step's method and parameters, the spec, the hash of the input data, the scores
of every aggregate level and the ranks. ``uncertainty`` and ``sensitivity`` re-run the
pipeline from the cached stages over the choices declared in the spec.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.pipeline import STAGE_NAMES, Aggregated, DataRunner, aggregate_tree
from planmon.index.spec import Spec, parse_spec
from planmon.index.tree import Tree, build_tree


def rank_desc(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Ranks, 1 = best (highest); ties share the lowest rank; NaN stays NaN."""
    r: np.ndarray = rankdata(-scores, method="min", axis=axis, nan_policy="omit").astype(float)
    return np.where(np.isnan(scores), np.nan, r)


def data_hash(idata: pd.DataFrame, imeta: pd.DataFrame) -> str:
    """SHA-256 of the canonical CSV of both tables (order of rows and columns kept)."""
    h = hashlib.sha256()
    for df in (idata, imeta):
        h.update(df.to_csv(index=False, lineterminator="\n", float_format="%.15g").encode())
    return h.hexdigest()


@dataclass
class IndexRun:
    """A built index: stages, scores, ranks, log; replay with :func:`run_index` on ``spec``."""

    tree: Tree
    spec: dict[str, Any]
    parsed: Spec
    data_hash: str
    stages: dict[str, pd.DataFrame]
    scores: pd.DataFrame
    ranks: pd.DataFrame
    log: list[dict[str, Any]]
    weights: dict[str, float]
    period: float | None
    runner: DataRunner = field(repr=False)
    aggregated: Aggregated = field(repr=False)
    rows: np.ndarray = field(repr=False)  # rows of the final data that belong to the reported period

    @property
    def top(self) -> str:
        return self.tree.top

    def result_table(self) -> pd.DataFrame:
        """uCode, one column per aggregate (every level above the indicators), ``rank`` of the top level."""
        out = self.scores.copy()
        out["rank"] = self.ranks[self.top].to_numpy()
        return out

    def strengths_weaknesses(self, n: int = 3) -> pd.DataFrame:
        """Per unit the ``n`` indicators where it ranks best and worst among units (COINr ``get_str_weak``)."""
        norm = self.stages["Normalised"].set_index("uCode").iloc[self.rows] if len(self.rows) else None
        assert norm is not None
        vals = norm[self.tree.indicators].to_numpy(dtype=float)
        r = rank_desc(vals, axis=0)
        codes = np.array(self.tree.indicators)
        out = []
        for i, u in enumerate(norm.index):
            ri = r[i]
            ok = ~np.isnan(ri)
            order = np.argsort(ri[ok], kind="stable")
            cs, rs = codes[ok][order], ri[ok][order]
            out.append({"uCode": u, "strengths": list(cs[:n]), "strength_ranks": [int(v) for v in rs[:n]],
                        "weaknesses": list(cs[::-1][:n]), "weakness_ranks": [int(v) for v in rs[::-1][:n]]})
        return pd.DataFrame(out)

    def stats(self, dset: str = "Raw") -> dict[str, Any]:
        from planmon.index.stats import index_stats

        return index_stats(self, dset)

    def uncertainty(self, n: int = 1000, seed: int = 0, specs: dict[str, Any] | None = None) -> pd.DataFrame:
        from planmon.index.uncertainty import run_uncertainty

        return run_uncertainty(self, n, seed, specs).summary

    def sensitivity(self, n: int = 100, seed: int = 0, specs: dict[str, Any] | None = None,
                    nboot: int = 100) -> pd.DataFrame:
        from planmon.index.sensitivity import run_sensitivity

        return run_sensitivity(self, n, seed, specs, nboot)

    def to_dict(self) -> dict[str, Any]:
        recs = self.result_table().to_dict(orient="records")
        return {"scores": recs, "spec": self.spec, "data_hash": self.data_hash, "period": self.period,
                "log": self.log, "weights": self.weights}

    def to_json(self) -> str:
        from planmon.cli.context import dumps_json

        return dumps_json(self.to_dict())


def _numeric(idata: pd.DataFrame, codes: list[str]) -> np.ndarray:
    bad = []
    for c in codes:
        col = pd.to_numeric(idata[c], errors="coerce")
        rows = np.flatnonzero(col.isna().to_numpy() & idata[c].notna().to_numpy())
        if rows.size:
            bad.append((c, int(rows[0]) + 2, idata[c].iloc[rows[0]]))
    if bad:
        from planmon.i18n import Message
        from planmon.index.errors import IndexInputError

        raise IndexInputError([Message(f"iData 第 {r} 行 {c} 列：{v!r} 不是数值", f"iData row {r}, column {c}: {v!r} is not a number")
                               for c, r, v in bad])
    return idata[codes].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)


def run_index(idata: pd.DataFrame, imeta: pd.DataFrame, spec: dict[str, Any] | str | Path | None = None,
              period: Any = None) -> IndexRun:
    """Build the index described by ``spec`` on COINr-format tables; see docs/index/."""
    if "uCode" not in idata.columns:
        raise fail("iData 缺少 uCode 列", "iData lacks the uCode column")
    parsed = parse_spec(spec)
    tree = build_tree(imeta, list(idata.columns))
    idata = idata.reset_index(drop=True)
    dup = idata.duplicated(["uCode", "Time"] if "Time" in idata.columns else ["uCode"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise fail(f"iData 第 {i + 2} 行：单位 {idata['uCode'].iloc[i]} 重复", f"iData row {i + 2}: unit {idata['uCode'].iloc[i]} is repeated")
    time = idata["Time"].to_numpy(dtype=float) if "Time" in idata.columns else None
    x0 = _numeric(idata, tree.indicators)
    ctx0 = StepContext(tree, idata["uCode"].astype(str).to_numpy(), tree.indicators, idata, time)
    runner = DataRunner(x0, ctx0)
    results = runner.run(parsed.steps)
    stages = {"Raw": _frame(x0, ctx0)}
    log: list[dict[str, Any]] = []
    for r in results:
        stages[STAGE_NAMES[r.name]] = _frame(r.x, r.ctx)
        log.append({"step": r.name, "params": r.params, "info": _jsonable(r.info)})
    x, ctx = (results[-1].x, results[-1].ctx) if results else (x0, ctx0)
    agg = aggregate_tree(x, tree, parsed, ctx.units, ctx.time)
    log.append({"step": "weights", "params": {str(k): v for k, v in parsed.weights.items()}, "info": _jsonable(agg.info["weights"])})
    log.append({"step": "aggregate", "params": {str(k): v for k, v in parsed.aggregate.items()}, "info": {}})
    allagg = np.concatenate([agg.levels[lev] for lev in range(2, tree.maxlev + 1)], axis=1)
    if parsed.scorer:
        from planmon.index.scorers import score

        top, sinfo = score(parsed.scorer, agg, tree, ctx)
        allagg[:, -1] = top
        agg.levels[tree.maxlev] = top[:, None]
        log.append({"step": "scorer", "params": parsed.scorer, "info": _jsonable(sinfo)})
    stages["Aggregated"] = _frame(np.concatenate([x, allagg], axis=1), ctx, tree.indicators + tree.aggregates)
    want = period if period is not None else parsed.period
    rows, per = _period_rows(ctx.time, want)
    units = ctx.units[rows]
    scores = pd.DataFrame(allagg[rows], columns=tree.aggregates)
    scores.insert(0, "uCode", units)
    ranks = pd.DataFrame({"uCode": units, **{c: rank_desc(scores[c].to_numpy(dtype=float)) for c in tree.aggregates}})
    for c in tree.aggregates:
        ranks[c] = ranks[c].astype("Int64")
    return IndexRun(tree, parsed.raw, parsed, data_hash(idata, imeta), stages, scores, ranks, log, agg.weights, per,
                    runner, agg, rows)


def _period_rows(time: np.ndarray | None, want: Any) -> tuple[np.ndarray, float | None]:
    if time is None or (len(np.unique(time)) == 1 and want is None):
        n = 0 if time is None else len(time)
        return np.arange(n) if time is not None else np.arange(0), (None if time is None else float(time[0]))
    t = float(np.nanmax(time)) if want is None else float(str(want))
    rows = np.flatnonzero(time == t)
    if not rows.size:
        avail = ", ".join(f"{v:g}" for v in np.unique(time))
        raise fail(f"数据中没有时期 {want}（可用：{avail}）", f"no period {want} in the data (available: {avail})")
    return rows, t


def _frame(x: np.ndarray, ctx: StepContext, cols: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(x, columns=cols or ctx.columns)
    df.insert(0, "uCode", ctx.units)
    if ctx.time is not None:
        df.insert(1, "Time", ctx.time)
    return df


def _jsonable(v: Any) -> Any:
    return json.loads(json.dumps(v, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o)))
