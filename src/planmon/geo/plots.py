"""A map of values by province on the tile grid (one equal square per provincial-level division).

Generic over any values keyed by GB/T 2260 code — composite scores, an indicator, a rank —
so the analyst's notebook and the report draw the same map (see :mod:`planmon.geo.tilegrid`
for why a tile grid and not borders). Divisions without a value are grey and say "—".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from planmon.geo.tilegrid import N_COLS, N_ROWS, TILES, tile_label
from planmon.plotting import NO_DATA, SEQUENTIAL, language, setup, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

CODES = {tl.code for tl in TILES}


def province_values(values: Mapping[Any, Any] | Any) -> dict[str, float]:
    """``{GB/T 2260 code: value}`` from a Series or mapping; ``11`` and ``110000`` (text or number) both name 北京.

    A key that is no provincial-level division is refused, naming it (a county code, a
    country code: the tile grid has no cell for it).
    """
    from planmon.refusal import Refusal

    items = values.items() if hasattr(values, "items") else dict(values).items()
    out: dict[str, float] = {}
    bad: list[str] = []
    for k, v in items:
        key = str(k).strip()
        if key.endswith(".0"):
            key = key[:-2]
        code = key + "0000" if len(key) == 2 and key.isdigit() else key
        if code not in CODES:
            bad.append(key)
            continue
        f = float(v) if v is not None else math.nan
        out[code] = f
    if bad:
        shown = ", ".join(bad[:8]) + (" …" if len(bad) > 8 else "")
        raise Refusal.of(f"以下代码不是省级行政区代码（GB/T 2260，如 110000）：{shown}",
                         f"these codes are not provincial-level division codes (GB/T 2260, e.g. 110000): {shown}",
                         code="plot_input")
    return out


def _norm(values: dict[str, float], vmin: float | None, vmax: float | None) -> Normalize:
    from matplotlib.colors import Normalize

    vals = [v for v in values.values() if not math.isnan(v)]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    lo = lo if vmin is None else vmin
    hi = hi if vmax is None else vmax
    return Normalize(lo, hi if hi > lo else lo + 1)


def plot_tilemap(values: Mapping[Any, Any] | Any, *, title: str | None = None, unit: str = "",
                 fmt: Callable[[float | None], str] | None = None, cmap: str = SEQUENTIAL,
                 vmin: float | None = None, vmax: float | None = None, ax: Axes | None = None,
                 lang: str = "zh") -> Figure:
    """Colour each province's cell by its value (darker = higher with the default palette); returns the Figure.

    ``values``: a Series or mapping keyed by province code (``110000`` or ``11``); ``unit`` labels
    the colour bar; ``fmt`` formats the value printed in each cell (default one decimal).

    Example::

        import pandas as pd
        from planmon.geo.plots import plot_tilemap
        scores = pd.Series({"110000": 82.1, "310000": 79.4, "440000": 75.0})
        plot_tilemap(scores, title="综合指数", unit="分").savefig("map.png")
    """
    lang = language(lang)
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    setup()
    vals = province_values(values)
    norm = _norm(vals, vmin, vmax)
    colours = matplotlib.colormaps[cmap]
    own = ax is None
    if ax is None:
        fig = Figure(figsize=(6.4, 5.4 + (0.3 if title else 0.0)))
        ax = fig.add_axes((0.0, 0.12, 1.0, 0.88 if not title else 0.82))
    else:
        fig = ax.get_figure(root=True)  # type: ignore[assignment]
    en = lang == "en"
    show = fmt or (lambda v: "—" if v is None or math.isnan(v) else f"{v:.1f}")
    for tl in TILES:
        v = vals.get(tl.code)
        has = v is not None and not math.isnan(v)
        face = colours(norm(float(v))) if v is not None and has else NO_DATA
        ax.add_patch(Rectangle((tl.col + 0.04, -tl.row - 0.96), 0.92, 0.92, facecolor=face, edgecolor="white", lw=1,
                               gid=tl.code))
        r, g, b = matplotlib.colors.to_rgb(face)
        dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5  # relative luminance: white text on dark cells
        ax.text(tl.col + 0.5, -tl.row - 0.38, tile_label(tl, lang), ha="center", va="center",
                fontsize=8 if not en else 5.2, color="white" if dark else "#222")
        ax.text(tl.col + 0.5, -tl.row - 0.7, show(v if has else None), ha="center", va="center",
                fontsize=7, color="white" if dark else "#444")
    ax.set_xlim(0, N_COLS)
    ax.set_ylim(-N_ROWS, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    sm = ScalarMappable(norm=norm, cmap=colours)
    if own:
        cax = fig.add_axes((0.08, 0.08, 0.35, 0.025))
        bar = fig.colorbar(sm, cax=cax, orientation="horizontal")
    else:
        bar = fig.colorbar(sm, ax=ax, orientation="horizontal", shrink=0.4, pad=0.02, anchor=(0.0, 1.0))
    bar.ax.tick_params(labelsize=7)
    if unit:
        bar.set_label(unit, fontsize=7)
    if not any(not math.isnan(v) for v in vals.values()):
        ax.text(N_COLS / 2, -N_ROWS + 0.2, t(lang, "没有数值", "no values"), ha="center", fontsize=8, color="#666")
    return fig
