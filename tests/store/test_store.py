"""The store on SQLite and PostgreSQL: init, idempotence, migration, revisions."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import MetaData, select, text
from typer.testing import CliRunner

from planmon.cli import app
from planmon.store import NewObservation, Store
from planmon.store.tables import observations


def snapshot(store: Store) -> dict[str, list]:
    """Every row of every table, for byte-for-byte comparisons."""
    md = MetaData()
    md.reflect(store.engine)
    out = {}
    with store.engine.connect() as conn:
        for name, table in sorted(md.tables.items()):
            rows = conn.execute(select(table)).all()
            out[name] = sorted(json.dumps([str(v) for v in r], ensure_ascii=False) for r in rows)
    return out


def test_init_loads_plan_and_is_idempotent(db_url: str) -> None:
    store = Store.open(db_url)
    first = store.init()
    assert first.migrated and first.sync.changed
    # issue 15: 26 rows of plan-actuals.csv (without the NDA index) + 16 of outcomes-2021-2025.csv,
    # 2 of which (I04 2025-06, I09 2024) are the same value in both files
    assert first.sync.observations_added == 26 + 16 - 2
    before = snapshot(store)
    second = store.init()
    assert not second.migrated and not second.sync.changed
    assert snapshot(store) == before  # same content, not even a timestamp changed
    cur = store.current_observations()
    assert len(cur) == 40
    i01 = cur[cur.indicator == "I01"]
    assert list(i01.period) == ["2020", "2021", "2022", "2023", "2024", "2025-06", "2025"]
    store.engine.dispose()


def test_old_schema_is_upgraded_by_migration(db_url: str) -> None:
    store = Store.open(db_url)
    store.migrate("0001")
    assert store.revision() == "0001"
    # data written under the old schema survives the upgrade
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (username, password_hash, role, scopes, display_name, active, created_at) "
                          "VALUES ('old', 'x', 'viewer', '[]', '', true, CURRENT_TIMESTAMP)"))
        assert "submissions" not in _tables(conn)
    store.init()
    from planmon.store.db import head_revision

    assert store.revision() == head_revision()  # every later migration (0002, 0003_…) applied
    with store.engine.connect() as conn:
        assert {"submissions", "progress_reports", "api_tokens"} <= _tables(conn)
        assert conn.execute(text("SELECT username FROM users")).scalar_one() == "old"
    store.engine.dispose()


def _tables(conn) -> set[str]:  # type: ignore[no-untyped-def]
    md = MetaData()
    md.reflect(conn)
    return set(md.tables)


def test_correction_is_a_new_revision_and_history_keeps_both(db_url: str) -> None:
    store = Store.open(db_url)
    store.init()  # I05 has no built-in value (issue 15 added I08 2024)
    r = store.write_observations([NewObservation("I05", "CN", "2023", 46.5, source="MOST")], actor="alice")
    assert (r.added, r.revised) == (1, 0)
    again = store.write_observations([NewObservation("I05", "CN", "2023", 46.5, source="MOST")], actor="alice")
    assert (again.added, again.revised, again.unchanged) == (0, 0, 1)  # the same value adds nothing
    fix = store.write_observations([NewObservation("I05", "CN", "2023", 46.2)], actor="bob", reason="corrected count")
    assert fix.revised == 1
    hist = store.history("I05", "CN")  # a DataFrame, one row per revision (issue #18)
    assert isinstance(hist, pd.DataFrame) and list(hist.columns[:4]) == ["id", "framework_id", "indicator_id", "unit_id"]
    assert list(hist[["revision", "value", "created_by"]].itertuples(index=False, name=None)) == [
        (1, 46.5, "alice"), (2, 46.2, "bob")]
    assert hist["reason"].iloc[1] == "corrected count" and hist["submission_id"].isna().all()
    assert str(hist["submission_id"].dtype) == "Int64"
    empty = store.history("I05", "110000")
    assert empty.empty and list(empty.columns) == list(hist.columns)
    cur = store.current_observations(indicator="I05")
    assert cur.value.tolist() == [46.2] and cur.revision.tolist() == [2]
    events = store.audit_events(entity="observations")
    assert any(e["actor"] == "bob" and e["detail"] == "corrected count" for e in events)
    store.engine.dispose()


def test_pending_rows_are_not_current(db_url: str) -> None:
    store = Store.open(db_url)
    store.init()
    store.write_observations([NewObservation("I05", "CN", "2022", 40.0)], actor="unit", state="pending")
    assert store.current_observations(indicator="I05").empty
    with store.engine.connect() as conn:
        assert conn.execute(select(observations.c.state).where(observations.c.indicator_id == "I05")).scalar_one() == "pending"
    store.engine.dispose()


def test_cli_init_twice(db_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["--db", db_url, "--lang", "en", "init"])
    assert first.exit_code == 0, first.output
    assert "framework cn-informatization-14fyp loaded, 40 observations added" in first.output
    second = runner.invoke(app, ["--db", db_url, "--lang", "en", "init"])
    assert second.exit_code == 0
    assert "unchanged" in second.output and "up to date" in second.output


@pytest.mark.parametrize("bad", ["I99"])
def test_store_framework_round_trip(sqlite_url: str, bad: str) -> None:
    store = Store.open(sqlite_url)
    store.init()
    fw = store.framework()
    assert len(fw.indicators) == 16  # 14 main + the I02M proxy + the ECOM candidate (issue 15)
    assert len(fw.main_indicators()) == 14
    with pytest.raises(KeyError):
        fw.indicator(bad)


def test_resync_keeps_milestones_the_office_added_or_filled(sqlite_url: str) -> None:
    from planmon.framework import load_framework
    from planmon.framework.loader import framework_hash
    from planmon.store.tables import milestones

    store = Store.open(sqlite_url)
    fw = load_framework()
    store.init(fw)
    fid = fw.plan.id
    with store.engine.begin() as conn:
        conn.execute(milestones.update().where(milestones.c.id == "A1-M2023")
                     .values(text_zh="2023年底前建成一批数字素养培训基地", text_en="", to_be_filled=False))
        conn.execute(milestones.insert().values(framework_id=fid, id="A1-U01", item_id="A1", due="2024-06-30",
                                                kind="milestone", text_zh="办公室补充", text_en="", to_be_filled=False))
    changed = fw.model_copy(deep=True)
    changed.plan.version = "2022.01-r2"
    a2 = changed.item("A2")
    a2.milestones[0].text_zh = "新的阶段目标"
    changed.content_hash = framework_hash(changed)
    assert store.init(changed).sync.changed
    with store.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(milestones))}
    assert rows["A1-M2023"].text_zh == "2023年底前建成一批数字素养培训基地"  # filled by the office: kept
    assert rows["A1-U01"].text_zh == "办公室补充"  # added by an import: kept
    assert rows["A2-M2023"].text_zh == "新的阶段目标"  # declared and not filled: follows the framework
    assert len(rows) == 21
    store.engine.dispose()
