"""Denominators in the store: shipped NBS facts, the read API, lookup with lag, all-or-nothing import, revisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from planmon.denominators import DenominatorError, builtin_facts, lookup
from planmon.store import Store


def test_shipped_facts_match_the_nbs_extract(shared: Path) -> None:
    """Every shipped provincial population and GDP figure equals the NBS regional database extract in ../shared."""
    nbs = pd.read_csv(shared / "data/provinces/nbs_basic_2011_2022_long.csv", dtype={"province_code": str})
    facts = builtin_facts()
    for name, needle in (("population", "年末常住人口"), ("gdp", "GDP")):
        ref = nbs[nbs["nbs_series"].str.contains(needle) & nbs["year"].between(2019, 2022)]
        ref = ref.set_index([ref["province_code"], ref["year"].astype(str)])["value"]
        got = facts[(facts["name"] == name) & (facts["unit"] != "CN")].set_index(["unit", "period"])["value"]
        assert len(got) == 31 * 4
        assert np.allclose(got.sort_index().to_numpy(), ref.sort_index().to_numpy())
    ctx = pd.read_csv(shared / "data/provinces/context_2013_2022.csv", dtype={"province_code": str})
    ctx = ctx[ctx["year"].between(2019, 2022)]
    ctx = ctx.set_index([ctx["province_code"], ctx["year"].astype(str)])
    got = facts[facts["name"] == "retail_sales"].set_index(["unit", "period"])["value"].sort_index()
    assert np.allclose(got.to_numpy(), ctx["retail_sales_100m_yuan"].sort_index().to_numpy())
    # every fact names its publisher and document, in zh and en
    assert facts["source"].str.contains("国家统计局").all() and facts["source"].str.contains("NBS").all()


def test_store_reads_denominators_after_init(db_url: str) -> None:
    store = Store.open(db_url)
    store.init()
    beijing = store.denominators("population", unit="110000", period="2020")
    # NBS: Beijing's year-end resident population 2020 was 2,189万 (21.89 million)
    assert beijing["value"].tolist() == [2189.0]
    assert beijing["measure_unit"].tolist() == ["万人"]
    # national 2024: 140,828万 (NBS Statistical Communiqué 2024)
    assert store.denominators("population", unit="CN", period="2024")["value"].tolist() == [140828.0]
    every = store.denominators()
    assert set(every["name"]) == {"population", "gdp", "retail_sales"}
    assert len(every) == 31 * 4 * 3 + 6
    n_events = len(store.audit_events(entity="denominators"))
    store.init()  # a second init writes nothing
    assert len(store.audit_events(entity="denominators")) == n_events
    store.engine.dispose()


def test_lookup_takes_the_same_or_latest_earlier_period_within_the_lag() -> None:
    d = pd.DataFrame({"name": "population", "unit": ["A", "A", "B"], "period": ["2020", "2022", "2019"],
                      "period_time": [2020.0, 2022.0, 2019.0], "value": [10.0, 12.0, 5.0]})
    got = lookup(d, "population", ["A", "A", "A", "B", "B", "C"], [2021.0, 2022.0, 2019.0, 2022.0, 2023.0, 2022.0])
    # A 2021 → 2020's 10 (lag 1); A 2022 → 12; A 2019 → none earlier; B 2022 → 2019's 5 (lag 3 = max);
    # B 2023 → lag 4 > 3: none; C → none
    assert got["value"].tolist()[:2] == [10.0, 12.0]
    assert np.isnan(got["value"].iloc[2]) and got["value"].iloc[3] == 5.0
    assert np.isnan(got["value"].iloc[4]) and np.isnan(got["value"].iloc[5])
    assert got["period"].tolist()[:2] == ["2020", "2022"] and got["lag"].tolist()[:2] == [1.0, 0.0]


def test_import_is_all_or_nothing_and_revises_with_reason(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.init()
    bad = pd.DataFrame({"name": ["population", "people", "population"], "unit": ["110000", "110000", "999999"],
                        "period": ["2023", "2023", "2023"], "value": ["2185.8", "1", "x"]})
    with pytest.raises(DenominatorError) as exc:
        store.write_denominators(bad, "tester", file="d.csv")
    msgs = exc.value.messages_en
    assert any("row 3, column 'name'" in m for m in msgs)
    assert any("row 4, column 'unit'" in m for m in msgs) and any("row 4, column 'value'" in m for m in msgs)
    assert exc.value.messages_zh[0].startswith("d.csv 第 3 行")
    assert store.denominators("population", unit="110000", period="2023").empty  # the good row was not written
    res = store.write_denominators(pd.DataFrame({"name": ["population"], "unit": ["110000"], "period": ["2020"],
                                                 "value": [2190.0], "source": ["revised"]}), "tester",
                                   reason="census revision")
    assert (res.revised, res.added) == (1, 0)
    hist = store.denominator_history("population", "110000").to_dict("records")  # a DataFrame since issue #18
    rows2020 = [h for h in hist if h["period"] == "2020"]
    assert [h["revision"] for h in rows2020] == [1, 2] and rows2020[1]["reason"] == "census revision"
    assert store.denominators("population", unit="110000", period="2020")["value"].tolist() == [2190.0]
    store.engine.dispose()


def test_upgrade_from_the_previous_head_keeps_data(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.migrate("0003_web")
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (name, value, updated_at) VALUES ('k', 'v', CURRENT_TIMESTAMP)"))
    store.init()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM settings WHERE name='k'")).scalar_one() == "v"
        assert conn.execute(text("SELECT count(*) FROM unit_targets")).scalar_one() == 0
    assert len(store.denominators("gdp")) == 124
    store.engine.dispose()
