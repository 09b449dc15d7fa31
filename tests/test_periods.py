"""Periods: parsing, ordering and placement on the year axis (hand-computed)."""

import pytest

from planmon.periods import Period, PeriodError


def test_parse_and_round_trip() -> None:
    for text in ["2024", "2024Q3", "2024-10"]:
        assert str(Period.parse(text)) == text
    assert str(Period.parse("2024q1")) == "2024Q1"


@pytest.mark.parametrize("bad", ["24", "2024-13", "2024Q5", "2024/10", "", "二〇二四"])
def test_bad_periods_name_both_languages(bad: str) -> None:
    with pytest.raises(PeriodError) as exc:
        Period.parse(bad)
    assert "期别" in exc.value.message_zh and "period" in exc.value.message_en


def test_time_axis() -> None:
    # An annual value describes the end of its year; 2024-10 is 2023 + 10/12.
    assert Period.parse("2024").time == 2024.0
    assert Period.parse("2024-10").time == pytest.approx(2023 + 10 / 12)
    assert Period.parse("2024Q2").time == pytest.approx(2023.5)
    assert Period.parse("2024-12").time == Period.parse("2024").time


def test_ordering_and_partial_year() -> None:
    seq = sorted(Period.parse(p) for p in ["2025", "2024-10", "2023", "2024Q1"])
    assert [str(p) for p in seq] == ["2023", "2024Q1", "2024-10", "2025"]
    assert Period.parse("2024-10").is_partial_year
    assert not Period.parse("2024").is_partial_year


def test_fits_frequency() -> None:
    assert Period.parse("2024-10").fits("annual")  # a partial-year reading of an annual indicator
    assert not Period.parse("2024").fits("monthly")
    assert not Period.parse("2024Q1").fits("monthly")
    assert Period.parse("2024-03").fits("monthly")
