"""What every planmon chart shares: the CJK font, repeatable settings, the palette, figure/axes set-up.

Why a neutral module: the engines (index, monitor, geo) own their plots, and the report
draws with the same functions; an engine may not import a face (``planmon.report``), so the
font and the settings live here, below both. matplotlib is imported inside the functions
only: ``import planmon`` and ``import planmon.index`` never load it.

The font is Noto Sans SC (SIL OFL 1.1) from the ``pylopdf-fonts-zh-cn`` wheel, registered
once with matplotlib and put first in ``font.family``, so Chinese labels never fall back to
boxes (tofu) whatever fonts the machine has. Output is deterministic: a fixed SVG hash salt,
glyphs drawn as paths in SVG, no dates in the metadata (see :func:`to_png`, :func:`to_svg`).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.i18n import normalise_lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FONT_FAMILY = "Noto Sans SC"

# The palette: one colour per meaning, the same in every chart and in the report.
SEQUENTIAL = "YlGnBu"  # maps of scores and values
DIVERGING = "RdBu_r"  # correlations (-1 … 1)
NO_DATA = "#e6e6e6"
ACTUAL = "#1f5aa6"
PLAN = "#c0392b"
PROJECTION = "#7f8c8d"
INTERVAL = "#9bb7d4"
MUTED = "#555555"
#: Status classes of every scheme (planmon.monitor.schemes): greens on track, blue as expected, amber to red behind.
STATUS_COLOURS = {"achieved": "#1a7f37", "faster": "#5b9a1e", "as_expected": "#1f5aa6", "lagging": "#b03a2e",
                  "on_track": "#1f5aa6", "acceleration_needed": "#e69f00", "limited_progress": "#d55e00",
                  "deterioration": "#b03a2e", "fair_progress": "#e69f00", "stagnation": "#b03a2e",
                  "moderately_improving": "#e69f00", "stagnating": "#d55e00", "decreasing": "#b03a2e",
                  "to_be_entered": "#8e6c8a"}
NO_STATUS = "#9e9e9e"
#: A qualitative cycle for groups (pillars, stages): colour-blind safe (Okabe–Ito, without black).
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")

RC: dict[str, Any] = {
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "svg.hashsalt": "planmon",
    "svg.fonttype": "path",
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 9,
}


@cache
def cjk_font_path() -> Path:
    """The shipped CJK font file (from the ``pylopdf-fonts-zh-cn`` wheel)."""
    import pylopdf_fonts_zh_cn

    path: Path = pylopdf_fonts_zh_cn.sans_path()
    if not path.exists():  # pragma: no cover - a broken install
        raise FileNotFoundError(f"CJK font missing: {path}")
    return path


@cache
def setup() -> None:
    """Register the font and fix the settings that make output repeatable (once per process).

    The settings go into matplotlib's global ``rcParams``: tick labels are made when a figure is
    drawn, not when it is built, so a font set only while building would not reach them.
    """
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(cjk_font_path()))
    matplotlib.rcParams.update(RC)  # type: ignore[arg-type]


def language(lang: str | None) -> str:
    """``"en"`` for any English tag (``en``, ``en-US``), else ``"zh"`` (the default of every chart)."""
    return "en" if (lang or "zh").lower().startswith("en") else "zh"


def t(lang: str, zh: str, en: str) -> str:
    """``zh`` or ``en`` by the reader's language (``zh`` by default)."""
    return en if normalise_lang(lang or "zh") == "en" else zh


def figure_and_axes(ax: Axes | None, size: tuple[float, float], **subplot: Any) -> tuple[Figure, Axes, bool]:
    """The axes to draw on: ``ax`` (its figure is returned), or a new :class:`Figure` of ``size`` inches.

    The third value says whether the figure is ours (then we may lay it out). A bare ``Figure``
    (no pyplot): safe under any backend and in threads, never shown by itself.
    """
    setup()
    if ax is not None:
        return ax.get_figure(root=True), ax, False  # type: ignore[return-value]
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot(**subplot), True


def new_figure(fig: Figure | None, size: tuple[float, float]) -> tuple[Figure, bool]:
    """``fig`` (cleared of nothing: the caller adds its own axes), or a new constrained-layout Figure."""
    setup()
    if fig is not None:
        return fig, False
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained"), True


def shorten(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters with an ellipsis (long names would push the plot aside)."""
    return text if len(text) <= n else text[: n - 1] + "…"


def to_svg(fig: Figure) -> str:
    """The figure as SVG text without the XML prologue and without a date (same input, same bytes)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes without the software stamp (same input, same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()
