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


@pytest.mark.parametrize(("text", "start", "end"), [
    # calendar facts: 2024 is a leap year (Feb 29), Q1 ends 31 March, Q3 ends 30 September
    ("2024", "2024-01-01", "2024-12-31"),
    ("2024Q1", "2024-01-01", "2024-03-31"),
    ("2024Q3", "2024-07-01", "2024-09-30"),
    ("2024Q4", "2024-10-01", "2024-12-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2023-02", "2023-02-01", "2023-02-28"),
    ("1900-02", "1900-02-01", "1900-02-28"),  # a century not divisible by 400 is no leap year
    ("2000-02", "2000-02-01", "2000-02-29"),
    ("2025-06", "2025-06-01", "2025-06-30"),
    ("2025-12", "2025-12-01", "2025-12-31"),
])
def test_first_and_last_day(text: str, start: str, end: str) -> None:
    p = Period.parse(text)
    assert p.start.isoformat() == start and p.end.isoformat() == end


def test_every_former_last_day_rule_is_period_end() -> None:
    # the four places that each computed "the last day of a period" now give Period.end
    from planmon.framework.model import Milestone
    from planmon.report.model import period_end as report_end
    from planmon.supervise.progress import period_end as cycle_end

    for text in ["2023", "2024Q1", "2024-02", "2100-02"]:
        p = Period.parse(text)
        assert Milestone(id="m", due=text).due_date == p.end.isoformat()
        assert report_end(text) == p.end == cycle_end(p)
