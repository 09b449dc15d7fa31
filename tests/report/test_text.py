"""Generated sentences: every number comes from the data, in zh and en."""

from __future__ import annotations

import dataclasses

from planmon.report import ReportModel
from planmon.report.text import fmt, indicator_sentence, regional_sentence, summary


def test_fmt() -> None:
    assert fmt(11.08) == "11.08"
    assert fmt(12.0) == "12"
    assert fmt(0.004) == "0"
    assert fmt(-0.001) == "0"
    assert fmt(None) == "—"
    assert fmt(float("nan")) == "—"
    assert fmt(6000.0) == "6000"
    assert fmt(20.0, 0) == "20" and fmt(100.4, 0) == "100"  # no zeros stripped from an integer


def test_summary_counts_come_from_the_data(model: ReportModel) -> None:
    text = summary(model)[0]
    if model.status_counts is None:
        # hand count from the built-in observations: I01, I02, I03, I04, I09, I12, I13 have a national value ≤ 2024
        assert text == "截至2024年，14项主要指标中7项有全国实际值。"
    else:
        assert text.startswith("截至2024年，14项主要指标中，")


def test_summary_with_status_counts_reads_like_the_plan_office_writes_it(model: ReportModel) -> None:
    labels = {"achieved": "提前实现", "faster": "快于预期", "as_expected": "符合预期", "lagging": "滞后"}
    statused = dataclasses.replace(model, status_counts={"achieved": 3, "faster": 2, "as_expected": 1, "lagging": 4},
                                   status_labels=labels, risks=None, supervision=None)
    # 14 indicators, 3 + 2 + 1 + 4 = 10 assessed, so 4 cannot be assessed
    assert summary(statused)[0] == "截至2024年，14项主要指标中，3项提前实现、2项快于预期、1项符合预期、4项滞后、4项暂无法评估。"
    en = dataclasses.replace(statused, lang="en", status_labels={k: k.replace("_", " ") for k in labels})
    assert summary(en)[0] == ("As of 2024, of the 14 main indicators: 3 achieved, 2 faster, 1 as expected, "
                              "4 lagging, 4 not assessed.")


def test_indicator_sentence_uses_the_builtin_values(model: ReportModel) -> None:
    i01 = next(b for b in model.indicators if b.id == "I01")
    # CNNIC 55th report: 11.08 亿 internet users in 2024; the plan: 9.89 in 2020, 12 by 2025
    s = indicator_sentence(i01, "zh")
    assert s.startswith("网民规模2024年为11.08亿人，基期2020年为9.89亿人，规划目标2025年达到12亿人。")
    assert "was 11.08 100 million persons in 2024" in indicator_sentence(i01, "en")
    i02 = next(b for b in model.indicators if b.id == "I02")
    # issue 15: I02 is on the plan's basis (5G users ÷ population); MIIT's share of mobile users is the separate
    # series I02M, so I02 has no national value by 2024 and no proxy wording
    s02 = indicator_sentence(i02, "zh")
    assert "替代口径" not in s02 and "暂无全国实际值" in s02


def test_regional_sentence_names_the_extremes_of_the_data(model: ReportModel) -> None:
    reg = model.regional
    s = regional_sentence(model)
    if reg.index is None:
        layer = reg.default_layer
        assert layer is not None
        best = max(layer.values.items(), key=lambda kv: kv[1])
        worst = min(layer.values.items(), key=lambda kv: kv[1])
        assert f"{reg.names[best[0]]}（{fmt(best[1])}）" in s
        assert s.endswith(f"{reg.names[worst[0]]}（{fmt(worst[1])}）。")
        # the planted lagging province (黑龙江) is among the bottom three on the 5G rate
        assert "黑龙江" in s.split("居后三位")[1]
    else:
        assert reg.index.table["name"].iloc[0] in s


def test_period_labels() -> None:
    from planmon.report.text import period_label

    assert period_label("2024", "zh") == "2024年"
    assert period_label("2024-10", "zh") == "2024年10月"
    assert period_label("2024Q3", "zh") == "2024年第3季度"
    assert period_label("2024-10", "en") == "2024-10"


def test_period_end() -> None:
    from datetime import date

    from planmon.report.model import period_end

    assert period_end("2024") == date(2024, 12, 31)
    assert period_end("2024Q3") == date(2024, 9, 30)
    assert period_end("2024-02") == date(2024, 2, 29)  # leap year
    assert period_end("2025-06") == date(2025, 6, 30)
