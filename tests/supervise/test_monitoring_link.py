"""Items whose linked indicators lag or are at risk: from monitoring when it is installed; when it is
absent the entry type is simply not produced and a note says so."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planmon.store import Store
from planmon.supervise import import_duties, scorecard, supervision_list
from planmon.supervise.supervision import KINDS, MONITOR_ABSENT, indicator_entries, load_context

AS_OF = date(2024, 1, 1)



def test_without_monitoring_no_indicator_entries_and_a_note(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "planmon.monitor", None)  # `import planmon.monitor` now raises ImportError
    sl = supervision_list(store, AS_OF)
    assert not set(sl.kind) & {"indicator_lagging", "indicator_at_risk"}
    assert sl.attrs["notes"] == [{"zh": MONITOR_ABSENT.zh, "en": MONITOR_ABSENT.en}]
    sc = scorecard(store, AS_OF)
    assert sc.indicator_status.isna().all() and sc.attrs["notes"] == sl.attrs["notes"]


def test_lagging_and_at_risk_indicators_become_entries(store: Store, tmp_path: Path) -> None:
    # Zhejiang co-leads T5 with MIIT: a region is looked at where it is assessed, a department at the nation
    table = tmp_path / "t.csv"
    table.write_text("规划事项,牵头单位,参与单位,阶段目标,完成时限,成果形式\nT5,工业和信息化部、浙江省,,,,\n", encoding="utf-8")
    assert import_duties(store, table, actor="office").ok
    assessed = pd.DataFrame([
        # indicator, unit, status (ndrc), projected share — an assessment table as monitoring gives it
        ("I02", "CN", "lagging", 0.7, "2024"),  # linked to T1 and P01, both led by MIIT -> 2 lagging entries
        ("I05", "CN", "as_expected", 0.8, "2023"),  # linked to T3 (MOST), P08 (CNIPA): projected short -> at risk
        ("I03", "CN", "achieved", 1.5, "2023"),  # met: nothing
        ("I06", "CN", "faster", 1.2, "2023"),  # on track: nothing
        ("I09", "330000", "lagging", 0.5, "2023"),  # linked to T4 (MIIT) and T5: Zhejiang's own value lags
        ("I09", "CN", "as_expected", 1.0, "2023"),  # nationally on track: MIIT owes nothing for I09
    ], columns=["indicator", "unit", "status", "projected_share", "latest_period"])
    with store.engine.connect() as conn:
        ctx = load_context(conn, "cn-informatization-14fyp", AS_OF)
    got = indicator_entries(ctx, store.framework().indicators, assessed)
    assert sorted((e["kind"], e["item"], e["unit"], e["reference"], e["severity"]) for e in got) == sorted([
        ("indicator_lagging", "T1", "MIIT", "I02", "medium"),
        ("indicator_lagging", "P01", "MIIT", "I02", "medium"),
        ("indicator_at_risk", "T3", "MOST", "I05", "low"),
        ("indicator_at_risk", "P08", "CNIPA", "I05", "low"),
        ("indicator_lagging", "T5", "330000", "I09", "medium"),
    ])
    t1 = next(e for e in got if e["item"] == "T1")
    assert t1["since"] == "2024-12-31" and "I02" in t1["owed_zh"] and "lagging" in t1["owed_en"]
    at_risk = next(e for e in got if e["item"] == "T3")
    assert "80%" in at_risk["owed_zh"] and "80%" in at_risk["owed_en"]


def test_with_monitoring_installed_indicator_entries_come_from_it(store: Store) -> None:
    pytest.importorskip("planmon.monitor")
    sl = supervision_list(store, date(2025, 7, 1))
    assert sl.attrs["notes"] == []
    assert set(sl.kind) <= set(KINDS)
    inds = {x.id for x in store.framework().indicators}
    assert set(sl.loc[sl.kind.str.startswith("indicator"), "reference"]) <= inds
