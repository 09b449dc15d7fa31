"""First-order and total Sobol indices of each uncertain choice, with bootstrap intervals (COINr ``plot_sensitivity``).

The output they apportion is the mean absolute shift of ranks against the nominal build
(:func:`planmon.index.sensitivity.run_sensitivity`). A total index well above the first-order
one means the choice matters through its interactions with others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planmon.index.plots._labels import input_label
from planmon.plotting import ACTUAL, INTERVAL, figure_and_axes, language, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLUMNS = ["input", "Si", "Si_q05", "Si_q95", "STi", "STi_q05", "STi_q95"]


def plot_sensitivity(sensitivity: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Figure:
    """Bars of Si (first order) and STi (total) per uncertain input, whiskers at the bootstrap 5–95 %.

    ``sensitivity``: what ``run.sensitivity(n, seed)`` returned.

    Example::

        sa = run.sensitivity(100, seed=1)
        plot_sensitivity(sa).savefig("sensitivity.png")
    """
    lang = language(lang)
    if not isinstance(sensitivity, pd.DataFrame) or not set(COLUMNS) <= set(sensitivity.columns):
        from planmon.refusal import Refusal

        raise Refusal.of("sensitivity 应为 run.sensitivity() 的结果（列 " + "、".join(COLUMNS) + "）",
                         "sensitivity must be the result of run.sensitivity() (columns " + ", ".join(COLUMNS) + ")",
                         code="plot_input")
    d = sensitivity.reset_index(drop=True)
    n = len(d)
    fig, ax, _ = figure_and_axes(ax, (6.4, max(2.4, 0.55 * n + 1.2)))
    ys = np.arange(n)[::-1].astype(float)
    h = 0.36
    for off, col, colour, zh, en in ((h / 2, "Si", INTERVAL, "一阶指数 Si", "first order Si"),
                                     (-h / 2, "STi", ACTUAL, "总效应指数 STi", "total STi")):
        v = d[col].to_numpy(dtype=float)
        err = np.vstack([v - d[f"{col}_q05"].to_numpy(dtype=float), d[f"{col}_q95"].to_numpy(dtype=float) - v])
        ax.barh(ys + off, v, height=h, color=colour, label=t(lang, zh, en), xerr=np.clip(err, 0, None),
                error_kw={"lw": 0.8, "capsize": 2, "ecolor": "#333"})
    ax.set_yticks(ys, [input_label(str(x), lang) for x in d["input"]], fontsize=8)
    ax.axvline(0, color="#333", lw=0.6)
    top = float(np.nanmax(d[["Si_q95", "STi_q95"]].to_numpy(dtype=float))) if n else 1.0
    ax.set_xlim(min(0.0, float(np.nanmin(d[["Si_q05", "STi_q05"]].to_numpy(dtype=float))) if n else 0.0) - 0.02,
                max(1.0, top) * 1.02 + 0.02)
    ax.set_xlabel(t(lang, "Sobol 指数：排名平均位移的方差中该选择所占的份额\n须线为 5%–95% 自助区间",
                    "Sobol index: the choice's share of the variance of the mean rank shift\n"
                    "whiskers: bootstrap 5–95 % interval"), fontsize=8)
    ax.grid(axis="x", lw=0.4, alpha=0.5)
    ax.legend(loc="lower right", fontsize=7, frameon=True, framealpha=0.9, edgecolor="none")
    ax.set_title(t(lang, "敏感性分析", "Sensitivity analysis"), fontsize=9, loc="left")
    return fig
