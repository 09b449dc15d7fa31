"""Targets per unit and the basis of every comparison (issue 12): hand-computed cases on the built-in plan."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from planmon.demo import load_demo
from planmon.framework import FrameworkInvalid, load_framework
from planmon.framework.loader import builtin_dir
from planmon.monitor import assess_store, risks_store
from planmon.monitor.basis import derivation
from planmon.store import NewObservation, Store
from planmon.targets import write_target_frame


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('basis') / 'demo.db'}")
    store.init()
    load_demo(store)
    return store


def test_no_province_row_of_an_extensive_indicator_uses_a_national_extensive_target(demo: Store) -> None:
    """Before issue 12 Beijing's internet users (0.2 亿) were 'projected to miss 12 亿': never again."""
    fw = demo.framework()
    a = assess_store(demo)
    extensive = a["indicator"].map({i.id: i.extensive for i in fw.indicators}).astype(bool)
    regional = a["unit"] != "CN"
    rows = a[extensive & regional]
    assert len(rows) > 100  # I01, I03, I04, I08, I12 for 31 provinces
    assert not (rows["target_basis"] == "national_target").any()
    national = a[a["unit"] == "CN"].set_index("indicator")["target"]
    same = rows["target"].to_numpy() == rows["indicator"].map(national).to_numpy()
    assert not same.any(), rows[same][["indicator", "unit", "target"]]
    # every row carries a basis, and every basis appears in the demo
    assert a["target_basis"].notna().all()
    assert set(a["target_basis"]) == {"own_plan", "decomposed", "national_pace", "national_target", "none"}
    # the risk list is a handful of high flags, each on a target the unit owns or on a real regression
    risks = risks_store(demo)
    high = risks[risks["severity"] == "high"]
    assert 0 < len(high) <= 10
    for _, r in high.iterrows():
        basis = a[(a["indicator"] == r["indicator"]) & (a["unit"] == r["unit"])]["target_basis"].iloc[0]
        assert r["rule"] == "moving_away" or basis in ("own_plan", "decomposed"), r["message_en"]


def _write(store: Store, rows: list[tuple[str, str, str, float]]) -> None:
    store.write_observations([NewObservation(i, u, p, v) for i, u, p, v in rows], "test")


