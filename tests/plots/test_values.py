"""What each plot draws is the data: angles, bar lengths, intervals, flags, colours and paths read back from the
artists and compared with a hand calculation, a published figure or an independent computation."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle, Wedge

from planmon.geo.plots import plot_tilemap
from planmon.index.plots import (
    correlation_flags,
    plot_bar,
    plot_corr,
    plot_dist,
    plot_framework,
    plot_sensitivity,
    plot_uncertainty,
)
from planmon.monitor.plots import plot_status, plot_trajectory
from planmon.refusal import Refusal


def _top_down(labels: Any) -> list[str]:
    return [t.get_text() for t in sorted(labels, key=lambda t: -t.get_position()[1])]


def test_framework_angles_are_the_effective_weights(asem_run: Any) -> None:
    # ASEM iMeta: every weight 1. Physical holds 8 indicators, Connectivity 5 sub-pillars, the index 2 pillars:
    # LPI = 1/2 × 1/5 × 1/8 = 1/80 of the index → 4.5°; Environmental holds 5 of Sustainability's 3 sub-pillars:
    # Forest = 1/2 × 1/3 × 1/5 = 1/30 → 12°; each pillar 180°.
    fig = plot_framework(asem_run)
    wedges = {p.get_gid(): p for p in fig.axes[0].patches if isinstance(p, Wedge)}
    span = {k: (w.theta2 - w.theta1) % 360 or 360 for k, w in wedges.items()}
    assert span["LPI"] == pytest.approx(4.5)
    assert span["Forest"] == pytest.approx(12.0)
    assert span["Conn"] == pytest.approx(180.0) and span["Sust"] == pytest.approx(180.0)
    assert sum(span[c] for c in asem_run.tree.indicators) == pytest.approx(360.0)
    # nested: every indicator's wedge lies inside its sub-pillar's
    for c in asem_run.tree.indicators:
        p = wedges[asem_run.tree.parent[c]]
        assert p.theta1 - 1e-9 <= wedges[c].theta1 and wedges[c].theta2 <= p.theta2 + 1e-9


def test_bar_lengths_are_the_scores_and_labels_the_published_rank_interval(asem_run: Any, asem_ua: Any) -> None:
    fig = plot_bar(asem_run, uncertainty=asem_ua)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches if isinstance(p, Rectangle)]
    want = asem_run.scores[asem_run.top].sort_values(ascending=False).to_numpy()
    assert np.allclose(widths, want)
    names = _top_down(ax.get_yticklabels())
    assert names[0] == "CHE"
    labels = {n: t.get_text() for n, t in zip(names, sorted(ax.texts, key=lambda t: -t.get_position()[1]),
                                              strict=True)}
    # COINr sensitivity vignette (N = 100): CHE 1 in every replication; AUT nominal 7 (Q5 5.95, Q95 9 there;
    # planmon's draw gives its own quantiles within tests/index/test_uncertainty.py's bounds): the label is the run's
    aut = asem_ua.set_index("uCode").loc["AUT"]
    assert labels["AUT"] == f"7 [{aut['q05']:.0f}–{aut['q95']:.0f}]"
    assert labels["CHE"] == "1 [1–1]"


def test_bar_of_many_units_draws_every_unit_unnamed(asem_run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.patches import StepPatch

    from planmon.index.plots import bars

    fig = plot_bar(asem_run, top=10)
    assert len([p for p in fig.axes[0].patches if isinstance(p, Rectangle)]) == 10
    monkeypatch.setattr(bars, "LABELLED", 20)  # 51 units are "many": one step path, no names
    ax = plot_bar(asem_run).axes[0]
    (step,) = [p for p in ax.patches if isinstance(p, StepPatch)]
    assert np.allclose(step.get_data().values, asem_run.scores[asem_run.top].sort_values(ascending=False))
    codes = set(asem_run.scores["uCode"])
    assert not any(t.get_text() in codes for t in [*ax.get_xticklabels(), *ax.get_yticklabels()])  # unnamed


def _independent_flags(run: Any, thresh: float) -> set[tuple[str, str, str]]:
    x = run.stages["Normalised"][run.tree.indicators].to_numpy(dtype=float)
    out = set()
    for parent in run.tree.levels[2]:
        kids = [c for c in run.tree.indicators if run.tree.parent[c] == parent]
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                xa, xb = x[:, run.tree.indicators.index(a)], x[:, run.tree.indicators.index(b)]
                ok = ~np.isnan(xa) & ~np.isnan(xb)
                r = np.corrcoef(xa[ok], xb[ok])[0, 1]
                if r > thresh:
                    out.add((a, b, "collinear"))
                elif r < -0.4:  # COINr's flagthresh default c(-0.4, 0.3, 0.9)
                    out.add((a, b, "negative"))
    return out


def test_correlation_flags_match_an_independent_count_and_the_plot(asem_run: Any) -> None:
    from planmon.index.stats import correlation_flags as coinr_high

    flags = correlation_flags(asem_run, thresh=0.7)
    got = {(r.row, r.col, r.flag) for r in flags.itertuples()}
    assert got == _independent_flags(asem_run, 0.7)
    assert {"collinear", "negative"} <= set(flags["flag"])
    # the "high" half is COINr's get_corr_flags (planmon.index.stats), computed separately
    corr = asem_run.stages["Normalised"][asem_run.tree.indicators].corr()
    high = coinr_high(corr, {p: asem_run.tree.children(p) for p in asem_run.tree.levels[2]}, 0.7)
    assert {frozenset((r.ind1, r.ind2)) for r in high.itertuples()} == \
        {frozenset((a, b)) for a, b, f in got if f == "collinear"}
    fig = plot_corr(asem_run, thresh=0.7)
    drawn = [p for p in fig.axes[0].patches if str(p.get_gid()).startswith("flag-")]
    assert len(drawn) == len(flags)
    assert sum(p.get_gid() == "flag-collinear" for p in drawn) == (flags["flag"] == "collinear").sum()


def test_across_levels_flags_an_indicator_against_its_own_pillar(asem_run: Any) -> None:
    flags = correlation_flags(asem_run, levels=(1, 2))
    agg = asem_run.stages["Aggregated"]
    for r in flags.itertuples():
        assert asem_run.tree.parent[r.row] == r.col
        assert agg[r.row].corr(agg[r.col]) == pytest.approx(r.corr) and r.corr < 0
    # TBTs (technical barriers to trade) works against Institutional in ASEM (r ≈ −0.62 on the map)
    assert "TBTs" in set(flags["row"])


def test_dist_marks_exactly_the_winsorised_points(asem_run: Any) -> None:
    log = next(e for e in asem_run.log if e["step"] == "treat")["info"]
    pts = log["winsorised_points"]
    shown = [c for c in asem_run.tree.indicators if c in log["treated"]][:12]
    fig = plot_dist(asem_run)
    red = sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections if to_hex(c.get_facecolor()[0]) ==
              "#c0392b")
    assert red == sum(len(pts.get(c, {})) for c in shown) > 0
    assert len(fig.axes) == 2 * len(shown)


def test_dist_refuses_an_unknown_stage_in_both_languages(asem_run: Any) -> None:
    with pytest.raises(Refusal) as exc:
        plot_dist(asem_run, after="Cooked")
    assert "Cooked" in exc.value.text("zh") and "no data set Cooked" in exc.value.text("en")


def test_uncertainty_intervals_are_the_quantiles(asem_ua: Any) -> None:
    fig = plot_uncertainty(asem_ua)
    seg = next(c for c in fig.axes[0].collections if isinstance(c, LineCollection)).get_segments()
    d = asem_ua.sort_values(["median", "nominal", "uCode"], kind="stable")
    assert [(s[0][0], s[1][0]) for s in seg] == list(zip(d["q05"], d["q95"], strict=True))
    assert len(seg) == len(asem_ua) == 51


def test_sensitivity_bars_are_si_and_sti(asem_sa: pd.DataFrame) -> None:
    fig = plot_sensitivity(asem_sa)
    widths = [p.get_width() for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert np.allclose(widths, [*asem_sa["Si"], *asem_sa["STi"]])
    labels = _top_down(fig.axes[0].get_yticklabels())
    assert labels == ["权重扰动", "异常值处理：winmax", "标准化方法", "汇总方法"]


def test_tile_map_colours_each_province_by_its_value() -> None:
    import matplotlib

    fig = plot_tilemap(pd.Series({"11": 10.0, "440000": 30.0, 310000: 20.0}))
    cells = {p.get_gid(): p for p in fig.axes[0].patches}
    cmap = matplotlib.colormaps["YlGnBu"]
    assert to_hex(cells["110000"].get_facecolor()) == to_hex(cmap(0.0))  # the lowest value: the palette's start
    assert to_hex(cells["310000"].get_facecolor()) == to_hex(cmap(0.5))
    assert to_hex(cells["440000"].get_facecolor()) == to_hex(cmap(1.0))
    assert to_hex(cells["650000"].get_facecolor()) == "#e6e6e6"  # no value: grey
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "北京" in texts and "10.0" in texts and "—" in texts


def test_tile_map_refuses_codes_that_are_no_province(asem_run: Any) -> None:
    with pytest.raises(Refusal) as exc:
        plot_tilemap(asem_run.scores.set_index("uCode")[asem_run.top])
    assert "AUT" in exc.value.text("zh") and "not provincial-level division codes" in exc.value.text("en")


def test_trajectory_draws_the_plan_path_target_and_projection(demo: Any) -> None:
    a = demo.snap.assessments
    fig = plot_trajectory(demo.snap.observations, "I01", assessment=a, framework=demo.snap.framework)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    plan = lines["规划轨迹"]
    xs, ys = plan.get_xdata(), plan.get_ydata()
    # built-in plan: 网民规模 9.89 亿 (2020) → 12 亿 (2025), linear: 2023 = 9.89 + (12 − 9.89)·3/5 = 11.156
    assert ys[list(xs).index(2023.0)] == pytest.approx(11.156)
    assert (xs[0], ys[0], xs[-1], ys[-1]) == (2020.0, 9.89, 2025.0, 12.0)
    row = a[(a["indicator"] == "I01") & (a["unit"] == "CN")].iloc[0]
    proj = lines["预测"]
    assert list(proj.get_xdata()) == [2024.0, 2025.0]
    assert list(proj.get_ydata()) == [pytest.approx(11.08), pytest.approx(row["projected"])]
    assert list(lines["实际值"].get_ydata()) == [9.89, 10.32, 10.67, 10.92, 11.08]  # CNNIC reports 47–55
    assert fig.axes[0]._right_title.get_text() == "状态：" + row["status_zh"]


def test_trajectory_of_a_province_uses_its_own_target(demo: Any) -> None:
    a = demo.snap.assessments
    row = a[(a["indicator"] == "I02") & (a["unit"] == "440000")].iloc[0]
    fig = plot_trajectory(demo.snap.observations, "I02", unit="440000", assessment=a, lang="en")
    plan = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}["plan trajectory"]
    assert plan.get_ydata()[0] == pytest.approx(row["baseline"]) and plan.get_ydata()[-1] == pytest.approx(row["target"])
    assert "Guangdong" in fig.axes[0]._left_title.get_text()


def test_a_province_without_a_target_of_its_own_gets_no_national_target(demo: Any) -> None:
    """Seen in the notebook's review: a province's row with no target (no target of its own, or compared on
    another basis) fell back to the plan's national target — 12 亿 internet users drawn over 广东's 1 亿.
    The plan's baseline and target are the nation's: only the nation falls back to them."""
    a = demo.snap.assessments.copy()
    sel = (a["indicator"] == "I01") & (a["unit"] == "440000")
    a.loc[sel, ["baseline", "target", "target_period", "baseline_period", "projected"]] = None
    fig = plot_trajectory(demo.snap.observations, "I01", unit="440000", assessment=a, framework=demo.snap.framework)
    labels = {ln.get_label() for ln in fig.axes[0].get_lines()}
    assert "实际值" in labels and not labels & {"目标", "规划轨迹"}
    national = plot_trajectory(demo.snap.observations, "I01", unit="CN", assessment=a.iloc[0:0],
                               framework=demo.snap.framework)
    assert {"目标", "规划轨迹"} <= {ln.get_label() for ln in national.axes[0].get_lines()}


def test_status_dots_are_the_progress_shares(demo: Any) -> None:
    a = demo.snap.assessments
    nat = a[a["unit"] == "CN"]
    fig = plot_status(a, framework=demo.snap.framework)
    ax = fig.axes[0]
    dots = [ln for ln in ax.get_lines() if ln.get_marker() in ("o", ">")]
    got = sorted(float(ln.get_xdata()[0]) for ln in dots)
    want = sorted(min(p, 2.0) * 100 for p in nat["progress_share"].dropna())
    assert got == pytest.approx(want)
    # I03 (千兆光纤用户) is at 367 % of its distance: an arrow at the cap, its value written beside
    assert any(t.get_text() == f"{nat.set_index('indicator').loc['I03', 'progress_share'] * 100:.0f}%" for t in ax.texts)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    counts = nat["status"].value_counts()
    assert f"提前实现（{counts['achieved']}）" in legend and f"滞后（{counts['lagging']}）" in legend


def test_status_across_units_stacks_to_one_hundred_percent(demo: Any) -> None:
    fig = plot_status(demo.snap.assessments, unit=None)
    ax = fig.axes[0]
    right = {}
    for p in ax.patches:
        if isinstance(p, Rectangle):
            y = round(p.get_y(), 6)
            right[y] = max(right.get(y, 0.0), p.get_x() + p.get_width())
    assert len(right) == demo.snap.assessments["indicator"].nunique()
    assert all(math.isclose(v, 100.0) for v in right.values())


def test_the_report_draws_with_these_functions(demo: Any) -> None:
    """No second chart code: the report's map, indicator chart and ranking call the plot functions."""
    import inspect

    from planmon.report import charts

    for fn, callee in ((charts.tile_map, "plot_tilemap"), (charts.indicator_chart, "plot_trajectory"),
                       (charts.ranking_chart, "plot_uncertainty")):
        src = inspect.getsource(fn)
        assert callee in src
        assert not any(k in src for k in (".plot(", "add_patch", ".barh(", ".text(", "Figure(")), fn.__name__


def test_importing_planmon_and_its_engines_loads_no_matplotlib() -> None:
    code = ("import sys, planmon, planmon.index, planmon.monitor, planmon.index.plots, planmon.monitor.plots, "
            "planmon.geo.plots, planmon.plotting; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_trajectory_of_an_unknown_indicator_is_refused_by_name(demo: Any) -> None:
    with pytest.raises(Refusal) as exc:
        plot_trajectory(demo.snap.observations, "I99", unit="440000", assessment=demo.snap.assessments)
    assert "I99" in exc.value.text("zh") and "440000" in exc.value.text("en")


def test_language_tags_are_read_like_the_rest_of_planmon(asem_ua: Any) -> None:
    fig = plot_uncertainty(asem_ua, lang="en-US")
    assert fig.axes[0].get_xlabel() == "rank (1 = best)"
