"""The image checks catch what they claim to: a legend on the axis label, text off the figure, Chinese in a
font without Chinese glyphs."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from planmon.plotting import setup
from tests.plots.checks import outside, overlaps, tofu


def test_overlap_check_sees_a_legend_over_the_axis_label() -> None:
    setup()
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="实际值 actual values long label")
    ax.set_ylabel("亿人")
    ax.legend(loc="center left", bbox_to_anchor=(-0.3, 0.5))
    assert any("legend" in p and "ylabel" in p for p in overlaps(fig))


def test_outside_check_sees_text_off_the_figure() -> None:
    setup()
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.text(0.95, 0.5, "a label far too long to fit on this small figure", transform=ax.transAxes)
    assert outside(fig) == ["a label far too long to fit on this small figure"]


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_tofu_check_sees_chinese_in_a_latin_font() -> None:
    setup()
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.set_title("综合指数", fontfamily="DejaVu Sans")
    ax.set_xlabel("得分")
    n, bad = tofu(fig)
    assert n == 2 and len(bad) == 1 and bad[0].startswith("'综合指数'")
