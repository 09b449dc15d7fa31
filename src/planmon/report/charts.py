"""Server-side charts (matplotlib): indicator series, the province map, the ranking.

Why server-side: the PDF and the Word document cannot run JavaScript, so they get
the same charts drawn here as PNG (or SVG). The CJK font ships with the
install (Noto Sans SC, SIL OFL, from the ``pylopdf-fonts-zh-cn`` wheel), and the
output is deterministic: a fixed SVG hash salt, no date in the metadata, glyphs
drawn as paths (no font needed to view the SVG).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from planmon.plotting import ACTUAL, NO_DATA, PLAN, SEQUENTIAL, STATUS_COLOURS, setup, to_png, to_svg

__all__ = ["ACTUAL", "NO_DATA", "PALETTE", "PLAN", "STATUS_COLOURS", "boundary_map", "cached_png", "indicator_chart",
           "ranking_chart", "setup", "tile_map", "to_png", "to_svg"]

PALETTE = SEQUENTIAL


def cached_png(model: Any, key: str, make: Callable[[], Figure], dpi: int = 150) -> bytes:
    """Draw a chart once per model: the PDF and the DOCX use the same images."""
    if key not in model.rendered:
        model.rendered[key] = to_png(make(), dpi=dpi)
    png: bytes = model.rendered[key]
    return png


def indicator_chart(block: Any, lang: str) -> Figure:
    """Actual national series, the declared trajectory and the target of one indicator.

    Drawn by the analyst's plot (:func:`planmon.monitor.plots.plot_trajectory`): the report
    passes the block's series, its declared path and its national assessment.
    """
    import pandas as pd

    from planmon.monitor.plots import plot_trajectory

    obs = pd.DataFrame({"indicator": block.id, "unit": "CN", "period": [p.period for p in block.series],
                        "value": [p.value for p in block.series], "status": [p.status for p in block.series]})
    return plot_trajectory(obs, block.id, unit="CN", assessment=dict(block.assessment), meta=block.ind,
                           plan=block.trajectory, projection=False, title=False, ylabel=block.unit(lang),
                           status_text=block.status_label, lang=lang)


def _colour(values: dict[str, float]) -> tuple[Normalize, Any]:
    cmap = matplotlib.colormaps[PALETTE]
    vals = [v for v in values.values() if not math.isnan(v)]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    return Normalize(lo, hi if hi > lo else lo + 1), cmap


def tile_map(layer: Any, lang: str) -> Figure:
    """The tile grid coloured by ``layer.values``; divisions without a value are grey.

    Drawn by :func:`planmon.geo.plots.plot_tilemap`, with the layer's number format and unit.
    """
    from planmon.geo.plots import plot_tilemap

    return plot_tilemap(layer.values, unit=layer.unit, fmt=layer.fmt if hasattr(layer, "fmt") else None, lang=lang)


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
    """Composite-index ranks with their uncertainty intervals (best at the top).

    Drawn by :func:`planmon.index.plots.plot_uncertainty` from the table's rank and 5–95 % interval.
    """
    import pandas as pd

    from planmon.index.plots import plot_uncertainty

    summary = pd.DataFrame({"uCode": table["code"].astype(str), "nominal": table["rank"].astype(float),
                            "median": table["rank_median"].astype(float) if "rank_median" in table else math.nan,
                            "q05": table["rank_q05"].astype(float), "q95": table["rank_q95"].astype(float)})
    names = dict(zip(table["code"].astype(str), table["name"].astype(str), strict=True)) if "name" in table else None
    return plot_uncertainty(summary, labels=names, title=False, lang=lang)
