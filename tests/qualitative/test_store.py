"""The office's entries in the store (issue 19): entry → revision → history, with the audit log; the
migration 0008_qual19 on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, inspect, select

from planmon.framework import BUILTIN_DEFAULT
from planmon.monitor.qualitative import QualitativeRefused, current_statuses, enter_status, status_history
from planmon.store import Store
from planmon.store.db import head_revision
from planmon.store.tables import qualitative_statuses
from tests.qualitative.conftest import QUAL, qual_store

EVIDENCE_1 = "2021年GDP增长8.1%，2022年增长3.0%，两年平均增长5.5%（国家统计局统计公报）"
EVIDENCE_2 = "2023年GDP增长5.2%，2021—2023年平均增长5.4%，处于合理区间"


def test_migration_0008_upgrades_a_0007_database(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        store.migrate("0007_final15")
        with store.engine.connect() as conn:
            assert "qualitative_statuses" not in inspect(conn).get_table_names()
        assert store.migrate() is True
        assert store.revision() == head_revision() and "qual19" in str(store.revision())
        with store.engine.connect() as conn:
            md = MetaData()
            md.reflect(conn, only=["qualitative_statuses"])
            cols = set(md.tables["qualitative_statuses"].c.keys())
            assert cols == set(qualitative_statuses.c.keys())
            idx = {i["name"] for i in inspect(conn).get_indexes("qualitative_statuses")}
            assert "ix_qualitative_statuses_series" in idx
        # and down again: the previous head, without the table
        from alembic import command

        from planmon.store.db import _alembic_config

        cfg = _alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007_final15")
        with store.engine.connect() as conn:
            assert "qualitative_statuses" not in inspect(conn).get_table_names()
    finally:
        store.engine.dispose()


def test_entry_revision_history_and_audit(db_url: str) -> None:
    store = qual_store(db_url)
    try:
        first = enter_status(store, QUAL, "2022", "基本符合预期", EVIDENCE_1, actor="web:office",
                             source="国家统计局《2022年国民经济和社会发展统计公报》")
        assert (first["outcome"], first["revision"], first["status"]) == ("added", 1, "as_expected")
        # the same entry again adds nothing (no row, no audit event)
        events = len(store.audit_events(entity="qualitative_statuses"))
        again = enter_status(store, QUAL, "2022", "as_expected", EVIDENCE_1, actor="web:office",
                             source="国家统计局《2022年国民经济和社会发展统计公报》")
        assert again["outcome"] == "unchanged" and again["revision"] == 1
        assert len(store.audit_events(entity="qualitative_statuses")) == events
        # a revision without its reason is refused, in both languages
        with pytest.raises(QualitativeRefused) as exc:
            enter_status(store, QUAL, "2022", "滞后", "2022年增长3.0%，低于预期目标5.5%左右", actor="web:office")
        assert exc.value.code == "reason_missing"
        assert "修订须写明原因" in exc.value.text("zh") and "needs its reason" in exc.value.text("en")
        rev = enter_status(store, QUAL, "2022", "滞后", "2022年增长3.0%，低于年度预期目标5.5%左右",
                           actor="web:lead", reason="按年度预期目标复核", evidence_en="3.0 % in 2022, below the 5.5 % aim")
        assert (rev["outcome"], rev["revision"], rev["status"]) == ("revised", 2, "lagging")
        assert rev["previous"]["status"] == "as_expected"
        enter_status(store, QUAL, "2023", "基本符合预期", EVIDENCE_2, actor="web:office")

        cur = current_statuses(store)
        assert cur[["period", "status", "revision"]].values.tolist() == [["2022", "lagging", 2],
                                                                          ["2023", "as_expected", 1]]
        assert cur["status_zh"].tolist() == ["滞后", "基本符合预期"]
        hist = status_history(store, indicator=QUAL)
        # the superseded revision is kept, with who entered it and the reason of the one that replaced it
        assert hist[["period", "revision", "status", "current", "entered_by"]].values.tolist() == [
            ["2022", 1, "as_expected", False, "web:office"], ["2022", 2, "lagging", True, "web:lead"],
            ["2023", 1, "as_expected", True, "web:office"]]
        assert hist.loc[1, "reason"] == "按年度预期目标复核" and hist.loc[0, "evidence_zh"] == EVIDENCE_1
        with store.engine.connect() as conn:
            assert len(conn.execute(select(qualitative_statuses)).all()) == 3  # append-only: nothing overwritten

        events = sorted(store.audit_events(entity="qualitative_statuses"), key=lambda e: e["id"])
        assert [e["action"] for e in events] == ["qualitative.enter", "qualitative.revise", "qualitative.enter"]
        assert events[0]["entity_id"] == f"{BUILTIN_DEFAULT}/{QUAL}/CN/2022/ndrc"
        assert events[1]["before"]["status"] == "as_expected" and events[1]["after"]["status"] == "lagging"
        assert events[1]["actor"] == "web:lead" and events[1]["detail"] == "按年度预期目标复核"
    finally:
        store.engine.dispose()