def test_hand_computed_bases(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'h.db'}")
    store.init()
    _write(store, [
        ("I09", "330000", "2020", 10.0), ("I09", "330000", "2023", 12.0),      # own target 15
        ("I01", "110000", "2020", 0.20), ("I01", "110000", "2023", 0.22),      # national pace, base 2020
        ("I01", "120000", "2021", 0.10), ("I01", "120000", "2023", 0.11),      # national pace, first value 2021
        ("I02", "110000", "2020", 20.0), ("I02", "110000", "2023", 50.0),      # a rate: national target
        ("I08", "540000", "2020", 0.03), ("I08", "540000", "2023", 0.02),      # declared none
    ])
    write_target_frame(store, pd.DataFrame([
        {"indicator": "I09", "unit": "330000", "period": "2025", "kind": "own_plan", "value": "15",
         "source": "浙江省数字经济发展“十四五”规划（测试）"},
        {"indicator": "I08", "unit": "540000", "period": "2025", "kind": "none"},
    ]), "test", reason="test targets")
    a = assess_store(store).set_index(["indicator", "unit"])

    zj = a.loc[("I09", "330000")]
    # own plan: target 15 (its own); progress (12 − 10)/(15 − 10) = 0.4; time (2023 − 2020)/(2025 − 2020) = 0.6
    assert zj["target_basis"] == "own_plan" and zj["target"] == 15.0
    assert zj["progress_share"] == pytest.approx(0.4) and zj["time_share"] == pytest.approx(0.6)
    assert zj["target_basis_zh"] == "本级规划目标" and "浙江" in zj["target_source"]
    assert derivation(a.loc[("I01", "110000")].to_dict() | {"unit": "110000"}) == "2020: 0.2 × (12/9.89)"
    assert derivation(a.loc[("I01", "120000")].to_dict(), "2020") == "2021: 0.1 × (12/9.89)^0.8"

    bj = a.loc[("I01", "110000")]
    # national pace, by the required CAGR from the unit's own base: 0.20 × (12/9.89)^((2025−2020)/(2025−2020))
    # = 0.20 × 1.2133468 = 0.2426694 (the same as own baseline × national target / national baseline, since the
    # base periods agree); progress (0.22 − 0.20)/(0.2426694 − 0.20) = 0.46874
    assert bj["target_basis"] == "national_pace"
    assert bj["target"] == pytest.approx(0.20 * 12 / 9.89, rel=1e-12) == pytest.approx(0.2426694, rel=1e-6)
    assert bj["progress_share"] == pytest.approx(0.02 / (0.20 * 12 / 9.89 - 0.20), rel=1e-9)
    assert bj["national_target"] == 12.0 and bj["target_basis_zh"] == "按全国目标增速推算"

    tj = a.loc[("I01", "120000")]
    # no value in 2020: the first value (2021: 0.10) grows at the national CAGR for the 4 years left:
    # 0.10 × 1.2133468^(4/5) = 0.10 × exp(0.8 × ln 1.2133468) = 0.10 × exp(0.154706) = 0.1167315.
    # (The ratio form 0.10 × 12/9.89 would give this unit 5 years of national growth in 4: the CAGR form is fair.)
    assert tj["target_basis"] == "national_pace" and tj["baseline_period"] == "2021"
    assert tj["target"] == pytest.approx(0.1167315, rel=1e-6)

    rate = a.loc[("I02", "110000")]
    # a rate benchmarked on the national target 56 %: progress (50 − 20)/(56 − 20) = 0.8333
    assert rate["target_basis"] == "national_target" and rate["target"] == 56.0
    assert rate["progress_share"] == pytest.approx(30 / 36)

    xz = a.loc[("I08", "540000")]
    # basis none: trend only, no target, no status, and no target-based risk flag
    assert xz["target_basis"] == "none" and math.isnan(xz["target"]) and xz["status"] is None
    risks = risks_store(store)
    mine = risks[(risks["indicator"] == "I08") & (risks["unit"] == "540000")]
    assert not mine["rule"].isin(["projected_shortfall", "lagging_time"]).any()
    # a benchmark shortfall is never high: Beijing's I01 flag (if any) speaks of a derived target
    bj_flags = risks[(risks["indicator"] == "I01") & (risks["unit"] == "110000")]
    assert not (bj_flags["severity"] == "high").any()
    assert all("national pace" in m for m in bj_flags[bj_flags["rule"] == "projected_shortfall"]["message_en"])
    store.engine.dispose()


def test_loader_refuses_national_target_on_an_extensive_indicator(tmp_path: Path) -> None:
    folder = tmp_path / "fw"
    shutil.copytree(builtin_dir(), folder)
    path = folder / "indicators.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    i01 = next(i for i in doc["indicators"] if i["id"] == "I01")
    i01["basis"] = {"method": "national_target"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(folder)
    issues = [i for i in exc.value.issues if i.code == "national_target_extensive"]
    assert len(issues) == 1 and issues[0].file == "indicators.yaml" and "basis.method" in issues[0].path


def test_builtin_plan_declares_a_basis_with_a_reason_for_every_indicator() -> None:
    fw = load_framework()
    for ind in fw.indicators:
        assert ind.basis is not None and ind.basis.reason_zh and ind.basis.reason_en, ind.id
        assert not (ind.extensive and ind.basis.method == "national_target")
        if ind.extensive:
            assert ind.intensive is not None and ind.intensive.denominator == "population", ind.id
    assert np.all([i.intensive is None for i in fw.indicators if not i.extensive])
