"""Issue 15: the 14th plan's final evaluation on the built-in national data, checked against
../shared/reference (plan-indicators.csv, plan-actuals.csv, outcomes-2021-2025.csv), never against
hard-coded outcomes: the expected outcome of each indicator is derived here from the reference rows
by the stated rule (the latest value in the plan period against the target, with its quality)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon.cli import app
from planmon.evaluate import evaluate_final, evaluate_midterm
from planmon.periods import Period
from planmon.store import NewObservation, Store
from planmon.supervise import add_progress_report


def _reference(shared: Path) -> tuple[dict[str, dict], dict[str, list[tuple[float, str, float, str]]]]:
    ref = shared / "reference"
    inds = {r["id"]: r for r in csv.DictReader((ref / "plan-indicators.csv").open(encoding="utf-8"))}
    values: dict[str, list[tuple[float, str, float, str]]] = {k: [] for k in inds}
    for r in csv.DictReader((ref / "plan-actuals.csv").open(encoding="utf-8")):
        # I02's rows there are MIIT's share of mobile subscribers: a proxy, not the plan's basis (plan-update-2026.md)
        if r["indicator_id"] in inds and r["indicator_id"] != "I02":
            q = "approx" if r["source"].startswith("APPROX") else "quoted"
            values[r["indicator_id"]].append((Period.parse(r["year"]).time, r["year"], float(r["value"]), q))
    outcomes = list(csv.DictReader((ref / "outcomes-2021-2025.csv").open(encoding="utf-8")))
    for r in outcomes:
        if r["basis"] == "plan" and r["indicator_id"] in inds:
            values[r["indicator_id"]].append((Period.parse(r["period"]).time, r["period"], float(r["value"]),
                                              r["quality"]))
    # I13's baseline is the 2020 value outcomes-2021-2025.csv gives (plan-indicators.csv has none)
    i13 = next(r for r in outcomes if r["indicator_id"] == "I13" and r["period"] == "2020")
    inds["I13"]["baseline"] = i13["value"]
    return inds, values


def _expected(ind: dict, vals: list[tuple[float, str, float, str]]) -> tuple[str, float | None, str | None]:
    """The outcome by the rule: latest value after 2020 up to 2025 (flows: whole years only)."""
    flow = ind["id"] in ("I12",)  # online retail sales is a flow (annual totals)
    usable = sorted(v for v in vals if 2020 < v[0] <= 2025 and (not flow or "-" not in v[1]))
    if not usable:
        return "cannot_judge", None, None
    _t, period, value, quality = usable[-1]
    target = float(ind["target"])
    if value >= target:
        return ("about_reached" if quality == "approx" else "reached"), value, period
    if quality == "lower-bound" or period != "2025":
        return "cannot_judge", value, period
    return "not_reached", value, period


@pytest.fixture
def store(sqlite_url: str) -> Store:
    s = Store.open(sqlite_url)
    s.init()
    yield s
    s.engine.dispose()


def test_final_evaluation_of_the_builtin_national_data(store: Store, shared: Path) -> None:
    inds, values = _reference(shared)
    ev = evaluate_final(store)
    got = ev.indicators.set_index("indicator")
    assert sorted(got.index) == sorted(inds)  # the 14 main indicators, no proxy, no candidate
    for iid, ind in inds.items():
        outcome, value, period = _expected(ind, values[iid])
        row = got.loc[iid]
        assert row["outcome"] == outcome, iid
        if value is None:
            assert row["reason"] == "no_data"  # cannot be judged because nothing after 2020 was found
            continue
        assert row["value"] == pytest.approx(value) and row["period"] == period, iid
        target, base = float(ind["target"]), float(ind["baseline"])
        assert row["pct_of_target"] == pytest.approx(value / target * 100)
        assert row["pct_of_planned_change"] == pytest.approx((value - base) / (target - base) * 100)
    # plan-update-2026.md "Where the plan ended": the indicators without any value after 2020
    assert set(got.index[got["reason"] == "no_data"]) == {"I00", "I05", "I06", "I07", "I10", "I11"}
    # by hand: 网民规模 11.25 / 12 = 93.75 %; 网上零售额 15.9722 / 17 = 93.95 % (both not reached)
    assert got.loc["I01", "pct_of_target"] == pytest.approx(93.75)
    assert got.loc["I12", "pct_of_target"] == pytest.approx(93.954, abs=1e-3)
    # the first year reached: 千兆用户 9175万户 in 2022 ≥ 6000 (plan-actuals.csv); I13 "> 90 %" in 2021
    assert got.loc["I03", "first_reached"] == "2022" and bool(got.loc["I03", "early"])
    assert got.loc["I13", "first_reached"] == "2021"
    # quality shown as the source states it
    assert got.loc["I08", "display_zh"] == "> 50万家"
    assert got.loc["I09", "display_zh"] == "≈ 10%"
    # I02 is judged on the plan's basis (83.9 %), never on MIIT's 65.3 % share of subscribers
    assert got.loc["I02", "value"] == pytest.approx(83.9)
    others = ev.others.set_index("indicator")
    assert others.loc["I02M", "outcome"] == "cannot_judge" and others.loc["I02M", "reason"] == "no_target"
    assert others.loc["ECOM", "role"] == "candidate"  # shown apart, not counted
    assert sum(ev.counts.values()) == 14


def test_midterm_comparison(store: Store) -> None:
    ev = evaluate_final(store)
    r = ev.indicators.set_index("indicator")
    # I01 at the end of 2023: p = (10.92 − 9.89)/(12 − 9.89) = 0.488 < τ(1 − δ) = 0.6 × 0.9 = 0.54 → 滞后
    assert r.loc["I01", "midterm_status"] == "lagging" and r.loc["I01", "midterm_label_zh"] == "滞后"
    assert r.loc["I01", "midterm_value"] == pytest.approx(10.92)
    # I02 had no plan-basis value by 2023: the mid-term could not assess it (the proxy is not used)
    assert r.loc["I02", "midterm_label_zh"] == "无法评估"
    mid = evaluate_midterm(store)
    assert mid.as_of == "2023" and mid.kind == "midterm"
    assert mid.midterm_counts == ev.midterm_counts


def test_completion_of_tasks_projects_actions(store: Store) -> None:
    on = date(2026, 3, 31)
    add_progress_report(store, "T1", "MIIT", "2025", "done", "t", reported_on=on)
    add_progress_report(store, "P01", "MIIT", "2025", "on_schedule", "t", share_done=0.85, reported_on=on)
    add_progress_report(store, "A1", "CAC", "2025", "delayed", "t", share_done=0.6, reported_on=on)
    add_progress_report(store, "A2-M2025", "MIIT", "2025", "done", "t", reported_on=on)  # a milestone counts
    ev = evaluate_final(store, evaluated_on=date(2026, 6, 30))
    items = ev.items.set_index("id")
    assert items.loc["T1", "completion_zh"] == "完成"
    assert items.loc["P01", "completion_zh"] == "基本完成"
    assert items.loc["A1", "completion_zh"] == "未完成"
    assert items.loc["A2", "completion"] == "completed"
    assert items.loc["T2", "completion"] == "cannot_judge"
    # priority actions in the plan's own numbering: （六）绿色智慧 before （七）数字乡村
    actions = ev.items[ev.items["kind"] == "action"]
    assert actions["number"].tolist()[5:7] == ["（六）", "（七）"]
    assert actions["id"].tolist()[5:7] == ["A7", "A6"]
    assert "80%" in ev.rules["completion"][0]  # the rule is stated with the result
    # a report made after the evaluation date does not count
    assert evaluate_final(store, evaluated_on=date(2026, 1, 1)).items.set_index("id").loc["T1", "completion"] \
        == "cannot_judge"


def test_regional_outcomes_and_summary(store: Store) -> None:
    store.write_observations([NewObservation("I09", "330000", "2020", 10.9), NewObservation("I09", "330000", "2025", 13.0),
                              NewObservation("I09", "620000", "2025", 5.0)], actor="t")
    ev = evaluate_final(store)
    reg = ev.regional.set_index(["indicator", "unit"])
    # a rate is compared with the national target (10 %): Zhejiang 13.0 reached, Gansu 5.0 not
    assert reg.loc[("I09", "330000"), "outcome"] == "reached"
    assert reg.loc[("I09", "620000"), "outcome"] == "not_reached"
    text = ev.summary("zh")
    assert f"{ev.counts['reached']}项已实现2025年目标" in text and "网民规模" in text
    d = ev.to_dict("en")
    assert d["summary"]["generated"] is True and "main indicators" in d["summary"]["text"]


def test_cli_evaluate_final(sqlite_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", sqlite_url, "init", "-q"]).exit_code == 0
    r = runner.invoke(app, ["--db", sqlite_url, "evaluate", "final", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["kind"] == "final" and d["as_of"] == "2025"
    assert {x["indicator"] for x in d["indicators"]} >= {"I01", "I13"}
    table = runner.invoke(app, ["--db", sqlite_url, "evaluate", "final"])
    flat = table.output.replace("\n", "")
    assert table.exit_code == 0 and "生成的文字" in flat and "2项未实现" in flat
    bad = runner.invoke(app, ["--db", sqlite_url, "--plan", "nope", "evaluate", "final"])
    assert bad.exit_code == 1 and "nope" in bad.output
