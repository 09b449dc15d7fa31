"""The illustrative provincial data set: deterministic, complete where it should be, with its planted problems."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planmon.demo import BREAK, DEMO_SOURCE, LAGGING_PROVINCE, MISSING, generate, load_demo
from planmon.demo.provinces import PROVINCE_SIZES
from planmon.framework import load_framework
from tests.report.conftest import demo_store


def test_same_seed_same_data_other_seed_other_data() -> None:
    a, b = generate(), generate()
    pd.testing.assert_frame_equal(a, b)
    assert not generate(seed=1)["value"].equals(a["value"])


def test_shape_31_provinces_13_indicators_2019_2024_less_the_planted_gaps() -> None:
    data = generate()
    fw = load_framework()
    assert set(data["unit"]) == {u.id for u in fw.provinces()} == set(PROVINCE_SIZES)
    assert len(set(data["unit"])) == 31
    # every main indicator except I00 (the national development index) has a provincial version
    assert set(data["indicator"]) == {i.id for i in fw.main_indicators()} - {"I00"}  # issue 15: the main table only
    assert sorted(set(data["period"])) == [str(y) for y in range(2019, 2025)]
    # hand count: 31 provinces × 13 indicators × 6 years = 2418, minus the 8 planted gaps
    assert len(data) == 31 * 13 * 6 - len(MISSING) == 2410
    assert (data["source"] == DEMO_SOURCE).all()
    assert "CN" not in set(data["unit"])  # national figures stay the real built-in ones


def test_values_are_plausible() -> None:
    data = generate()
    pct = data[data["indicator"].isin(["I02", "I06", "I07", "I09", "I10", "I11", "I13"])]
    assert pct["value"].between(0, 100).all()
    assert (data["value"] >= 0).all()
    y2024 = data[data["period"] == "2024"].pivot(index="unit", columns="indicator", values="value")
    # Guangdong (largest population) has more internet users than Tibet (smallest)
    assert y2024.loc["440000", "I01"] > 10 * y2024.loc["540000", "I01"]
    # provincial internet users add up to roughly the national order of magnitude (10–12 × 100 million)
    assert 9 < y2024["I01"].sum() < 13


def test_planted_missing_values() -> None:
    data = generate()
    keys = set(zip(data["unit"], data["indicator"], data["period"], strict=True))
    for unit, ind, year in MISSING:
        assert (unit, ind, str(year)) not in keys


def test_planted_series_break_jumps_in_its_year() -> None:
    data = generate()
    unit, ind, year, _factor = BREAK
    s = data[(data["indicator"] == ind)].pivot(index="unit", columns="period", values="value")
    growth = s[str(year)] / s[str(year - 1)]
    # the break province's jump is far above every other province's growth that year
    assert growth[unit] > 1.25
    assert growth.drop(unit).max() < growth[unit] - 0.1


def test_planted_lagging_province_grows_slowest_after_2021() -> None:
    data = generate()
    slowest = 0
    for ind in sorted(set(data["indicator"])):
        s = data[data["indicator"] == ind].pivot(index="unit", columns="period", values="value")
        change = (s["2024"] - s["2021"]) / s["2021"].abs().clip(lower=1e-9)
        change = change.dropna()
        if change.idxmin() == LAGGING_PROVINCE:
            slowest += 1
    assert slowest >= 10, slowest  # bottom on (nearly) every indicator


def test_load_twice_is_idempotent(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "p.db")
    again = load_demo(store)
    assert (again.added, again.unchanged, again.revised) == (0, 2410, 0)
    obs = store.current_observations()
    demo = obs[obs["source"] == DEMO_SOURCE]
    assert len(demo) == 2410
    assert np.isclose(demo["value"].sum(), generate()["value"].sum())


def test_demo_and_report_model_on_both_engines(db_url: str) -> None:
    """SQLite and PostgreSQL give the same report model (data hash) for the same demo data."""
    from planmon.report import build_model
    from planmon.store import Store

    store = Store.open(db_url)
    try:
        store.init()
        assert load_demo(store).added == 2410
        m = build_model(store, as_of="2024")
        assert m.illustrative and m.regional.period == "2024" and len(m.regional.matrix) == 31
        # the same current values whatever the engine: compare with the generator's own 2024 figures
        gen = generate()
        expect = gen[(gen["period"] == "2024") & (gen["indicator"] == "I09")].set_index("unit")["value"]
        got = m.regional.matrix["I09"].dropna()
        assert np.allclose(got.sort_index().to_numpy(), expect.sort_index().to_numpy())
    finally:
        store.engine.dispose()
