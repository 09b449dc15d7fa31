"""Image checks a wrong chart fails: text boxes that collide, text outside the figure, Chinese drawn in a font
that lacks it (tofu).

After ``canvas.draw()`` every label-like text (titles, axis labels, the tick labels actually drawn, legend
entries, colour-bar labels, unrotated annotations) has a box on the canvas; no two may intersect, and none
may leave the figure. Every text holding a CJK character must resolve (``font_manager.findfont``) to the
shipped Noto Sans SC, and that font must hold each of its characters.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import font_manager
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from planmon.plotting import cjk_font_path

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")


@cache
def _cjk_chars() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(cjk_font_path())).get_charmap())


def draw(fig: Figure) -> Any:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _drawn_ticklabels(axis: Axis) -> Iterator[Text]:
    if not axis.axes.axison or not axis.get_visible():
        return
    lo, hi = sorted(axis.get_view_interval())
    eps = (hi - lo) * 1e-9
    for tick in axis.get_major_ticks():
        if lo - eps <= tick.get_loc() <= hi + eps:
            for lab in (tick.label1, tick.label2):
                if lab.get_visible() and lab.get_text().strip():
                    yield lab


def label_boxes(fig: Figure, renderer: Any) -> list[tuple[str, Bbox, Any]]:
    """(what, box, owner) of every label-like text; texts of one legend share their owner (the legend)."""
    out: list[tuple[str, Bbox, Any]] = []

    def add(what: str, art: Any, owner: Any = None) -> None:
        if art.get_visible() and (not isinstance(art, Text) or art.get_text().strip()):
            out.append((what, art.get_window_extent(renderer), owner if owner is not None else art))

    for ax in fig.axes:
        for which in ("left", "center", "right"):
            add(f"title:{which}", {"left": ax._left_title, "center": ax.title, "right": ax._right_title}[which])
        add("xlabel", ax.xaxis.label)
        add("ylabel", ax.yaxis.label)
        for axis, name in ((ax.xaxis, "xtick"), (ax.yaxis, "ytick")):
            for lab in _drawn_ticklabels(axis):
                add(f"{name}:{lab.get_text()}", lab)
        for txt in ax.texts:
            if txt.get_rotation() % 360 == 0:
                add(f"text:{txt.get_text()}", txt)
        leg = ax.get_legend()
        if leg is not None:
            add("legend", leg, leg)
    for leg in fig.legends:
        add("figlegend", leg, leg)
    for txt in fig.texts:
        add(f"figtext:{txt.get_text()}", txt)
    if fig._suptitle is not None:
        add("suptitle", fig._suptitle)
    return out


def overlaps(fig: Figure, tol: float = 0.5, renderer: Any = None) -> list[str]:
    """Pairs of label-like texts whose boxes intersect by more than ``tol`` pixels each way."""
    renderer = renderer or draw(fig)
    boxes = label_boxes(fig, renderer)
    if len(boxes) < 2:
        return []
    b = np.array([[x.x0, x.y0, x.x1, x.y1] for _, x, _ in boxes])
    owner = np.array([id(o) for _, _, o in boxes])
    dx = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    dy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    hit = (dx > tol) & (dy > tol) & (owner[:, None] != owner[None, :])
    i, j = np.nonzero(np.triu(hit, k=1))
    return [f"{boxes[p][0]} × {boxes[q][0]}" for p, q in zip(i, j, strict=True)]


def all_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text the figure draws (also legend entries and colour-bar labels); call after a draw."""
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    drawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            drawn.update(id(x) for x in _drawn_ticklabels(axis))
    ticks = {id(lab) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks() for lab in (tick.label1, tick.label2)}
    return [t for t in texts if (id(t) not in ticks or id(t) in drawn) and _drawn(t)]


def _drawn(t: Text) -> bool:
    """False for a text of an axes that is switched off (its artists are not drawn)."""
    ax = t.axes
    return ax is None or ax.axison or t in ax.texts or t in (ax.title, ax._left_title, ax._right_title)


def outside(fig: Figure, tol: float = 1.0, renderer: Any = None) -> list[str]:
    """Texts whose box leaves the figure (clipped when saved at the figure's size)."""
    renderer = renderer or draw(fig)
    w, h = fig.canvas.get_width_height()
    bad = []
    for t in all_texts(fig):
        b = t.get_window_extent(renderer)
        if b.x0 < -tol or b.y0 < -tol or b.x1 > w + tol or b.y1 > h + tol:
            bad.append(t.get_text())
    return bad


def tofu(fig: Figure, renderer: Any = None) -> tuple[int, list[str]]:
    """(number of texts holding CJK, those drawn in another font or holding a character the font lacks)."""
    if renderer is None:
        draw(fig)
    want = cjk_font_path().resolve()
    chars = _cjk_chars()
    n, bad = 0, []
    for t in all_texts(fig):
        s = t.get_text()
        if not CJK.search(s):
            continue
        n += 1
        got = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
        missing = [c for c in s if ord(c) not in chars and not c.isspace()]
        if Path(got).resolve() != want or missing:
            bad.append(f"{s!r}: {got} {missing}")
    return n, bad


def assert_clean(fig: Figure, lang: str) -> None:
    """No colliding labels, no text outside the figure; in Chinese, CJK present and never tofu."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        renderer = draw(fig)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert overlaps(fig, renderer=renderer) == []
    assert outside(fig, renderer=renderer) == []
    n, bad = tofu(fig, renderer)
    assert bad == []
    if lang == "zh":
        assert n > 0, "a Chinese chart without Chinese text"
