"""Benchmark of the plots (issue #18) on the 2,844-unit case.

Each plot is timed from its call to its PNG bytes (``planmon.plotting.to_png`` at 100 dpi: the
figure is built, laid out and rendered, as a notebook displaying it would), best of ``--repeat``.
The baseline, measured in the same run, is a bare matplotlib bar chart of the same number of
units (``Figure``, ``ax.bar`` of 2,844 bars, the same PNG export): the ratio says how much a plot
costs beyond drawing its data at all.

Cases:
- index plots on the synthetic county index of bench/index_bench.py (2,844 units × 100
  indicators, 4 levels, its uncertainty inputs), the uncertainty from 200 replications and the
  sensitivity from N = 20 (the analyses are not timed here; bench/index_bench.py times them);
- monitoring plots on the county panel of bench/monitor_bench.py (2,844 counties × 35
  indicators, assessed once): the status of all indicators across the 2,844 counties, one
  county's status, one county's trajectory;
- the tile map of the 34 provincial-level divisions (the grid has no cell per county).

Run: ``.venv/bin/python bench/plots_bench.py [--repeat 3]`` from the repository root.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from index_bench import SCALE_SPEC, synthetic  # noqa: E402
from monitor_bench import COUNTIES, make_data  # noqa: E402
from planmon.plotting import setup, to_png  # noqa: E402
from timing import best_of  # noqa: E402

DPI = 100


def baseline(n: int) -> bytes:
    """A bare matplotlib bar chart of ``n`` bars, exported like the plots."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 3.0))
    ax = fig.add_subplot()
    ax.bar(np.arange(n), np.linspace(100, 1, n), width=1.0)
    return to_png(fig, dpi=DPI)


def empty_figure() -> bytes:
    """The fixed cost of any chart: an empty axes of the same size, exported the same way."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 3.0))
    fig.add_subplot()
    return to_png(fig, dpi=DPI)


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    from planmon.geo.plots import plot_tilemap
    from planmon.geo.tilegrid import TILES
    from planmon.index import run_index
    from planmon.index.plots import plot_bar, plot_corr, plot_dist, plot_framework, plot_sensitivity, plot_uncertainty
    from planmon.monitor import assess
    from planmon.monitor.plots import plot_status, plot_trajectory

    setup()
    t0 = time.perf_counter()
    idata, imeta = synthetic()
    run = run_index(idata, imeta, SCALE_SPEC)
    ua = run.uncertainty(200, seed=1)
    sa = run.sensitivity(20, seed=1, nboot=20)
    obs, specs = make_data()
    table = assess(obs, specs)
    print(f"(set-up, not timed: index run, 200 replications, sensitivity N=20, assessment of "
          f"{len(table):,} series: {time.perf_counter() - t0:.1f} s)")
    county = str(table["unit"].iloc[0])
    rng = np.random.default_rng(0)
    provinces = {tl.code: float(v) for tl, v in zip(TILES, rng.uniform(20, 90, len(TILES)), strict=True)}
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("plot_framework (125 nodes)", lambda: plot_framework(run)),
        ("plot_bar (2,844 units, rank intervals)", lambda: plot_bar(run, uncertainty=ua)),
        ("plot_corr indicators × indicators (100 × 100)", lambda: plot_corr(run)),
        ("plot_corr indicators × pillars (100 × 20)", lambda: plot_corr(run, levels=(1, 2))),
        ("plot_dist (12 indicators, 2,844 points each, before/after)", lambda: plot_dist(run)),
        ("plot_uncertainty (2,844 rank intervals)", lambda: plot_uncertainty(ua)),
        ("plot_sensitivity (4 inputs)", lambda: plot_sensitivity(sa)),
        (f"plot_status across {COUNTIES:,} counties × 35 indicators", lambda: plot_status(table, unit=None)),
        ("plot_status of one county (35 indicators)", lambda: plot_status(table, unit=county)),
        ("plot_trajectory of one county series", lambda: plot_trajectory(obs, "K00", unit=county, assessment=table)),
        ("plot_tilemap (34 provinces)", lambda: plot_tilemap(provinces)),
    ]
    base = best_of(lambda: baseline(COUNTIES), repeat=repeat)
    empty = best_of(lambda: empty_figure(), repeat=repeat)
    print(f"baseline: bare matplotlib bar chart of {COUNTIES:,} bars → PNG: {base:.3f} s "
          f"(for scale: an empty axes → PNG {empty:.3f} s)")
    print(f"{'plot':<62} {'seconds':>8} {'× baseline':>11}")
    for name, make in cases:
        sec = best_of(lambda make=make: to_png(make(), dpi=DPI), repeat=repeat)
        print(f"{name:<62} {sec:8.3f} {sec / base:11.2f}")


if __name__ == "__main__":
    main()
