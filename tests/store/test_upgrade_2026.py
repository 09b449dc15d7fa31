"""Issue 15: a database made with the 2021.12-r1 built-in plan upgraded to 2026.1 keeps everything.

The old database is made the way today's code made it: the 2021.12-r1 framework (a copy kept in
tests/framework/versions/) synced, provincial values imported and corrected, then the schema taken
back to the revision before this issue's migration (0007_final15). The upgrade must keep every observation row,
every revision and every audit event, show both framework versions, and file the MIIT proxy
values of I02 under I02M without mixing them into I02's line.
"""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from typer.testing import CliRunner

import planmon
from planmon.cli import app
from planmon.store import NewObservation, Store
from planmon.store.db import _alembic_config
from planmon.store.sync import sync_framework
from planmon.store.tables import audit_events, observations

OLD = Path(__file__).resolve().parents[1] / "framework" / "versions" / "cn-informatization-14fyp-2021.12-r1"


def _old_database(url: str) -> Store:
    store = Store.open(url)
    store.migrate("head")
    with store.engine.begin() as conn:
        sync_framework(conn, planmon.load_framework(OLD), "system:init")
    store.write_observations([NewObservation("I01", "330000", "2023", 0.56, source="浙江省统计局")], actor="zj")
    store.write_observations([NewObservation("I01", "330000", "2023", 0.57)], actor="zj", reason="corrected")
    store.write_observations([NewObservation("I02", "330000", "2023", 70.1, proxy=True)], actor="zj")
    cfg = _alembic_config()
    before = ScriptDirectory.from_config(cfg).get_revision("0007_final15").down_revision
    with store.engine.begin() as conn:  # back to the schema today's code made
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(before))
    assert store.revision() == before
    return store


def _rows(store: Store) -> list[tuple]:
    o = observations
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(o.c.id, o.c.unit_id, o.c.period, o.c.revision, o.c.value, o.c.created_by, o.c.reason)
            .order_by(o.c.id))]


def test_upgrade_keeps_every_observation_revision_and_audit_event(db_url: str) -> None:
    store = _old_database(db_url)
    try:
        rows_before = _rows(store)
        with store.engine.connect() as conn:
            events_before = [tuple(r) for r in conn.execute(
                select(audit_events.c.id, audit_events.c.action).order_by(audit_events.c.id))]
            i02_proxy_ids = sorted(r[0] for r in conn.execute(select(observations.c.id).where(
                observations.c.indicator_id == "I02", observations.c.proxy.is_(True))))
        assert len(i02_proxy_ids) == 5 + 1  # 5 built-in MIIT values + Zhejiang's proxy value

        result = store.init()  # upgrade the schema and sync the 2026.1 built-in plan
        assert result.migrated and result.sync.changed

        rows_after = _rows(store)
        # every row is still there, unchanged apart from the indicator it is filed under
        assert rows_after[: len(rows_before)] == rows_before
        with store.engine.connect() as conn:
            events_after = [tuple(r) for r in conn.execute(
                select(audit_events.c.id, audit_events.c.action).order_by(audit_events.c.id))]
            moved = sorted(r[0] for r in conn.execute(select(observations.c.id).where(
                observations.c.indicator_id == "I02M")))
            n_i02_proxy = conn.execute(select(func.count()).select_from(observations).where(
                observations.c.indicator_id == "I02", observations.c.proxy.is_(True))).scalar_one()
        assert events_after[: len(events_before)] == events_before
        assert any(a == "observation.move" for _, a in events_after[len(events_before):])
        # the proxy is its own series now (plus one new revision: the 2021 value is marked derived in 2026.1)
        assert moved[: len(i02_proxy_ids)] == i02_proxy_ids and len(moved) == len(i02_proxy_ids) + 1
        assert n_i02_proxy == 0
        # Zhejiang's correction history survives with its actors and reasons
        hist = store.history("I01", "330000").to_dict("records")
        assert [(h["revision"], h["value"], h["created_by"], h["reason"]) for h in hist] == [
            (1, 0.56, "zj", ""), (2, 0.57, "zj", "corrected")]
        # the plan basis: I02's current national line is the CAC's 83.9 % (2025) alone
        cur = store.current_observations(indicator="I02", unit="CN")
        assert cur[["period", "value"]].values.tolist() == [["2025", 83.9]]
        assert store.current_observations(indicator="I02M", unit="CN")["value"].tolist() == [21.6, 33.3, 46.6, 56.7, 65.3]
        # both versions' history
        versions = store.framework_versions()
        assert [v["version"] for v in versions] == ["2021.12-r1", "2026.1"]
        assert versions[0]["synced_by"] == "migration:0007_final15"
        assert versions[1]["changelog"][-1]["version"] == "2026.1"
    finally:
        store.engine.dispose()


def test_framework_diff_lists_the_changes(sqlite_url: str) -> None:
    store = _old_database(sqlite_url)
    store.init()
    store.engine.dispose()
    runner = CliRunner()
    for old, new in ((str(OLD), "cn-informatization-14fyp"),
                     ("cn-informatization-14fyp@2021.12-r1", "cn-informatization-14fyp@2026.1")):
        r = runner.invoke(app, ["--db", sqlite_url, "framework", "diff", old, new, "--format", "json"])
        assert r.exit_code == 0, r.output
        d = json.loads(r.stdout)
        assert (d["old_version"], d["new_version"]) == ("2021.12-r1", "2026.1")
        got = {(c["section"], c["key"], c["change"], c["field"]) for c in d["changes"]}
        assert ("indicators", "I02M", "added", "") in got
        assert ("indicators", "ECOM", "added", "") in got
        assert ("indicators", "I13", "changed", "baseline") in got
        assert ("indicators", "I13", "changed", "name_zh") in got
        assert ("items", "A7", "changed", "number") in got
        assert ("observations", "I02/CN/2021", "removed", "") in got
        assert ("observations", "I02M/CN/2021", "added", "") in got
        assert ("observations", "I01/CN/2025", "added", "") in got
        assert [v["version"] for v in d["changelog"]] == ["2026.1"]
        assert all(c["source"] for c in d["changelog"][0]["changes"])  # every change names its source
    text = runner.invoke(app, ["--db", sqlite_url, "--lang", "en", "framework", "diff", str(OLD),
                               "cn-informatization-14fyp"])
    assert text.exit_code == 0 and "2021.12-r1 → 2026.1" in text.output and "why:" in text.output
    bad = runner.invoke(app, ["--db", sqlite_url, "framework", "diff", "cn-informatization-14fyp@1999",
                              "cn-informatization-14fyp"])
    assert bad.exit_code == 1 and "1999" in bad.output
