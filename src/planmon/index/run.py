"""``run_index``: one replayable build holding every stage (like COINr's coin).

An :class:`IndexRun` keeps the tree, every intermediate data set (``stages``), the log
of each step's method and parameters, the spec, the hash of the input data, the scores
of every aggregate level and the ranks. ``uncertainty`` and ``sensitivity`` re-run the
pipeline from the cached stages over the choices declared in the spec.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.index.context import StepContext
from planmon.index.errors import SpecError, fail
from planmon.index.pipeline import STAGE_NAMES, Aggregated, DataRunner, aggregate_tree
from planmon.index.ranks import rank_desc
from planmon.index.spec import Spec, parse_spec
from planmon.index.tree import Tree, build_tree
from planmon.index.validate import check_against_tree, resolved
from planmon.jsonsafe import dumps, jsonable

if TYPE_CHECKING:
    from planmon.index.plots import RunPlots


def data_hash(idata: pd.DataFrame, imeta: pd.DataFrame) -> str:
    """SHA-256 over both tables: column names, and a per-row hash of the values (order kept)."""
    h = hashlib.sha256()
    for df in (idata, imeta):
        h.update("\x1f".join(map(str, df.columns)).encode())
        num = [c for c, t in df.dtypes.items() if pd.api.types.is_numeric_dtype(t)]
        other = [c for c in df.columns if c not in set(num)]
        if num:
            h.update(np.ascontiguousarray(df[num].to_numpy(dtype=float)).tobytes())
        if other:
            h.update("\x1f".join(map(str, df[other].to_numpy().ravel().tolist())).encode())
    return h.hexdigest()


class Stages(Mapping[str, pd.DataFrame]):
    """The data set after every step, built as a DataFrame only when first read."""

    def __init__(self) -> None:
        self._raw: dict[str, tuple[np.ndarray, StepContext, list[str] | None]] = {}
        self._df: dict[str, pd.DataFrame] = {}

    def put(self, name: str, x: np.ndarray, ctx: StepContext, cols: list[str] | None = None) -> None:
        self._raw[name] = (x, ctx, cols)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._df:
            x, ctx, cols = self._raw[name]
            self._df[name] = _frame(x, ctx, cols)
        return self._df[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@dataclass
class IndexRun:
    """A built index: stages, scores, ranks, log; replay with :func:`run_index` on ``spec``."""

    tree: Tree
    spec: dict[str, Any]
    parsed: Spec
    inputs: tuple[pd.DataFrame, pd.DataFrame] = field(repr=False)
    stages: Stages
    scores: pd.DataFrame
    ranks: pd.DataFrame
    log: list[dict[str, Any]]
    weights: dict[str, float]
    period: float | None
    runner: DataRunner = field(repr=False)
    aggregated: Aggregated = field(repr=False)
    rows: np.ndarray = field(repr=False)  # rows of the final data that belong to the reported period

    @functools.cached_property
    def data_hash(self) -> str:
        """SHA-256 of the input iData and iMeta (computed on first use)."""
        return data_hash(*self.inputs)

    @property
    def top(self) -> str:
        return self.tree.top

    @property
    def plot(self) -> RunPlots:
        """The plots of this run: ``run.plot.framework()``, ``.bar()``, ``.corr()``, ``.dist()``,
        ``.uncertainty()``, ``.sensitivity()`` (see :mod:`planmon.index.plots`; matplotlib loads on first use)."""
        from planmon.index.plots import RunPlots

        return RunPlots(self)

    def result_table(self) -> pd.DataFrame:
        """uCode, one column per aggregate (every level above the indicators), ``rank`` of the top level."""
        out = self.scores.copy()
        out["rank"] = self.ranks[self.top].array
        return out

    def effective_weights(self) -> dict[str, float]:
        """Each node's share of the index: weights normalised within parents, multiplied down the tree."""
        from planmon.index.weights import effective_weights

        return effective_weights(self.tree.with_weights(self.weights))

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
        """Rank intervals over the uncertain choices the spec declares (``uncertainty:``), or ``specs``.

        A DataFrame (:class:`planmon.frames.RankIntervals`: uCode, nominal, median, q05, q95, mean) that a
        notebook shows under a summary of the interval widths.

        >>> run.uncertainty(1000, seed=1).head()      # doctest: +SKIP
        """
        from planmon.frames import RankIntervals
        from planmon.index.uncertainty import run_uncertainty

        return RankIntervals(run_uncertainty(self, n, seed, specs).summary)

    def sensitivity(self, n: int = 100, seed: int = 0, specs: dict[str, Any] | None = None,
                    nboot: int = 100) -> pd.DataFrame:
        from planmon.index.sensitivity import run_sensitivity

        return run_sensitivity(self, n, seed, specs, nboot)

    def records(self) -> list[dict[str, Any]]:
        """The result table as JSON-ready records (missing score or rank → None)."""
        out: list[dict[str, Any]] = jsonable(self.result_table())
        return out

    def to_dict(self) -> dict[str, Any]:
        recs = self.records()
        return {"scores": recs, "spec": self.spec, "data_hash": self.data_hash, "period": self.period,
                "log": self.log, "weights": self.weights}

    def to_json(self) -> str:
        return dumps(self.to_dict(), indent=2)

    def to_excel(self, path: str | Path) -> Path:
        """Write every stage, the scores, ranks, weights, statistics, log and spec to one ``.xlsx`` workbook.

        One sheet per table (see :mod:`planmon.index.excel`), written by the report workbook's sheet writer;
        ``pandas.read_excel(path, sheet_name=stage)`` reads a stage back as ``run.stages[stage]``.

        >>> run.to_excel("asem-build.xlsx")      # doctest: +SKIP
        PosixPath('asem-build.xlsx')
        """
        from planmon.index.excel import to_excel

        return to_excel(self, path)

    def _repr_html_(self) -> str:
        from planmon.display import run_card

        return run_card(self).html()

    def __repr__(self) -> str:
        from planmon.display import run_card

        return run_card(self).text()


