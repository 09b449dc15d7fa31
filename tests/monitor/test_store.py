"""assess_store / risks_store on real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from planmon.monitor import assess_store, risks_store
from planmon.store import NewObservation, Store


def test_builtin_plan_on_store(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        store.init()
        df = assess_store(store).set_index("indicator")
        assert df.loc["I03", "status"] == "achieved"
        assert df.loc["I01", "status"] == "lagging"
        # I12 (a flow, online retail sales): the annual 2025 value 15.9722 (NBS 2025 communiqué, issue 15)
        # is compared with the annual target 17.
        assert df.loc["I12", "latest_period"] == "2025"
        risks = risks_store(store)
        assert ((risks["rule"] == "projected_shortfall") & (risks["indicator"] == "I01")).any()
    finally:
        store.engine.dispose()


def test_unit_baseline_overrides_framework_baseline(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.init()
    # Zhejiang (330000): own 2020 value 0.5 and 2023 value 0.8 (亿人); national baseline 9.89, target 12.
    store.write_observations([
        NewObservation("I01", "330000", "2020", 0.5), NewObservation("I01", "330000", "2023", 0.8),
        NewObservation("I01", "440000", "2023", 1.1),
    ], actor="test")
    df = assess_store(store, unit="330000")
    assert set(df["unit"]) == {"330000"}
    r = df.set_index("indicator").loc["I01"]
    assert r["baseline"] == pytest.approx(0.5)  # the unit's own baseline observation
    # issue 12 changed this: a count is never compared with the national count. Zhejiang is held to the
    # national pace from its own base: 0.5 × 12/9.89 = 0.606673 (was: the national target 12)
    assert r["target"] == pytest.approx(0.5 * 12 / 9.89) and r["target_basis"] == "national_pace"
    assert r["national_target"] == 12.0
    # without an own baseline observation, the unit's first observation is its base (issue 12; it was the national
    # 9.89): Guangdong 2023 = 1.1, target 1.1 × (12/9.89)^(2/5) at the national pace for the two years left
    g = assess_store(store, unit="440000").set_index("indicator").loc["I01"]
    assert g["baseline"] == pytest.approx(1.1) and g["baseline_period"] == "2023"
    assert g["target"] == pytest.approx(1.1 * (12 / 9.89) ** 0.4)
    all_units = assess_store(store)
    assert {"CN", "330000", "440000"} <= set(all_units["unit"])


def test_unit_asked_for_by_name_lists_every_indicator(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.init()
    df = assess_store(store, unit="330000")  # Zhejiang has no observation in the built-in data
    assert len(df) == 14 and set(df["unit"]) == {"330000"}
    # every row says why it has no status (I13 has no baseline either)
    assert all({"no_observation", "no_baseline_no_data"} & set(c) for c in df["note_codes"])
    assert df["status"].isna().all()
    assert assess_store(store, unit="999999").empty  # not a unit of the framework
