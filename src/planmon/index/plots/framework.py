"""The index tree as a sunburst: one ring per level, each node's angle its effective weight (COINr ``plot_framework``).

Why effective weights: a pillar of many indicators does not weigh more for having more
children; what a reader needs is each node's share of the final index (weights normalised
within their parent and multiplied down the tree, :meth:`IndexRun.effective_weights`). The
angle shows that share, and the label prints it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from planmon.index.plots._labels import node_name
from planmon.plotting import GROUP_COLOURS, figure_and_axes, language, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from planmon.index.run import IndexRun

CENTRE = 0.2  # radius of the disc holding the index's name
OUTER = 0.72  # outer radius of the rings; the indicators' names go outside, up to LIMIT
LIMIT = 1.2
FONT = 7.0
OUTER_FONT = 6.0


def _order(run: IndexRun) -> list[str]:
    """Every node below the top in depth-first order (a parent before its children, siblings in iMeta order)."""
    tree = run.tree
    kids: dict[str, list[str]] = {}
    for lev in range(1, tree.maxlev):
        for c in tree.levels[lev]:
            kids.setdefault(str(tree.parent[c]), []).append(c)
    out: list[str] = []

    def walk(node: str) -> None:
        for k in kids.get(node, []):
            out.append(k)
            walk(k)
    walk(tree.top)
    return out


def _fit(text: str, room_pt: float, size: float) -> str:
    """``text`` cut so that it fits ``room_pt`` points at ``size`` (a CJK glyph ≈ 1 em, Latin ≈ 0.6 em)."""
    width = 0.0
    for i, ch in enumerate(text):
        width += size * (1.0 if ord(ch) > 0x2E80 else 0.62)
        if width > room_pt:
            return text[: max(i - 1, 0)] + "…" if i > 1 else ""
    return text


def plot_framework(run: IndexRun, *, ax: Axes | None = None, lang: str = "zh", labels: str = "name",
                   size: float = 7.2) -> Figure:
    """Draw the index tree as a sunburst sized by effective weight; returns the Figure.

    ``labels``: ``"name"`` (iName, cut to fit its wedge) or ``"code"``. Labels are left out of
    wedges too thin to hold them; every share is in :meth:`IndexRun.effective_weights`.

    Example::

        from planmon.index import read_coinr, run_index
        from planmon.index.plots import plot_framework
        run = run_index(*read_coinr("ASEM_iData.csv", "ASEM_iMeta.csv"), "docs/index/examples/asem.yaml")
        plot_framework(run).savefig("framework.png")
    """
    lang = language(lang)
    from matplotlib.patches import Circle, Wedge

    fig, ax, _ = figure_and_axes(ax, (size, size))
    tree = run.tree
    eff = run.effective_weights()
    nlev = tree.maxlev - 1  # rings: levels maxlev-1 … 1
    width = (OUTER - CENTRE) / max(nlev, 1)
    # points per data unit: the axes spans 2 * LIMIT data units across the smaller side of its box
    box = ax.get_position().bounds
    fw, fh = fig.get_size_inches()
    pt_per_unit = min(box[2] * fw, box[3] * fh) * 72 / (2 * LIMIT)
    pillars = tree.levels[tree.maxlev - 1]
    colour_of: dict[str, str] = {p: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, p in enumerate(pillars)}
    start: dict[str, float] = {}
    cursor = {lev: 0.0 for lev in tree.levels}
    for node in _order(run):
        lev = tree.level_of(node)
        parent = str(tree.parent[node])
        if lev < tree.maxlev - 1:
            colour_of[node] = colour_of[parent]
            cursor[lev] = max(cursor[lev], start.get(parent, 0.0))
        start[node] = cursor[lev]
        cursor[lev] += eff.get(node, 0.0)
    for node, s in start.items():
        lev = tree.level_of(node)
        share = eff.get(node, 0.0)
        if share <= 0:
            continue
        ring = tree.maxlev - 1 - lev  # 0 = innermost ring (the pillars)
        r_out = CENTRE + width * (ring + 1)
        th1, th2 = 90 - 360 * (s + share), 90 - 360 * s
        fade = 0.35 + 0.65 * (1 - ring / max(nlev, 1))  # outer rings lighter
        ax.add_patch(Wedge((0, 0), r_out, th1, th2, width=width, facecolor=colour_of[node], alpha=fade,
                           edgecolor="white", lw=0.8, gid=node))
        mid = math.radians((th1 + th2) / 2)
        deg = math.degrees(mid)
        right = math.cos(mid) >= 0
        rot = deg if right else deg - 180  # radial, never upside down
        outside = lev == 1 and nlev > 0
        size_pt = OUTER_FONT if outside else FONT
        r_text = r_out + 0.02 if outside else r_out - width / 2
        arc_pt = r_text * math.radians(th2 - th1) * pt_per_unit
        if arc_pt < size_pt * 1.15:
            continue  # too thin for a line of text
        name = node if labels == "code" else node_name(run, node, 40)
        full = f"{name} {share:.0%}" if ring == 0 else name
        if outside:
            text = _fit(full, (LIMIT - r_text) * pt_per_unit * 0.95, size_pt)
            if text:
                ax.text(r_text * math.cos(mid), r_text * math.sin(mid), text, ha="left" if right else "right",
                        va="center", rotation=rot, rotation_mode="anchor", fontsize=size_pt, color="#111")
            continue
        radial_room, arc_room = width * pt_per_unit * 0.9, arc_pt * 0.85
        along = width * pt_per_unit > size_pt * 1.6 and arc_room > radial_room  # text along the arc
        text = _fit(full, arc_room if along else radial_room, size_pt)
        if text:
            tang = deg - 90 if math.sin(mid) >= 0 else deg + 90  # along the arc, never upside down
            ax.text(r_text * math.cos(mid), r_text * math.sin(mid), text, ha="center", va="center",
                    rotation=tang if along else rot, rotation_mode="anchor", fontsize=size_pt, color="#111")
    ax.add_patch(Circle((0, 0), CENTRE * 0.97, facecolor="#f4f4f4", edgecolor="white"))
    ax.text(0, 0, _fit(node_name(run, tree.top, 40), CENTRE * 1.8 * pt_per_unit, 7.5), ha="center", va="center",
            fontsize=7.5)
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(t(lang, "指标体系（扇区角度＝有效权重）", "Index framework (angle = effective weight)"), fontsize=9)
    return fig
