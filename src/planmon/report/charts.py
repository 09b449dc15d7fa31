"""Server-side charts (matplotlib): indicator series, the province map, the ranking.

Why server-side: the PDF and the Word document cannot run JavaScript, so they get
the same charts drawn here as PNG (or SVG). The CJK font ships with the
install (Noto Sans SC, SIL OFL, from the ``pylopdf-fonts-zh-cn`` wheel), and the
output is deterministic: a fixed SVG hash salt, no date in the metadata, glyphs
drawn as paths (no font needed to view the SVG).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from planmon.geo.tilegrid import N_COLS, N_ROWS, TILES, tile_label
from planmon.report.fonts import FONT_FAMILY, cjk_font_path

PALETTE = "YlGnBu"
NO_DATA = "#e6e6e6"
ACTUAL = "#1f5aa6"
PLAN = "#c0392b"
STATUS_COLOURS = {"achieved": "#1a7f37", "faster": "#2e7d32", "as_expected": "#1f5aa6", "lagging": "#b03a2e"}


@cache
def setup() -> None:
    """Register the font and fix the settings that make output repeatable."""
    font_manager.fontManager.addfont(str(cjk_font_path()))
    matplotlib.rcParams.update({
        "font.family": [FONT_FAMILY, "DejaVu Sans"],
        "svg.hashsalt": "planmon",
        "svg.fonttype": "path",
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 9,
    })


def to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def cached_png(model: Any, key: str, make: Callable[[], Figure], dpi: int = 150) -> bytes:
    """Draw a chart once per model: the PDF and the DOCX use the same images."""
    if key not in model.rendered:
        model.rendered[key] = to_png(make(), dpi=dpi)
    png: bytes = model.rendered[key]
    return png


def _year(period: str) -> float:
    from planmon.periods import Period

    return Period.parse(period).time


def indicator_chart(block: Any, lang: str) -> Figure:
    """Actual national series, the declared trajectory and the target of one indicator."""
    setup()
    en = lang == "en"
    fig = Figure(figsize=(5.6, 2.6))
    ax = fig.add_subplot()
    if block.trajectory:
        ax.plot([_year(p) for p, _ in block.trajectory], [v for _, v in block.trajectory], ls="--", lw=1.2,
                color=PLAN, label="规划轨迹" if not en else "plan trajectory")
    t = block.ind.target
    if t is not None:
        ax.plot([_year(t.period)], [t.value], marker="*", ms=11, color=PLAN, ls="none",
                label="目标" if not en else "target")
    pts = [(p.period, p.value, p.status) for p in block.series]
    full = [(p, v) for p, v, s in pts if s != "partial_year"]
    part = [(p, v) for p, v, s in pts if s == "partial_year"]
    if full:
        ax.plot([_year(p) for p, _ in full], [v for _, v in full], marker="o", ms=4, lw=1.6, color=ACTUAL,
                label="实际值" if not en else "actual")
    if part:
        ax.plot([_year(p) for p, _ in part], [v for _, v in part], marker="o", ms=4, mfc="white", ls="none",
                color=ACTUAL, label="年中数" if not en else "partial year")
    ax.set_ylabel(block.unit(lang))
    if block.status_label:
        colour = STATUS_COLOURS.get(block.status or "", "#555")
        ax.set_title(("状态：" if not en else "Status: ") + block.status_label, loc="right", fontsize=8.5,
                     color=colour)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.grid(axis="y", lw=0.4, alpha=0.5)
    ax.legend(frameon=False, fontsize=7.5, loc="upper left", ncols=2)
    return fig


def _colour(values: dict[str, float]) -> tuple[Normalize, Any]:
    cmap = matplotlib.colormaps[PALETTE]
    vals = [v for v in values.values() if not math.isnan(v)]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    return Normalize(lo, hi if hi > lo else lo + 1), cmap


def tile_map(layer: Any, lang: str) -> Figure:
    """The tile grid coloured by ``layer.values``; divisions without a value are grey."""
    setup()
    norm, cmap = _colour(layer.values)
    fig = Figure(figsize=(6.4, 5.4))
    ax = fig.add_axes((0.0, 0.08, 1.0, 0.92))
    for t in TILES:
        v = layer.values.get(t.code)
        face = NO_DATA if v is None else cmap(norm(v))
        ax.add_patch(Rectangle((t.col + 0.04, -t.row - 0.96), 0.92, 0.92, facecolor=face, edgecolor="white", lw=1))
        r, g, b = matplotlib.colors.to_rgb(face)
        dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5  # relative luminance: white text on dark cells
        ax.text(t.col + 0.5, -t.row - 0.38, tile_label(t, lang), ha="center", va="center",
                fontsize=8 if lang != "en" else 5.2, color="white" if dark else "#222")
        text = layer.fmt(v) if hasattr(layer, "fmt") else (f"{v:.1f}" if v is not None else "—")
        ax.text(t.col + 0.5, -t.row - 0.7, text, ha="center", va="center",
                fontsize=7, color="white" if dark else "#444")
    ax.set_xlim(0, N_COLS)
    ax.set_ylim(-N_ROWS, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    _colourbar(fig, norm, cmap, layer.unit)
    return fig


def _colourbar(fig: Figure, norm: Normalize, cmap: Any, unit: str) -> None:
    from matplotlib.cm import ScalarMappable

    cax = fig.add_axes((0.08, 0.05, 0.35, 0.025))
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal")
    bar.ax.tick_params(labelsize=7)
    if unit:
        bar.set_label(unit, fontsize=7)


def boundary_map(layer: Any, boundary: dict[str, Any], caption: str) -> Figure:
    """A choropleth on an approved boundary file (features keyed by GB/T 2260 code in ``properties.name``)."""
    setup()
    norm, cmap = _colour(layer.values)
    fig = Figure(figsize=(6.4, 5.4))
    ax = fig.add_axes((0.0, 0.1, 1.0, 0.9))
    # Larger divisions first, so that an enclave (北京 inside 河北's outer ring) is drawn on top of its
    # surroundings even when a file leaves out the holes.
    for feat in sorted(boundary.get("features", []), key=bbox_area, reverse=True):
        code = str(feat.get("properties", {}).get("name", ""))
        v = layer.values.get(code)
        face = NO_DATA if v is None else cmap(norm(v))
        for poly in _polygons(feat):
            ax.add_patch(Polygon(poly[0], closed=True, facecolor=face, edgecolor="#666", lw=0.3))
    ax.autoscale_view()
    ax.set_aspect(1.25)
    ax.axis("off")
    _colourbar(fig, norm, cmap, layer.unit)
    fig.text(0.98, 0.01, caption, ha="right", fontsize=7)
    return fig


def _polygons(feat: dict[str, Any]) -> list[list[Any]]:
    geom = feat.get("geometry") or {}
    coords = geom.get("coordinates", [])
    return [coords] if geom.get("type") == "Polygon" else list(coords)


def bbox_area(feat: dict[str, Any]) -> float:
    pts = [p for poly in _polygons(feat) for p in poly[0]] if _polygons(feat) else []
    if not pts:
        return 0.0
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return float((max(xs) - min(xs)) * (max(ys) - min(ys)))


def ranking_chart(table: Any, lang: str) -> Figure:
    """Composite-index ranks with their uncertainty intervals (best at the top)."""
    setup()
    n = len(table)
    fig = Figure(figsize=(5.6, max(2.5, 0.17 * n + 0.8)))
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    for y, r in zip(ys, table.itertuples(index=False), strict=True):
        if not (math.isnan(r.rank_q05) or math.isnan(r.rank_q95)):
            ax.plot([r.rank_q05, r.rank_q95], [y, y], color="#9bb7d4", lw=3, solid_capstyle="round")
        ax.plot([r.rank], [y], "o", color=ACTUAL, ms=4)
    ax.set_yticks(ys, [str(x) for x in table["name"]], fontsize=7)
    ax.set_xlabel("排名（区间为 5%–95% 分位）" if lang != "en" else "rank (interval: 5th–95th percentile)")
    ax.invert_xaxis()
    ax.grid(axis="x", lw=0.4, alpha=0.5)
    return fig
