"""Every plot function renders on the ASEM example and on the demo, in Chinese and English, and passes the
image checks (tests/plots/checks.py): no label collides with another, no text leaves the figure, Chinese
text is drawn in the shipped CJK font and never as tofu.

ASEM's units are countries: the tile map (provinces) and the monitoring plots (a plan's targets) do not
apply to it; the map refuses its codes by name (test_geo_map.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from matplotlib.figure import Figure

from planmon.geo.plots import plot_tilemap
from planmon.index.plots import plot_bar, plot_corr, plot_dist, plot_framework, plot_sensitivity, plot_uncertainty
from planmon.monitor.plots import plot_status, plot_trajectory
from tests.plots.checks import assert_clean

INDEX_PLOTS: dict[str, Callable[[Any, Any, Any, str], Figure]] = {
    "framework": lambda run, ua, sa, lang: plot_framework(run, lang=lang),
    "bar": lambda run, ua, sa, lang: plot_bar(run, uncertainty=ua, lang=lang),
    "bar_pillar": lambda run, ua, sa, lang: plot_bar(run, code=run.tree.levels[run.tree.maxlev - 1][0], lang=lang),
    "corr_within": lambda run, ua, sa, lang: plot_corr(run, lang=lang),
    "corr_across": lambda run, ua, sa, lang: plot_corr(run, levels=(1, 2), lang=lang),
    "corr_pillars": lambda run, ua, sa, lang: plot_corr(run, levels=(2, 2), lang=lang),
    "dist": lambda run, ua, sa, lang: plot_dist(run, lang=lang),
    "uncertainty": lambda run, ua, sa, lang: plot_uncertainty(ua, lang=lang),
    "sensitivity": lambda run, ua, sa, lang: plot_sensitivity(sa, lang=lang),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(INDEX_PLOTS))
def test_index_plots_on_asem(name: str, lang: str, asem_run: Any, asem_ua: Any, asem_sa: Any) -> None:
    fig = INDEX_PLOTS[name](asem_run, asem_ua, asem_sa, lang)
    assert isinstance(fig, Figure)
    assert_clean(fig, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(INDEX_PLOTS))
def test_index_plots_on_the_demo(name: str, lang: str, demo: Any) -> None:
    fig = INDEX_PLOTS[name](demo.run, demo.ua, demo.sa, lang)
    assert isinstance(fig, Figure)
    assert_clean(fig, lang)


DEMO_PLOTS: dict[str, Callable[[Any, str], Figure]] = {
    "map": lambda d, lang: plot_tilemap(d.run.scores.set_index("uCode")[d.run.top], title="综合指数", unit="分",
                                        lang=lang),
    "trajectory_nation": lambda d, lang: plot_trajectory(d.snap.observations, "I01", assessment=d.snap.assessments,
                                                         framework=d.snap.framework, lang=lang),
    "trajectory_province": lambda d, lang: plot_trajectory(d.snap.observations, "I02", unit="440000",
                                                           assessment=d.snap.assessments, framework=d.snap.framework,
                                                           lang=lang),
    "status_nation": lambda d, lang: plot_status(d.snap.assessments, framework=d.snap.framework, lang=lang),
    "status_units": lambda d, lang: plot_status(d.snap.assessments, unit=None, framework=d.snap.framework, lang=lang),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(DEMO_PLOTS))
def test_map_and_monitor_plots_on_the_demo(name: str, lang: str, demo: Any) -> None:
    fig = DEMO_PLOTS[name](demo, lang)
    assert isinstance(fig, Figure)
    assert_clean(fig, lang)


def test_each_plot_draws_into_a_given_axes(asem_run: Any, asem_ua: Any, asem_sa: Any, demo: Any) -> None:
    from matplotlib.figure import Figure as Fig

    drawn = {
        "framework": lambda ax: plot_framework(asem_run, ax=ax),
        "bar": lambda ax: plot_bar(asem_run, uncertainty=asem_ua, ax=ax),
        "corr": lambda ax: plot_corr(asem_run, levels=(2, 2), ax=ax),
        "uncertainty": lambda ax: plot_uncertainty(asem_ua, ax=ax),
        "sensitivity": lambda ax: plot_sensitivity(asem_sa, ax=ax),
        "map": lambda ax: plot_tilemap({"110000": 1.0, "310000": 2.0}, ax=ax),
        "trajectory": lambda ax: plot_trajectory(demo.snap.observations, "I01", assessment=demo.snap.assessments,
                                                 ax=ax),
        "status": lambda ax: plot_status(demo.snap.assessments, ax=ax),
    }
    for name, make in drawn.items():
        fig = Fig(figsize=(8, 8))
        ax = fig.add_subplot(2, 1, 2)
        assert make(ax) is fig, name
        assert ax.has_data() or ax.patches or ax.texts, name
    fig = Fig(figsize=(8, 8))
    assert plot_dist(asem_run, fig=fig) is fig and len(fig.axes) == 24  # 12 indicators × (before, after)
