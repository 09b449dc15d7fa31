"""Scores as bars, best first, with each unit's rank and its rank interval (COINr ``plot_bar``).

Why the interval beside the bar: a score of 71.3 against 70.9 reads as a difference; the rank
interval from the uncertainty analysis (5th–95th percentile of the replicated ranks) says
whether it is one. Up to :data:`LABELLED` units each bar is named and annotated ("3 [2–5]");
beyond that (thousands of counties) the bars form the distribution of scores, unnamed, drawn as
one filled step path (a bar per unit would be thousands of patches).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.index.plots._labels import node_name, unit_names
from planmon.plotting import ACTUAL, figure_and_axes, language, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from planmon.index.run import IndexRun

LABELLED = 60


def rank_intervals(uncertainty: Any) -> pd.DataFrame | None:
    """The per-unit rank summary (uCode, nominal, median, q05, q95) of an uncertainty result or its summary."""
    if uncertainty is None:
        return None
    summary = uncertainty if isinstance(uncertainty, pd.DataFrame) else getattr(uncertainty, "summary", uncertainty)
    if not isinstance(summary, pd.DataFrame) or not {"uCode", "q05", "q95"} <= set(summary.columns):
        from planmon.refusal import Refusal

        raise Refusal.of("uncertainty 应为 run.uncertainty() 的结果（含 uCode、q05、q95 列）",
                         "uncertainty must be the result of run.uncertainty() (columns uCode, q05, q95)",
                         code="plot_input")
    return summary


def plot_bar(run: IndexRun, *, code: str | None = None, uncertainty: Any = None, top: int | None = None,
             labels: Mapping[str, str] | None = None, ax: Axes | None = None, lang: str = "zh") -> Figure:
    """Scores of ``code`` (default: the index) as bars, best first; with ``uncertainty`` the rank intervals.

    ``uncertainty``: what ``run.uncertainty(n, seed)`` returned (or a :class:`UAResult`); its
    intervals belong to the index (the top node). ``top``: only the best ``top`` units.
    ``labels``: display names by unit code (province codes are named from the tile grid).

    Example::

        ua = run.uncertainty(200, seed=1)
        plot_bar(run, uncertainty=ua, lang="en").savefig("scores.png")
    """
    lang = language(lang)
    node = code or run.top
    if node not in run.scores.columns:
        from planmon.refusal import Refusal

        raise Refusal.of(f"没有节点 {node}（可选：{'、'.join(run.tree.aggregates)}）",
                         f"no node {node} (choose from: {', '.join(run.tree.aggregates)})", code="plot_input")
    df = pd.DataFrame({"uCode": run.scores["uCode"].astype(str), "score": run.scores[node].astype(float)})
    df = df.dropna(subset=["score"])
    df["rank"] = df["score"].rank(ascending=False, method="min")
    ua = rank_intervals(uncertainty) if node == run.top else None
    if ua is not None:
        df = df.merge(ua[["uCode", "q05", "q95"]].assign(uCode=ua["uCode"].astype(str)), on="uCode", how="left")
    df = df.sort_values(["score", "uCode"], ascending=[False, True], kind="stable")
    if top is not None:
        df = df.head(top)
    n = len(df)
    named = n <= LABELLED
    if named:
        fig, ax, _ = figure_and_axes(ax, (6.4, max(2.4, 0.2 * n + 1.0)))
        ys = np.arange(n)[::-1]
        ax.barh(ys, df["score"].to_numpy(), color=ACTUAL, height=0.7)
        ax.set_yticks(ys, unit_names(df["uCode"], lang, labels), fontsize=7 if n > 25 else 8)
        ax.set_ylim(-0.6, n - 0.4)
        lo = float(np.nanmin(df["score"]))
        hi = float(np.nanmax(df["score"]))
        left = min(0.0, lo)
        ax.set_xlim(left, hi + (hi - left) * (0.22 if ua is not None else 0.1))
        q05 = df["q05"].to_numpy(dtype=float) if ua is not None else np.full(n, np.nan)
        q95 = df["q95"].to_numpy(dtype=float) if ua is not None else np.full(n, np.nan)
        for y, score, rank, a, b in zip(ys, df["score"].to_numpy(dtype=float), df["rank"].to_numpy(dtype=float),
                                        q05, q95, strict=True):
            txt = f"{int(rank)}" + ("" if np.isnan(a) or np.isnan(b) else f" [{a:.0f}–{b:.0f}]")
            ax.text(score + (hi - left) * 0.01, y, txt, va="center", fontsize=6.5, color="#333")
        ax.set_xlabel(t(lang, "得分", "score"))
        ax.grid(axis="x", lw=0.4, alpha=0.5)
    else:
        fig, ax, _ = figure_and_axes(ax, (7.2, 3.0))
        # one filled step outline instead of n rectangles: the same picture, drawn as one path
        ax.stairs(df["score"].to_numpy(dtype=float), np.arange(n + 1) + 0.5, fill=True, color=ACTUAL, lw=0,
                  baseline=min(0.0, float(df["score"].min())))
        ax.set_xlim(0.5, n + 0.5)
        ax.set_xlabel(t(lang, f"单位（按得分排序，共 {n} 个）", f"units by score ({n})"))
        ax.set_ylabel(t(lang, "得分", "score"))
        ax.grid(axis="y", lw=0.4, alpha=0.5)
    title = node_name(run, node, 40)
    note = t(lang, "；右侧为排名 [5%–95% 区间]", "; right: rank [5–95 % interval]") if ua is not None and named else ""
    ax.set_title(title + note, fontsize=9, loc="left")
    return fig
