"""Reporting periods: ``2024`` (year), ``2024Q3`` (quarter), ``2024-10`` (month).

Periods are kept as the strings users type, and parsed here once so that every
module agrees on ordering and on where a period sits on the time axis. A
partial-year observation is an observation of a month or quarter, never of the
year: mixing the two is the most common error in plan monitoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering
from typing import Literal

from planmon.i18n import Message
from planmon.refusal import Refusal

Frequency = Literal["annual", "quarterly", "monthly"]

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(Refusal):
    """A string that is not a period; carries both languages for the user."""

    code = "period_invalid"

    def __init__(self, text: str) -> None:
        self.value = text
        self.message_zh = f"无法识别的期别“{text}”：应为 2024、2024Q3 或 2024-10"
        self.message_en = f"unrecognised period '{text}': expected 2024, 2024Q3 or 2024-10"
        super().__init__(Message(self.message_zh, self.message_en))


@total_ordering
@dataclass(frozen=True)
class Period:
    """A parsed period; orders by the moment its data refer to (period end)."""

    year: int
    frequency: Frequency
    sub: int = 0  # quarter 1..4 or month 1..12; 0 for a year

    @classmethod
    def parse(cls, text: str | int) -> Period:
        s = str(text).strip()
        if m := _YEAR.match(s):
            return cls(int(m.group(1)), "annual")
        if m := _QUARTER.match(s):
            return cls(int(m.group(1)), "quarterly", int(m.group(2)))
        if m := _MONTH.match(s):
            return cls(int(m.group(1)), "monthly", int(m.group(2)))
        raise PeriodError(s)

    def __str__(self) -> str:
        if self.frequency == "annual":
            return f"{self.year:04d}"
        if self.frequency == "quarterly":
            return f"{self.year:04d}Q{self.sub}"
        return f"{self.year:04d}-{self.sub:02d}"

    @property
    def time(self) -> float:
        """Position on a continuous year axis, at the end of the period.

        An annual value of 2024 describes the end of 2024 (time 2024.0);
        ``2024-10`` sits at 2023 + 10/12. Baselines and targets are annual, so
        the time share of a monthly value comes out as a fraction of a year.
        """
        if self.frequency == "annual":
            return float(self.year)
        if self.frequency == "quarterly":
            return self.year - 1 + self.sub / 4
        return self.year - 1 + self.sub / 12

    @property
    def start(self) -> date:
        """The first day of the period: 2024 → 2024-01-01, 2024Q3 → 2024-07-01, 2024-10 → 2024-10-01."""
        if self.frequency == "annual":
            return date(self.year, 1, 1)
        return date(self.year, 3 * self.sub - 2 if self.frequency == "quarterly" else self.sub, 1)

    @property
    def end(self) -> date:
        """The last day of the period — the one place that knows it (2024 → 2024-12-31,
        2024Q1 → 2024-03-31, 2024-02 → 2024-02-29): the day an "as of 2024" view is taken."""
        month = 12 if self.frequency == "annual" else (3 * self.sub if self.frequency == "quarterly" else self.sub)
        first_next = date(self.year + 1, 1, 1) if month == 12 else date(self.year, month + 1, 1)
        return first_next - timedelta(days=1)

    @property
    def is_partial_year(self) -> bool:
        return self.frequency != "annual" and not (
            (self.frequency == "quarterly" and self.sub == 4)
            or (self.frequency == "monthly" and self.sub == 12)
        )

    def fits(self, frequency: Frequency) -> bool:
        """Whether a value of this period can be reported for an indicator of ``frequency``.

        An annual indicator may carry partial-year (monthly, quarterly) readings,
        which monitoring treats specially; a monthly indicator cannot carry a
        yearly value, nor a quarterly one a month.
        """
        order = {"annual": 0, "quarterly": 1, "monthly": 2}
        if frequency == "annual":
            return True
        return order[self.frequency] == order[frequency]

    def _key(self) -> tuple[float, int]:
        return (self.time, {"annual": 0, "quarterly": 1, "monthly": 2}[self.frequency])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()


def month_ended_by(day: date) -> Period:
    """The last month that has ended on ``day``: ``2024-07-20`` → ``2024-06``, ``2024-12-31`` → ``2024-12``
    (a month ends on its last day, so a view taken that day includes it)."""
    p = Period(day.year, "monthly", day.month)
    if day == p.end:
        return p
    return Period(day.year - (day.month == 1), "monthly", day.month - 1 or 12)


def parse_period(text: str | int) -> Period:
    return Period.parse(text)


def period_time(text: str | int) -> float:
    return Period.parse(text).time


def is_period(text: object) -> bool:
    try:
        Period.parse(str(text))
    except PeriodError:
        return False
    return True
