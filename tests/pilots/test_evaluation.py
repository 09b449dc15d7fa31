"""Evaluation and exit: the exit rule on hand-built cases; a programme's evaluation end to end on
illustrative data (generated, labelled illustrative)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from planmon.pilots import history
from planmon.pilots.evaluation import ProgressRefused, evaluate_programme, write_progress
from planmon.pilots.exit import ended_periods, exit_candidates
from planmon.pilots.illustrative import generate_illustrative


def _st(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"unit": u, "indicator": i, "period": p, "status": s, "progress_share": 0.1,
                          "time_share": 0.5, "latest": 1.0, "target": 10.0} for u, i, p, s in rows])


PILOT = {"id": "X", "state": "active", "start": "2024-07-01", "end": "2026-06-30"}


def test_exit_rule_behind_two_periods_running() -> None:
    # 2 of 3 indicators lagging in 2024 and 1 of 2 in 2025: share ≥ 0.5 both periods → candidate
    st = _st([("X", "a", "2024", "lagging"), ("X", "b", "2024", "lagging"), ("X", "c", "2024", "faster"),
              ("X", "a", "2025", "lagging"), ("X", "b", "2025", "as_expected")])
    c = exit_candidates([PILOT], st, {"X": {"2024", "2025"}}, date(2026, 4, 1))
    assert [x.rule for x in c] == ["behind_targets"]
    assert [e["period"] for e in c[0].evidence] == ["2024", "2025"]
    assert [d["indicator"] for d in c[0].evidence[0]["detail"]] == ["a", "b"]


def test_exit_rule_one_bad_period_is_not_enough_and_recovery_clears() -> None:
    only_last = _st([("X", "a", "2024", "faster"), ("X", "a", "2025", "lagging")])
    assert exit_candidates([PILOT], only_last, {"X": {"2024", "2025"}}, date(2026, 4, 1)) == []
    below_share = _st([("X", "a", "2024", "lagging"), ("X", "b", "2024", "faster"), ("X", "c", "2024", "faster"),
                       ("X", "a", "2025", "lagging"), ("X", "b", "2025", "faster"), ("X", "c", "2025", "faster")])
    assert exit_candidates([PILOT], below_share, {"X": {"2024", "2025"}}, date(2026, 4, 1)) == []  # 1/3 < 0.5
    # an approved (not yet started) pilot is never a candidate
    lag = _st([("X", "a", "2024", "lagging"), ("X", "a", "2025", "lagging")])
    assert exit_candidates([{**PILOT, "state": "approved"}], lag, {}, date(2026, 4, 1)) == []


def test_exit_rule_overdue_reports_counts_ended_periods_after_grace() -> None:
    # start 2024-07: periods 2024 (due 2025-03-31) and 2025 (due 2026-03-31 with 90 days' grace)
    assert ended_periods("2024-07-01", date(2026, 3, 31), 90) == ["2024"]
    assert ended_periods("2024-07-01", date(2026, 4, 1), 90) == ["2024", "2025"]
    empty = _st([])
    assert exit_candidates([PILOT], empty, {"X": {"2024"}}, date(2026, 4, 1)) == []  # one missing < 2
    c = exit_candidates([PILOT], empty, {}, date(2026, 4, 1))
    assert [(x.rule, [e["period"] for e in x.evidence]) for x in c] == [("overdue_reports", ["2024", "2025"])]
    assert c[0].evidence[1]["due"] == "2026-03-31"  # 2025-12-31 + 90 days (31 + 28 + 31)


def test_exit_rule_term_ended_and_parameters_from_the_programme() -> None:
    ended = {**PILOT, "end": "2025-06-30"}
    c = exit_candidates([ended], _st([]), {"X": {"2024", "2025"}}, date(2025, 12, 1))
    assert [x.rule for x in c] == ["term_ended"]  # 2025-06-30 + 90 days < 2025-12-01
    one = _st([("X", "a", "2025", "lagging")])
    assert [x.rule for x in exit_candidates([PILOT], one, {"X": {"2024", "2025"}}, date(2026, 4, 1),
                                            {"behind_periods": 1})] == ["behind_targets"]


@pytest.fixture
def demo(store: Any) -> Any:
    generate_illustrative(store)
    return store


def test_programme_evaluation_end_to_end_on_illustrative_data(demo: Any) -> None:
    ev = evaluate_programme(demo, "SMEDX", as_of=date(2026, 4, 1), n=100)
    assert ev.illustrative and ev.as_of == "2025"
    assert any("示意" in n["zh"] for n in ev.notes) and any("illustrative" in n["en"] for n in ev.notes)
    # own targets: the monitoring engine's progress share (v − b)/(T − b) for one series, by hand
    obs = demo.current_observations("pilots:SMEDX")
    row = ev.assessments[(ev.assessments.unit == "SMEDX-90-330100") & (ev.assessments.indicator == "SME2")].iloc[0]
    v = obs[(obs.unit == "SMEDX-90-330100") & (obs.indicator == "SME2") & (obs.period == "2025")].value.iloc[0]
    assert row.progress_share == pytest.approx((v - row.baseline) / (row.target - row.baseline))
    assert row.time_share == pytest.approx(2 / 3)  # 2023 → 2026, assessed at 2025
    # scores 0–100 within the programme, ranks and rank intervals around them
    s = ev.scores
    assert len(s) == 11  # the pilot that reported only its baseline has nothing to score
    assert s.score.max() == pytest.approx(100) and s.score.min() == pytest.approx(0)
    assert (s.rank_q05 <= s["rank"]).all() and (s["rank"] <= s.rank_q95).all()
    assert s.iloc[0].pilot == "SMEDX-90-330100"  # the fastest pace (1.25) ranks first
    # exit candidates with the rule and the evidence
    rules = {(c.pilot, c.rule) for c in ev.candidates}
    assert {("SMEDX-90-450100", "behind_targets"), ("SMEDX-90-140100", "behind_targets"),
            ("SMEDX-90-620100", "overdue_reports")} <= rules
    assert not any(p == "SMEDX-90-330100" for p, _ in rules)
    lag = next(c for c in ev.candidates if c.pilot == "SMEDX-90-140100")
    assert lag.evidence[-1]["lagging"] == 4 and lag.evidence[-1]["detail"][0]["time_share"] == pytest.approx(2 / 3, abs=1e-3)


def test_exit_decision_is_recorded_with_evidence(demo: Any) -> None:
    from planmon.pilots import transition

    ev = evaluate_programme(demo, "SMEDX", as_of=date(2026, 4, 1), n=50)
    c = next(c for c in ev.candidates if c.pilot == "SMEDX-90-140100")
    rec = transition(demo, c.pilot, "exited", "office", "试点推进不力，取消试点资格", on=date(2026, 4, 20),
                     evidence=c.to_dict())
    assert rec["state"] == "exited"
    last = history(demo, c.pilot)["decisions"][-1]
    assert last["evidence"]["rule"] == "behind_targets" and last["created_by"] == "office"


def test_progress_rows_are_checked_all_or_nothing(demo: Any) -> None:
    before = len(demo.current_observations("pilots:SMEDX"))
    with pytest.raises(ProgressRefused) as exc:
        write_progress(demo, "SMEDX", [{"pilot": "SMEDX-90-330100", "indicator": "SME1", "period": "2026", "value": 5},
                                       {"pilot": "NOPE", "indicator": "SME9", "period": "20x6", "value": "many"}], "x")
    assert len(exc.value.messages_zh) == 4 and "row 2" in exc.value.messages_en[0]
    assert len(demo.current_observations("pilots:SMEDX")) == before
    res = write_progress(demo, "SMEDX", [{"pilot": "SMEDX-90-330100", "indicator": "SME1", "period": "2025",
                                          "value": 1.0}], "x", reason="更正")
    assert res["revised"] == 1