def _numeric(idata: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """The indicator columns as floats; a text cell is an error naming row and column."""
    try:
        out: np.ndarray = idata[codes].to_numpy(dtype=float)
        return out
    except (TypeError, ValueError):
        pass  # a text cell somewhere: find and name it
    sub = idata[codes]
    bad = []
    for c in codes:
        if pd.api.types.is_numeric_dtype(sub[c].dtype):
            continue
        col = pd.to_numeric(sub[c], errors="coerce")
        rows = np.flatnonzero(col.isna().to_numpy() & sub[c].notna().to_numpy())
        if rows.size:
            bad.append((c, int(rows[0]) + 2, sub[c].iloc[rows[0]]))
    if bad:
        from planmon.i18n import Message
        from planmon.index.errors import IndexInputError

        raise IndexInputError([Message(f"iData 第 {r} 行 {c} 列：{v!r} 不是数值", f"iData row {r}, column {c}: {v!r} is not a number")
                               for c, r, v in bad])
    return sub.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)


def run_index(idata: pd.DataFrame, imeta: pd.DataFrame, spec: dict[str, Any] | str | Path | None = None,
              period: Any = None) -> IndexRun:
    """Build the index described by ``spec`` on COINr-format tables; see docs/index/.

    ``spec``: a dict, a YAML file or YAML text (None: :data:`DEFAULT_SPEC`); ``period``: the period to
    report when the data have a ``Time`` column (default: the latest).

    >>> run = run_index(idata, imeta, "docs/index/examples/asem.yaml")     # doctest: +SKIP
    >>> run.result_table().sort_values("rank").head(3)                      # doctest: +SKIP
    """
    if "uCode" not in idata.columns:
        raise fail("iData 缺少 uCode 列", "iData lacks the uCode column")
    parsed = parse_spec(spec)
    tree = build_tree(imeta, list(idata.columns))
    data_issues = check_against_tree(parsed.raw, tree.levels, idata["uCode"].astype(str).unique().tolist()
                                     if isinstance(parsed.raw.get("screen"), dict) else [])
    if data_issues:
        raise SpecError(data_issues)
    if not (isinstance(idata.index, pd.RangeIndex) and idata.index.start == 0 and idata.index.step == 1):
        idata = idata.reset_index(drop=True)
    codes = idata["uCode"].astype(str).to_numpy()
    keys = list(zip(codes, idata["Time"].tolist(), strict=True)) if "Time" in idata.columns else list(codes)
    if len(set(keys)) != len(keys):
        seen: set[Any] = set()
        i = next(j for j, k in enumerate(keys) if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise fail(f"iData 第 {i + 2} 行：单位 {idata['uCode'].iloc[i]} 重复", f"iData row {i + 2}: unit {idata['uCode'].iloc[i]} is repeated")
    time = idata["Time"].to_numpy(dtype=float) if "Time" in idata.columns else None
    x0 = _numeric(idata, tree.indicators)
    ctx0 = StepContext(tree, codes, tree.indicators, idata, time)
    runner = DataRunner(x0, ctx0)
    results = runner.run(parsed.steps)
    stages = Stages()
    stages.put("Raw", x0, ctx0)
    log: list[dict[str, Any]] = []
    for r in results:
        stages.put(STAGE_NAMES[r.name], r.x, r.ctx)
        log.append({"step": r.name, "params": r.params, "resolved": resolved(r.name, r.params),
                    "info": _jsonable(r.info)})
    x, ctx = (results[-1].x, results[-1].ctx) if results else (x0, ctx0)
    agg = aggregate_tree(x, tree, parsed, ctx.units, ctx.time)
    log.append({"step": "weights", "params": {str(k): v for k, v in parsed.weights.items()},
                "resolved": {str(lev - 1): ({"method": "sum of children (global scope)"}
                                            if "from" in agg.info["weights"][lev - 1] else
                                            resolved("weights", parsed.weights_for(lev - 1)))
                             for lev in range(2, tree.maxlev + 1)},
                "info": _jsonable(agg.info["weights"])})
    log.append({"step": "aggregate", "params": {str(k): v for k, v in parsed.aggregate.items()},
                "resolved": {str(lev): resolved("aggregate", parsed.aggregate_for(lev))
                             for lev in range(2, tree.maxlev + 1)}, "info": {}})
    allagg = np.concatenate([agg.levels[lev] for lev in range(2, tree.maxlev + 1)], axis=1)
    if parsed.scorer:
        top, sinfo = _score(parsed.scorer, agg, tree, directed=any(n == "normalise" for n, _ in parsed.steps))
        allagg[:, -1] = top
        agg.levels[tree.maxlev] = top[:, None]
        log.append({"step": "scorer", "params": parsed.scorer, "resolved": resolved("scorer", parsed.scorer),
                    "info": _jsonable(sinfo)})
    if parsed.rescale:
        allagg, rinfo = _rescale(parsed.rescale, allagg, tree, ctx.time)
        log.append({"step": "rescale", "params": parsed.rescale, "resolved": resolved("rescale", parsed.rescale),
                    "info": _jsonable(rinfo)})
    stages.put("Aggregated", np.concatenate([x, allagg], axis=1), ctx, tree.indicators + tree.aggregates)
    want = period if period is not None else parsed.period
    rows, per = _period_rows(ctx.time, len(ctx.units), want)
    units = ctx.units[rows]
    top_rows = allagg[rows]
    scores = pd.DataFrame({"uCode": units, **{c: top_rows[:, j] for j, c in enumerate(tree.aggregates)}})
    rk = rank_desc(top_rows, axis=0)
    gaps = bool(np.isnan(rk).any())
    ranks = pd.DataFrame({"uCode": units, **{c: (pd.array(rk[:, j], dtype="Int64") if gaps else rk[:, j].astype(np.int64))
                                             for j, c in enumerate(tree.aggregates)}})
    return IndexRun(tree, parsed.raw, parsed, (idata, imeta), stages, scores, ranks, log, agg.weights, per,
                    runner, agg, rows)


def _score(spec: dict[str, Any], agg: Aggregated, tree: Tree, directed: bool) -> tuple[np.ndarray, dict[str, Any]]:
    """Score the top node by the registered scorer ``spec['method']`` from level ``spec.get('level', 1)``."""
    from planmon.index.registry import get
    from planmon.index.scorers import ScorerContext
    from planmon.index.weights import effective_weights

    level = int(spec.get("level", 1))
    if level not in agg.levels or level >= tree.maxlev:
        raise fail(f"scorer.level 应在 1…{tree.maxlev - 1}", f"scorer.level must be in 1…{tree.maxlev - 1}")
    codes = tree.levels[level]
    eff = effective_weights(tree.with_weights(agg.weights))
    sctx = ScorerContext(codes, np.array([eff[c] for c in codes]),
                         np.array([tree.direction.get(c, 1) for c in codes], dtype=float), directed or level > 1)
    out: tuple[np.ndarray, dict[str, Any]] = get("scorer", spec["method"])(
        agg.levels[level], sctx, **{k: v for k, v in spec.items() if k != "method"})
    return out


def _rescale(spec: dict[str, Any], allagg: np.ndarray, tree: Tree, time: np.ndarray | None) -> tuple[np.ndarray, dict[str, Any]]:
    """Rescale the printed scores of the chosen levels (``levels``: top, all or a list)."""
    from planmon.index.registry import get

    levels = spec.get("levels", "top")
    want = [tree.maxlev] if levels == "top" else sorted(lv for lv in tree.levels if lv > 1) if levels == "all" else list(levels)
    bad = [lv for lv in want if lv < 2 or lv > tree.maxlev]
    if bad:
        raise fail(f"rescale.levels：层级 {bad} 不存在（聚合层级为 2…{tree.maxlev}）",
                   f"rescale.levels: no level {bad} (the aggregate levels are 2…{tree.maxlev})")
    cols = [j for j, c in enumerate(tree.aggregates) if any(c in tree.levels[lv] for lv in want)]
    out = allagg.copy()
    fn = get("rescale", spec["method"])
    out[:, cols], info = fn(allagg[:, cols], time, **{k: v for k, v in spec.items() if k not in ("method", "levels")})
    return out, {**info, "levels": want, "nodes": [tree.aggregates[j] for j in cols]}


def _period_rows(time: np.ndarray | None, n: int, want: Any) -> tuple[np.ndarray, float | None]:
    """Rows of the reported period: all rows without a Time column, else the chosen (default latest) period."""
    if time is None:
        if want is not None:
            raise fail("数据没有 Time 列，不能选择时期", "the data have no Time column: a period cannot be chosen")
        return np.arange(n), None
    t = float(np.nanmax(time)) if want is None else float(str(want))
    rows = np.flatnonzero(time == t)
    if not rows.size:
        avail = ", ".join(f"{v:g}" for v in np.unique(time))
        shown = f"{want:g}" if isinstance(want, float) else want  # 1999, never 1999.0
        raise fail(f"数据中没有时期 {shown}（可用：{avail}）", f"no period {shown} in the data (available: {avail})")
    return rows, t


def _frame(x: np.ndarray, ctx: StepContext, cols: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(x, columns=cols or ctx.columns)
    df.insert(0, "uCode", ctx.units)
    if ctx.time is not None:
        df.insert(1, "Time", ctx.time)
    return df


def _jsonable(v: Any) -> Any:
    return json.loads(json.dumps(v, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o)))
