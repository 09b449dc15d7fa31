"""Plots of an index build, named as in COINr: framework, bars, correlations, distributions, uncertainty, sensitivity.

Each function takes the :class:`~planmon.index.run.IndexRun` (or the result of its analysis),
an optional ``ax`` (``fig`` for the multi-panel :func:`plot_dist`) and ``lang`` (``"zh"`` by
default, or ``"en"``), and returns the matplotlib ``Figure``; nothing is shown (no
``plt.show``), so the same call works in a notebook, a script, a server and the report.
The same functions hang off every run: ``run.plot.bar()`` … (:class:`RunPlots`).

===================  ==========================  ========================================
COINr                planmon                     shows
===================  ==========================  ========================================
plot_framework       :func:`plot_framework`      the tree, angle = effective weight
plot_bar             :func:`plot_bar`            scores, best first, rank and interval
plot_corr            :func:`plot_corr`           correlations within/across levels, flags
get_corr_flags       :func:`correlation_flags`   the flagged pairs as a table
plot_dist            :func:`plot_dist`           distributions before/after treatment
plot_uncertainty     :func:`plot_uncertainty`    rank intervals per unit
plot_sensitivity     :func:`plot_sensitivity`    Sobol Si and STi with intervals
===================  ==========================  ========================================

Example::

    from planmon.index import read_coinr, run_index
    run = run_index(*read_coinr("ASEM_iData.csv", "ASEM_iMeta.csv"), "docs/index/examples/asem_uncertainty.yaml")
    run.plot.framework().savefig("framework.png")
    run.plot.bar(uncertainty=run.uncertainty(200, seed=1)).savefig("scores.png")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planmon.index.plots.bars import plot_bar
from planmon.index.plots.correlation import correlation_flags, correlation_matrix, plot_corr
from planmon.index.plots.distribution import plot_dist
from planmon.index.plots.framework import plot_framework
from planmon.index.plots.rank_intervals import plot_uncertainty
from planmon.index.plots.sobol import plot_sensitivity

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from planmon.index.run import IndexRun

__all__ = ["RunPlots", "correlation_flags", "correlation_matrix", "plot_bar", "plot_corr", "plot_dist",
           "plot_framework", "plot_sensitivity", "plot_uncertainty"]


class RunPlots:
    """``run.plot``: the plot functions bound to one run (keyword arguments as the functions').

    ``uncertainty()`` and ``sensitivity()`` run the analysis when not given its result
    (``n``, ``seed``: as :meth:`IndexRun.uncertainty` / :meth:`IndexRun.sensitivity`).
    """

    def __init__(self, run: IndexRun) -> None:
        self._run = run

    def __repr__(self) -> str:
        return "run.plot: framework() bar() corr() dist() uncertainty() sensitivity()"

    def framework(self, **kw: Any) -> Figure:
        return plot_framework(self._run, **kw)

    def bar(self, **kw: Any) -> Figure:
        return plot_bar(self._run, **kw)

    scores = bar

    def corr(self, **kw: Any) -> Figure:
        return plot_corr(self._run, **kw)

    def corr_flags(self, **kw: Any) -> pd.DataFrame:
        return correlation_flags(self._run, **kw)

    def dist(self, **kw: Any) -> Figure:
        return plot_dist(self._run, **kw)

    def uncertainty(self, result: Any = None, *, n: int = 200, seed: int = 0, **kw: Any) -> Figure:
        return plot_uncertainty(result if result is not None else self._run.uncertainty(n, seed=seed), **kw)

    def sensitivity(self, result: pd.DataFrame | None = None, *, n: int = 100, seed: int = 0, nboot: int = 100,
                    **kw: Any) -> Figure:
        sa = result if result is not None else self._run.sensitivity(n, seed=seed, nboot=nboot)
        return plot_sensitivity(sa, **kw)
