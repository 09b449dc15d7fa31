"""Plausibility against denominators (issue 11): a unit's value cannot exceed what its size allows.

Expected bounds by hand from the shipped NBS facts (planmon/denominators/nbs_provinces.csv):
national year-end population 2024 = 140 828 万人 → at most 14.0828 亿 internet users;
浙江 2022 = 6 577 万人 → 0.6577 亿 (used for 2024: the latest earlier year within 3 years).
"""

from __future__ import annotations

import pytest

from planmon.collect import export_observations, import_rows
from planmon.store import Store


def _rows(value_cn: float, value_zj: float) -> list[dict[str, object]]:
    return [{"indicator": "I01", "unit": "CN", "period": "2024", "value": value_cn},
            {"indicator": "I01", "unit": "330000", "period": "2024", "value": value_zj}]


def test_99_yi_for_the_nation_and_2_yi_for_a_province_are_refused_with_bound_and_source(any_store: Store) -> None:
    import io

    before = io.BytesIO()
    export_observations(any_store, "csv", before, history=True)
    result = import_rows(any_store, _rows(99, 2), "test")
    assert not result.ok and result.submission_ids == []
    by_row = {f.row: f for f in result.findings}
    assert [f.rule for f in result.findings] == ["implausible", "implausible"]
    cn, zj = by_row[1], by_row[2]
    assert "14.08" in cn.message_zh and "140828万人" in cn.message_zh and "2024 年" in cn.message_zh
    assert "统计公报" in cn.message_zh and "Statistical Communiqué" in cn.message_en
    assert "0.6577" in zj.message_zh and "6577万人" in zj.message_zh and "2022 年" in zj.message_zh
    assert "浙江" in zj.message_zh and "Zhejiang" in zj.message_en and "NBS National Data" in zj.message_en
    after = io.BytesIO()
    export_observations(any_store, "csv", after, history=True)
    assert after.getvalue() == before.getvalue()


@pytest.mark.parametrize(("cn", "zj"), [(11.08, 0.6), (14.08, 0.6577)])  # CNNIC 2024: 11.08 亿; the bounds themselves
def test_values_within_the_population_pass(store: Store, cn: float, zj: float) -> None:
    # the built-in data already hold CN 2024 = 11.08: a different value is a correction and needs a reason
    result = import_rows(store, _rows(cn, zj), "test", reasons={"revises_accepted": "test"})
    assert result.ok, [f.format("en") for f in result.findings]


def test_a_province_beyond_any_denominator_year_falls_back_to_the_level_range(store: Store) -> None:
    """2026 is more than 3 years after 浙江's latest population (2022): the province range [0, 1.5] applies."""
    from datetime import date

    from planmon.collect import Options

    rows = [{"indicator": "I01", "unit": "330000", "period": "2026", "value": 1.6}]
    result = import_rows(store, rows, "test", options=Options(today=date(2027, 3, 1)))
    assert [f.rule for f in result.findings] == ["implausible"]
    assert "[0, 1.5]" in result.findings[0].message_en and "Guangdong" in result.findings[0].message_en
    ok = import_rows(store, [{**rows[0], "value": 0.7}], "test", options=Options(today=date(2027, 3, 1)))
    assert ok.ok
