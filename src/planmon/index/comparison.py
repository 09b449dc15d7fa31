"""Compare two index runs: how each unit's score and rank move, and which steps of the specs differ.

Why: an analyst who changes one choice (geometric instead of arithmetic mean, another normalisation)
wants to see at once who moves and by how much, and to be sure that the one choice is the only
difference (COINr's ``compare_coins``, plus the diff of the two builds COINr leaves to the reader).

The shifts follow COINr's sign: ``rank_shift = rank_b - rank_a`` (negative: the unit rises in B),
``score_shift = score_b - score_a``. Units present in one run only are kept with the other side
missing. The step diff compares the *resolved* parameters of each step (what actually ran, defaults
filled in, from each run's log), the weights each node received, the input data and the period.

Example (COINr's ASEM data, arithmetic vs geometric mean)::

    >>> from planmon.index import compare, read_coinr, run_index          # doctest: +SKIP
    >>> idata, imeta = read_coinr("ASEM_iData.csv", "ASEM_iMeta.csv")    # doctest: +SKIP
    >>> a = run_index(idata, imeta, "asem.yaml")                         # doctest: +SKIP
    >>> b = run_index(idata, imeta, {**a.spec, "aggregate": {"method": "geometric"}})  # doctest: +SKIP
    >>> c = compare(a, b)                                                # doctest: +SKIP
    >>> c.changed_steps                                                  # doctest: +SKIP
    ['aggregate']
    >>> c.units.sort_values("rank_shift").head()                         # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.index.errors import fail

if TYPE_CHECKING:
    from planmon.index.run import IndexRun

UNIT_COLUMNS = ["uCode", "score_a", "score_b", "rank_a", "rank_b", "rank_shift", "score_shift"]
STEP_COLUMNS = ["step", "a", "b", "differs", "changes"]


@dataclass
class RunComparison:
    """The result of :func:`compare`.

    ``units``: one row per unit (``uCode, score_a, score_b, rank_a, rank_b, rank_shift, score_shift``),
    in A's rank order; ``steps``: one row per pipeline step (``step, a, b, differs, changes``) where
    ``a``/``b`` are the resolved parameters (None: the step did not run) and ``changes`` lists
    ``"key: a → b"`` for every parameter that differs; ``code``: the aggregate compared.
    """

    units: pd.DataFrame
    steps: pd.DataFrame
    code: str
    names: tuple[str, str] = ("A", "B")

    @property
    def changed_steps(self) -> list[str]:
        """The steps whose resolved parameters (or weights, data, period) differ, in pipeline order."""
        return [str(s) for s in self.steps.loc[self.steps["differs"], "step"]]

    @property
    def moved(self) -> pd.DataFrame:
        """The units whose rank differs between the runs, largest absolute shift first."""
        u = self.units
        m = u[u["rank_shift"].fillna(0) != 0]
        return m.iloc[np.argsort(-m["rank_shift"].abs().to_numpy(dtype=float), kind="stable")]

    def _card(self, lang: str | None = None) -> Any:
        from planmon.display import comparison_card

        return comparison_card(self, lang)

    def _repr_html_(self) -> str:
        html: str = self._card().html()
        return html

    def __repr__(self) -> str:
        text: str = self._card().text()
        return text


def compare(run_a: IndexRun, run_b: IndexRun, code: str | None = None,
            names: tuple[str, str] = ("A", "B")) -> RunComparison:
    """Rank and score shifts per unit between two runs, and which steps of their specs differ.

    ``code``: the aggregate to compare (default: the top of the index; any aggregate both runs
    share, e.g. a pillar). Ranks are those each run gives on its own (``run.ranks``), so the shifts
    are exactly the differences of the two separate rankings.

    >>> from planmon.index import compare, read_coinr, run_index               # doctest: +SKIP
    >>> a = run_index(*read_coinr("ASEM_iData.csv", "ASEM_iMeta.csv"))        # doctest: +SKIP
    >>> compare(a, a).changed_steps                                           # doctest: +SKIP
    []
    """
    code = code or run_a.top
    for name, run in zip(names, (run_a, run_b), strict=True):
        if code not in run.scores.columns:
            raise fail(f"运行 {name} 中没有聚合项 {code}（可选：{', '.join(map(str, run.scores.columns[1:]))}）",
                       f"run {name} has no aggregate {code} (choose from: {', '.join(map(str, run.scores.columns[1:]))})")
    a = pd.DataFrame({"uCode": run_a.scores["uCode"].astype(str), "score_a": run_a.scores[code].astype(float),
                      "rank_a": run_a.ranks[code].astype("Float64")})
    b = pd.DataFrame({"uCode": run_b.scores["uCode"].astype(str), "score_b": run_b.scores[code].astype(float),
                      "rank_b": run_b.ranks[code].astype("Float64")})
    m = a.merge(b, on="uCode", how="outer", sort=False)
    order = np.lexsort((m["uCode"].to_numpy(dtype=str), m["rank_b"].to_numpy(dtype=float, na_value=np.inf),
                        m["rank_a"].to_numpy(dtype=float, na_value=np.inf)))
    m = m.iloc[order].reset_index(drop=True)
    for c in ("rank_a", "rank_b"):
        m[c] = m[c].astype("Int64")
    m["rank_shift"] = (m["rank_b"] - m["rank_a"]).astype("Int64")
    m["score_shift"] = m["score_b"] - m["score_a"]
    return RunComparison(m[UNIT_COLUMNS], spec_diff(run_a, run_b), code, names)


# --- the spec diff -----------------------------------------------------------------------------------


def _steps(run: IndexRun) -> dict[str, Any]:
    """Step → resolved parameters, in the order the run applied them (from its log)."""
    return {str(e["step"]): e.get("resolved", e.get("params")) for e in run.log}


def _flat(v: Any, prefix: str = "") -> dict[str, Any]:
    """A nested dict as ``{"a.b": leaf}``; lists and scalars are leaves (compared whole)."""
    if isinstance(v, dict):
        out: dict[str, Any] = {}
        for k, x in v.items():
            out.update(_flat(x, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: v}


def _show(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, default=str)


def _changes(a: Any, b: Any) -> list[str]:
    if a is None or b is None:
        return [f"{_show(a)} → {_show(b)}"] if a != b else []
    fa, fb = _flat(a), _flat(b)
    return [f"{k}: {_show(fa.get(k))} → {_show(fb.get(k))}" for k in dict.fromkeys([*fa, *fb])
            if fa.get(k) != fb.get(k)]


def spec_diff(run_a: IndexRun, run_b: IndexRun) -> pd.DataFrame:
    """One row per pipeline step of either run (A's order, then B's extra steps), then the weights each
    node received, the input data (hash) and the period: ``step, a, b, differs, changes``."""
    sa, sb = _steps(run_a), _steps(run_b)
    rows: list[dict[str, Any]] = []
    for step in dict.fromkeys([*sa, *sb]):
        pa, pb = sa.get(step), sb.get(step)
        ch = _changes(pa, pb)
        if step == "weights":
            wa, wb = run_a.weights, run_b.weights
            ch += [f"{k}: {_show(wa.get(k))} → {_show(wb.get(k))}" for k in dict.fromkeys([*wa, *wb])
                   if wa.get(k) != wb.get(k)]
        rows.append({"step": step, "a": pa, "b": pb, "differs": bool(ch), "changes": ch})
    order_a = [s for s in sa if s in sb]
    order_b = [s for s in sb if s in sa]
    if order_a != order_b:
        rows.append({"step": "order", "a": list(sa), "b": list(sb), "differs": True,
                     "changes": [f"{' → '.join(sa)} ≠ {' → '.join(sb)}"]})
    ha, hb = run_a.data_hash, run_b.data_hash
    rows.append({"step": "data", "a": ha, "b": hb, "differs": ha != hb, "changes": [] if ha == hb else [f"{ha[:12]} → {hb[:12]}"]})
    rows.append({"step": "period", "a": run_a.period, "b": run_b.period, "differs": run_a.period != run_b.period,
                 "changes": [] if run_a.period == run_b.period else [f"{_show(run_a.period)} → {_show(run_b.period)}"]})
    return pd.DataFrame(rows, columns=STEP_COLUMNS)


__all__ = ["STEP_COLUMNS", "UNIT_COLUMNS", "RunComparison", "compare", "spec_diff"]
