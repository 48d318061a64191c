"""Period arithmetic (期间计算) per Civil Code arts. 201-203, which the notice's "日" follows.

* The day of receipt (``starts_on``, a date in Asia/Shanghai) is not counted.
* A period ends at the end of its last day: ``23:59:59+08:00``.
* In calendar days, a last day that is a rest day or statutory holiday moves to the next working day.
* In working days (工作日), the last day is the N-th working day after ``starts_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from deadlines.domain.calendar import SHANGHAI, HolidayCalendar, ensure_date

_ONE_DAY = timedelta(days=1)
_END_OF_DAY = time(23, 59, 59)


class CountingMode(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Period:
    """A computed period; ``provisional`` when it touches a year without an official schedule."""

    starts_on: date
    last_day: date
    due_at: datetime
    provisional: bool


def _positive(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be an integer >= 1, got {value!r}")
    return value


def _next_workday(d: date, calendar: HolidayCalendar) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    while not calendar.is_workday(d):
        d += _ONE_DAY
    return d


def _nth_workday_after(d: date, n: int, calendar: HolidayCalendar) -> date:
    """The ``n``-th working day strictly after ``d``."""
    counted = 0
    while counted < n:
        d += _ONE_DAY
        if calendar.is_workday(d):
            counted += 1
    return d


def end_of_day(d: date) -> datetime:
    """``23:59:59`` of ``d`` in Asia/Shanghai."""
    return datetime.combine(d, _END_OF_DAY, tzinfo=SHANGHAI)


def compute_period(*, starts_on: date, days: int, mode: CountingMode, calendar: HolidayCalendar) -> Period:
    """The period of ``days`` days (or working days) following receipt on ``starts_on``."""
    ensure_date(starts_on, "starts_on")
    _positive(days, "days")
    mode = CountingMode(mode)  # also accepts the plain string value, e.g. from configuration
    if mode is CountingMode.CALENDAR_DAYS:
        last_day = _next_workday(starts_on + timedelta(days=days), calendar)
    elif mode is CountingMode.WORKING_DAYS:
        last_day = _nth_workday_after(starts_on, days, calendar)
    else:  # pragma: no cover - exhaustive over CountingMode
        raise ValueError(f"unknown counting mode {mode!r}")
    # The walk only moves forward, so every year it crossed lies in this range.
    provisional = any(not calendar.is_official(year) for year in range(starts_on.year, last_day.year + 1))
    return Period(
        starts_on=starts_on, last_day=last_day, due_at=end_of_day(last_day), provisional=provisional
    )


def warning_at(*, period_last_day: date, working_days_before: int, calendar: HolidayCalendar) -> datetime:
    """When to warn: 00:00 Asia/Shanghai of the N-th working day counted back from the last day.

    The last day counts as the 1st, so N=1 is the start of the last day. Should the last day not be
    a working day (a schedule loaded after the period was computed), counting starts at the working
    day before it. The result may lie before the period's start; the caller then warns at once.
    """
    ensure_date(period_last_day, "period_last_day")
    n = _positive(working_days_before, "working_days_before")
    d = period_last_day
    counted = 1 if calendar.is_workday(d) else 0
    while counted < n:
        d -= _ONE_DAY
        if calendar.is_workday(d):
            counted += 1
    return datetime.combine(d, time.min, tzinfo=SHANGHAI)


def hours_period(*, starts_at: datetime, hours: int) -> datetime:
    """The instant ``hours`` elapsed hours after ``starts_at``, in Shanghai time; holidays do not pause it."""
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise ValueError("starts_at must be timezone-aware")
    _positive(hours, "hours")
    return (starts_at.astimezone(UTC) + timedelta(hours=hours)).astimezone(SHANGHAI)
