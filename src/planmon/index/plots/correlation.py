"""Correlation heat maps within and across levels, with the flags of a sound framework (COINr ``plot_corr``).

The idea (COINr's ``get_corr_flags`` and the JRC/OECD handbook, methods.md §1): inside one
aggregate, two indicators correlating above a threshold (0.9 by default) may count the same
thing twice (*collinear*); an indicator correlating clearly negatively with its siblings (below
−0.4, the negative break of COINr's flag colours, ``flagthresh = c(-0.4, 0.3, 0.9)``), or at all
with its own aggregate, works against it (*negative*). Both are flagged on the map with an outline and
listed by :func:`correlation_flags`, which the plot draws from (one computation, two views).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planmon.plotting import DIVERGING, figure_and_axes, language, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from planmon.index.run import IndexRun

FLAG_COLOURS = {"collinear": "#111111", "negative": "#d35400"}
FLAG_COLUMNS = ["row", "col", "group", "corr", "flag"]


def _ordered(run: IndexRun, level: int) -> list[str]:
    """The codes of ``level`` in tree order (siblings together), so each aggregate is one block."""
    from planmon.index.plots.framework import _order

    codes = set(run.tree.levels[level])
    if level == run.tree.maxlev:
        return list(run.tree.levels[level])
    return [c for c in _order(run) if c in codes]


def ancestor(run: IndexRun, code: str, level: int) -> str | None:
    """The node of ``level`` above ``code`` (itself at its own level; None below it)."""
    cur: str | None = code
    while cur is not None and run.tree.level_of(cur) < level:
        cur = run.tree.parent.get(cur)
    return cur if cur is not None and run.tree.level_of(cur) == level else None


def correlation_matrix(run: IndexRun, levels: tuple[int, int] = (1, 1), dset: str = "Normalised",
                       method: str = "pearson") -> pd.DataFrame:
    """Pairwise-complete correlations, rows the nodes of ``levels[0]``, columns those of ``levels[1]``.

    Indicators against indicators come from ``dset``; anything involving an aggregate from the
    ``Aggregated`` stage (indicators there are the data the aggregation used).
    """
    a, b = sorted(levels)
    rows, cols = _ordered(run, a), _ordered(run, b)
    if dset not in run.stages:
        from planmon.refusal import Refusal

        raise Refusal.of(f"没有数据阶段 {dset}（可选：{'、'.join(run.stages)}）",
                         f"no data set {dset} (choose from: {', '.join(run.stages)})", code="plot_input")
    src = run.stages[dset] if (a, b) == (1, 1) else run.stages["Aggregated"]
    data = src[list(dict.fromkeys(rows + cols))].astype(float)
    corr = data.corr(method=method)  # type: ignore[arg-type]
    return corr.loc[rows, cols]


def correlation_flags(run: IndexRun, levels: tuple[int, int] = (1, 1), dset: str = "Normalised",
                      thresh: float = 0.9, group_level: int | None = None, method: str = "pearson",
                      neg_thresh: float = -0.4) -> pd.DataFrame:
    """Flagged pairs: ``row``, ``col``, ``group`` (the aggregate they share), ``corr``, ``flag``.

    Within one level: pairs of the same aggregate at ``group_level`` (default: the parents' level)
    with r > ``thresh`` (``collinear``) or r < ``neg_thresh`` (``negative``); each pair once. Across
    levels: a node correlated negatively (r < 0) with its own aggregate (``negative``).
    """
    a, b = sorted(levels)
    corr = correlation_matrix(run, (a, b), dset, method)
    out = []
    if a == b:
        glev = group_level or min(a + 1, run.tree.maxlev)
        codes = list(corr.index)
        group = [ancestor(run, c, glev) for c in codes]
        r = corr.to_numpy(dtype=float)
        i, j = np.triu_indices(len(codes), k=1)
        same = np.array([group[p] is not None and group[p] == group[q] for p, q in zip(i, j, strict=True)], dtype=bool)
        for p, q in zip(i[same], j[same], strict=True):
            v = r[p, q]
            if v > thresh or v < neg_thresh:
                out.append({"row": codes[p], "col": codes[q], "group": group[p], "corr": float(v),
                            "flag": "collinear" if v > thresh else "negative"})
    else:
        for c in corr.index:
            own = ancestor(run, c, b)
            if own is not None and own in corr.columns:
                v = float(corr.at[c, own])  # type: ignore[arg-type]
                if v < 0:
                    out.append({"row": c, "col": own, "group": own, "corr": v, "flag": "negative"})
    return pd.DataFrame(out, columns=FLAG_COLUMNS)


def _outline(ax: Axes, run: IndexRun, corr: pd.DataFrame, flags: pd.DataFrame, levels: tuple[int, int],
             group_level: int | None) -> None:
    """Grey boxes for the aggregates (blocks on the diagonal, or each row's own aggregate) and the flags."""
    from matplotlib.patches import Polygon, Rectangle

    a, b = levels
    rows, cols = [str(c) for c in corr.index], [str(c) for c in corr.columns]
    n = len(rows)
    if a != b:  # each row's own aggregate
        for i, c in enumerate(rows):
            mine = ancestor(run, c, b)
            if mine is not None and mine in cols:
                ax.add_patch(Rectangle((cols.index(mine) - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#888", lw=0.6))
    else:  # the blocks of each aggregate on the diagonal
        glev = group_level or min(a + 1, run.tree.maxlev)
        groups = [ancestor(run, c, glev) for c in rows]
        k = 0
        while k < n:
            e = k
            while e + 1 < n and groups[e + 1] == groups[k]:
                e += 1
            # the block's lower triangle (a staircase along the diagonal): the upper one is blank
            stairs = [(k - 0.5, k - 0.5), (k - 0.5, e + 0.5), (e + 0.5, e + 0.5)]
            for d in range(e, k - 1, -1):
                stairs += [(d + 0.5, d - 0.5), (d - 0.5, d - 0.5)]
            ax.add_patch(Polygon(stairs, closed=True, fill=False, edgecolor="#555", lw=0.8))
            k = e + 1
    for f in flags.to_dict("records"):
        i, j = rows.index(str(f["row"])), cols.index(str(f["col"]))
        if a == b and j > i:
            i, j = j, i  # drawn in the lower triangle
        kind = str(f["flag"])
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=FLAG_COLOURS[kind],
                               lw=1.6, ls="-" if kind == "collinear" else "--", gid=f"flag-{kind}"))


def plot_corr(run: IndexRun, *, levels: tuple[int, int] = (1, 1), dset: str = "Normalised", thresh: float = 0.9,
              group_level: int | None = None, method: str = "pearson", neg_thresh: float = -0.4,
              values: bool | None = None, ax: Axes | None = None, lang: str = "zh") -> Figure:
    """Heat map of correlations within a level (lower triangle) or across two levels, flags outlined.

    ``levels=(1, 1)``: indicators with each other; ``(1, 2)``: indicators against the pillars
    (each indicator's own pillar boxed in grey); ``(2, 2)``: pillars with each other. Flags as in
    :func:`correlation_flags` (``thresh`` for collinearity). ``values``: print r in each cell
    (default when the map has at most 400 cells).

    Example::

        plot_corr(run, levels=(1, 2)).savefig("corr.png")
        correlation_flags(run)          # the flagged pairs as a table
    """
    lang = language(lang)
    from matplotlib.lines import Line2D

    a, b = sorted(levels)
    corr = correlation_matrix(run, (a, b), dset, method)
    flags = correlation_flags(run, (a, b), dset, thresh, group_level, method, neg_thresh)
    n, m = corr.shape
    cell = min(0.32, max(0.07, 8.0 / max(n, m, 1)))
    size = (max(4.2, cell * m + 2.4), max(3.6, cell * n + 2.0))
    fig, ax, own = figure_and_axes(ax, size)
    r = corr.to_numpy(dtype=float)
    shown = r.copy()
    if a == b:
        shown[np.triu_indices(n, k=1)] = np.nan  # a symmetric matrix: the lower triangle says it all
    im = ax.imshow(shown, cmap=DIVERGING, vmin=-1, vmax=1, interpolation="nearest", aspect="auto")
    font = max(3.5, min(7.5, cell * 72 * 0.7))
    ax.set_xticks(range(m), list(corr.columns), rotation=90, fontsize=font)
    ax.set_yticks(range(n), list(corr.index), fontsize=font)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    _outline(ax, run, corr, flags, (a, b), group_level)
    if values if values is not None else n * m <= 400:
        for i in range(n):
            for j in range(m):
                if not np.isnan(shown[i, j]):
                    ax.text(j, i, f"{shown[i, j]:.2f}".replace("0.", ".").replace("-.", "−."), ha="center",
                            va="center", fontsize=max(3.5, font - 1.5),
                            color="white" if abs(shown[i, j]) > 0.6 else "#222")
    bar = fig.colorbar(im, ax=ax, shrink=0.6, pad=0.02)
    bar.ax.tick_params(labelsize=7)
    bar.set_label(t(lang, "相关系数" if method == "pearson" else "秩相关系数", "correlation"), fontsize=7)
    handles = [Line2D([], [], color=FLAG_COLOURS["collinear"], lw=1.6,
                      label=t(lang, f"同组高度相关（r > {thresh:g}）", f"collinear in a group (r > {thresh:g})")),
               Line2D([], [], color=FLAG_COLOURS["negative"], lw=1.6, ls="--",
                      label=t(lang, f"同组负相关（r < {neg_thresh:g}）", f"negative in a group (r < {neg_thresh:g})"))]
    if a == b:  # the empty upper triangle holds the legend
        ax.legend(handles=handles, loc="upper right", frameon=False, fontsize=7)
    else:
        handles = [Line2D([], [], color=FLAG_COLOURS["negative"], lw=1.6, ls="--",
                          label=t(lang, "与所属汇总负相关", "negative with its own aggregate")), Line2D([], [], color="#888", lw=0.8, label=t(lang, "灰框：所属汇总", "grey box: own aggregate"))]
        if own:
            fig.legend(handles=handles, loc="outside lower left", frameon=False, fontsize=7, ncols=2)
        else:
            ax.legend(handles=handles, loc="best", fontsize=7)
    what = {1: t(lang, "指标", "indicators")}.get(a, t(lang, f"第 {a} 层", f"level {a}"))
    other = {1: t(lang, "指标", "indicators")}.get(b, t(lang, f"第 {b} 层", f"level {b}"))
    used = dset if (a, b) == (1, 1) else "Aggregated"
    from planmon.index.plots.distribution import STAGE_ZH  # the stage in the reader's language (汇总后, not Aggregated)

    ax.set_title(t(lang, f"相关系数：{what} × {other}（{STAGE_ZH.get(used, used)}数据）", f"Correlations: {what} × {other} ({used})"),
                 fontsize=9, loc="left")
    return fig
