"""Indicator distributions before and after a step of the build, side by side (COINr ``plot_dist``).

Why side by side and on their own axes: outlier treatment may winsorise a few points (same
scale) or take a log (new scale); one shared axis would hide one of the two. Each indicator
gets a pair of small panels, the data set entering the step on the left, the step's output on
the right, each a box plot over the units' points; the points the treatment winsorised are
marked on the left. By default the indicators the treatment changed are shown (the log says
which), at most ``limit`` of them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from planmon.plotting import ACTUAL, PLAN, language, new_figure, shorten, t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planmon.index.run import IndexRun

STAGE_ZH = {"Raw": "原始", "Denominated": "强度化后", "Imputed": "插补后", "Screened": "筛选后", "Treated": "处理后",
            "Transformed": "变换后", "Normalised": "标准化后", "Aggregated": "汇总后"}


# the treatments the log names (``treat`` step's ``treated``: "winsorise", "log_ct+winsorise" …), as a reader calls them
TREATMENT_ZH = {"winsorise": "缩尾", "log_ct": "对数变换", "log_CT": "对数变换", "log_ct_orig": "对数变换",
                "log_ct_plus": "对数变换", "log": "对数变换", "boxcox": "Box-Cox 变换", "none": "不处理"}


def _stage_label(name: str, lang: str) -> str:
    return t(lang, STAGE_ZH.get(name, name), name)


def _treatment_label(tag: str, lang: str) -> str:
    return tag if lang == "en" else "＋".join(TREATMENT_ZH.get(p, p) for p in tag.split("+"))


def treated(run: IndexRun) -> dict[str, str]:
    """Indicator → the treatment applied to it (from the run's log; empty without a treat step)."""
    out: dict[str, str] = {}
    for entry in run.log:
        if entry.get("step") == "treat":
            out.update({str(k): str(v) for k, v in (entry.get("info") or {}).get("treated", {}).items()})
    return out


def _winsorised(run: IndexRun) -> dict[str, set[str]]:
    for entry in run.log:
        if entry.get("step") == "treat":
            pts = (entry.get("info") or {}).get("winsorised_points", {})
            return {str(k): set(map(str, v)) for k, v in pts.items()}
    return {}


def plot_dist(run: IndexRun, *, indicators: list[str] | None = None, before: str | None = None,
              after: str = "Treated", limit: int = 12, fig: Figure | None = None, lang: str = "zh") -> Figure:
    """Box plots of each indicator in the stage ``before`` (default: the one entering ``after``) and in ``after``.

    ``indicators`` default: those the treatment changed (all of them if it changed none), the
    first ``limit``. ``fig``: draw into this figure (its axes are added).

    Example::

        plot_dist(run).savefig("treatment.png")                  # what the outlier treatment did
        plot_dist(run, before="Raw", after="Normalised", indicators=["LPI", "Flights"])
    """
    lang = language(lang)
    from matplotlib.ticker import MaxNLocator

    from planmon.refusal import Refusal

    stages = list(run.stages)
    if after not in stages:
        raise Refusal.of(f"没有数据阶段 {after}（可选：{'、'.join(stages)}）",
                         f"no data set {after} (choose from: {', '.join(stages)})", code="plot_input")
    if before is None:
        k = stages.index(after)
        if k == 0:
            raise Refusal.of(f"{after} 之前没有数据阶段", f"no data set before {after}", code="plot_input")
        before = stages[k - 1]
    if before not in stages:
        raise Refusal.of(f"没有数据阶段 {before}（可选：{'、'.join(stages)}）",
                         f"no data set {before} (choose from: {', '.join(stages)})", code="plot_input")
    how = treated(run) if after == "Treated" else {}
    pool = [c for c in run.tree.indicators if c in how] or list(run.tree.indicators)
    chosen = list(indicators) if indicators is not None else pool[:limit]
    unknown = [c for c in chosen if c not in run.tree.indicators]
    if unknown:
        raise Refusal.of(f"没有指标 {'、'.join(unknown)}", f"no indicator {', '.join(unknown)}", code="plot_input")
    wins = _winsorised(run) if after == "Treated" else {}
    xb, xa = run.stages[before], run.stages[after]
    units_b = xb["uCode"].astype(str).to_numpy()
    k = len(chosen)
    pairs = 1 if k <= 3 else 2
    nrow = math.ceil(k / pairs)
    fig, own = new_figure(fig, (7.2 if pairs == 2 else 5.6, 0.95 * nrow + 0.7))
    grid = fig.add_gridspec(nrow, pairs, wspace=0.12)
    jitter = np.random.default_rng(0)
    for n, code in enumerate(chosen):
        row, col = divmod(n, pairs)
        cells = grid[row, col].subgridspec(1, 2, wspace=0.04)
        for side, (frame, stage) in enumerate(((xb, before), (xa, after))):
            ax = fig.add_subplot(cells[side])
            v = frame[code].to_numpy(dtype=float)
            ok = ~np.isnan(v)
            ax.boxplot(v[ok], orientation="horizontal", widths=0.6, showfliers=False, patch_artist=True,
                       boxprops={"facecolor": "#dbe6f3", "edgecolor": ACTUAL, "lw": 0.8},
                       medianprops={"color": ACTUAL, "lw": 1.2}, whiskerprops={"lw": 0.8}, capprops={"lw": 0.8})
            y = 1 + jitter.uniform(-0.22, 0.22, ok.sum())
            hit = np.isin(units_b[ok], list(wins.get(code, ()))) if side == 0 else np.zeros(ok.sum(), bool)
            ax.scatter(v[ok][~hit], y[~hit], s=4, color="#333", alpha=0.55, lw=0)
            if hit.any():
                ax.scatter(v[ok][hit], y[hit], s=14, color=PLAN, lw=0, zorder=3)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.tick_params(axis="x", labelsize=6, pad=1)
            ax.xaxis.set_major_locator(MaxNLocator(4))
            label = shorten(code, 14) if side == 0 else shorten(_treatment_label(how.get(code, "—"), lang) if how else "", 18)
            head = f"{label} · {_stage_label(stage, lang)}" if side == 0 else (
                f"{_stage_label(stage, lang)} · {label}" if label else _stage_label(stage, lang))
            ax.set_title(head, fontsize=7, loc="left", pad=2)
    if own:
        note = t(lang, "；红点为被缩尾的点", "; red: winsorised points") if wins and after == "Treated" else ""
        shown = t(lang, f"（{k}/{len(pool)} 个）", f" ({k} of {len(pool)})") if indicators is None and len(pool) > k else ""
        fig.suptitle(t(lang, f"指标分布：{_stage_label(before, lang)}与{_stage_label(after, lang)}{shown}{note}",
                       f"Distributions {before} vs {after}{shown}{note}"), fontsize=9)
    return fig
