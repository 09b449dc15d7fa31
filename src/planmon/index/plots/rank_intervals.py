"""Rank intervals per unit from an uncertainty analysis (COINr ``plot_uncertainty``).

Each unit's nominal rank, the median of its replicated ranks and the 5th–95th percentile
interval, units ordered by median rank. Up to :data:`~planmon.index.plots.bars.LABELLED`
units are named (best at the top); beyond, the units run along the x axis unnamed and the
intervals are drawn as one collection (thousands of units draw as fast as a bar chart).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from planmon.index.plots._labels import unit_names
from planmon.index.plots.bars import LABELLED, rank_intervals
from planmon.plotting import ACTUAL, INTERVAL, PLAN, figure_and_axes, language, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def plot_uncertainty(uncertainty: Any, *, labels: Mapping[str, str] | None = None, title: bool = True,
                     ax: Axes | None = None, lang: str = "zh") -> Figure:
    """Rank intervals (5–95 %), median and nominal rank of every unit, ordered by median rank.

    ``uncertainty``: what ``run.uncertainty(n, seed)`` returned (uCode, nominal, median, q05, q95)
    or a :class:`~planmon.index.uncertainty.UAResult`; a missing or empty ``median`` is not drawn (the
    units are then ordered by nominal rank). ``labels``: display names by unit code.

    Example::

        ua = run.uncertainty(1000, seed=1)
        plot_uncertainty(ua).savefig("ranks.png")
    """
    lang = language(lang)
    from matplotlib.lines import Line2D

    ua = rank_intervals(uncertainty)
    assert ua is not None
    if "median" not in ua.columns:
        ua = ua.assign(median=np.nan)
    d = ua.sort_values(["median", "nominal", "uCode"], kind="stable").reset_index(drop=True)
    n = len(d)
    lo, hi = d["q05"].to_numpy(dtype=float), d["q95"].to_numpy(dtype=float)
    med, nom = d["median"].to_numpy(dtype=float), d["nominal"].to_numpy(dtype=float)
    handles = [Line2D([], [], color=INTERVAL, lw=4, label=t(lang, "5%–95% 区间", "5–95 % interval")),
               Line2D([], [], color=ACTUAL, marker="o", ls="none", ms=4, label=t(lang, "中位数", "median")),
               Line2D([], [], color=PLAN, marker="D", mfc="none", ls="none", ms=4, label=t(lang, "名义排名", "nominal"))]
    if np.isnan(med).all():
        handles.pop(1)
    if np.isnan(lo).all():
        handles.pop(0)
    if n <= LABELLED:
        fig, ax, _ = figure_and_axes(ax, (6.4, max(2.6, 0.2 * n + 1.1)))
        ys = np.arange(n)[::-1]
        ax.hlines(ys, lo, hi, color=INTERVAL, lw=4)
        ax.plot(med, ys, "o", color=ACTUAL, ms=4)
        ax.plot(nom, ys, "D", mfc="none", color=PLAN, ms=4)
        ax.set_yticks(ys, unit_names(d["uCode"], lang, labels), fontsize=7 if n > 25 else 8)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(0.5, n + 0.5)
        ax.set_xlabel(t(lang, "排名（1 为最好）", "rank (1 = best)"))
        ax.grid(axis="x", lw=0.4, alpha=0.5)
    else:
        fig, ax, _ = figure_and_axes(ax, (7.2, 3.4))
        xs = np.arange(1, n + 1)
        ax.vlines(xs, lo, hi, color=INTERVAL, lw=max(0.3, min(2.0, 400 / n)))
        ax.plot(xs, med, ".", color=ACTUAL, ms=1.5)
        ax.plot(xs, nom, ".", color=PLAN, ms=1.0)
        ax.set_xlim(0.5, n + 0.5)
        ax.set_ylim(n + 0.5, 0.5)
        ax.set_xlabel(t(lang, f"单位（按中位排名排序，共 {n} 个）", f"units by median rank ({n})"))
        ax.set_ylabel(t(lang, "排名（1 为最好）", "rank (1 = best)"))
        ax.grid(axis="y", lw=0.4, alpha=0.5)
    ax.legend(handles=handles, loc="upper right", fontsize=7, frameon=True, framealpha=0.9, edgecolor="none")
    if title:
        ax.set_title(t(lang, "排名的不确定性", "Uncertainty of ranks"), fontsize=9, loc="left")
    return fig
