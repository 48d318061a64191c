"""China's working-day calendar (工作日), with official schedules an operator can load.

A day is a working day when it is Monday-Friday and not a statutory holiday (法定节假日), or when it
is a weekend day that the State Council's schedule turns into a make-up working day (调休上班).

Sources, in order of precedence for a given year:

1. a :class:`YearSchedule` loaded by an operator (``PUT /v1/calendar/years/{year}``);
2. the ``chinese_calendar`` library, for the years it ships data for;
3. a provisional weekends-only rule, for years whose schedule is not published yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

_SATURDAY = 5


def ensure_date(d: object, what: str = "date") -> date:
    """Reject datetimes (a ``date`` subclass that would silently miss every lookup)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(d).__name__}")
    return d


def shanghai_date(moment: datetime) -> date:
    """The calendar date of an aware instant in Asia/Shanghai, e.g. the day a clue was received."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one day; ``holiday`` names statutory holidays only."""

    date: date
    workday: bool
    holiday: str | None
    provisional: bool


@dataclass(frozen=True)
class YearSchedule:
    """The official holiday schedule of one year, as published by the State Council.

    ``holidays`` maps each statutory holiday day (weekends inside the break included) to its name;
    ``workdays`` holds the make-up working days (调休) that fall on a Saturday or Sunday.
    """

    year: int
    holidays: Mapping[date, str]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        holidays = dict(self.holidays)
        workdays = frozenset(self.workdays)
        for d, name in holidays.items():
            ensure_date(d, "holiday")
            if d.year != self.year:
                raise ValueError(f"holiday {d.isoformat()} is not in year {self.year}")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"holiday {d.isoformat()} needs a non-empty name")
        for d in workdays:
            ensure_date(d, "workday")
            if d.year != self.year:
                raise ValueError(f"make-up workday {d.isoformat()} is not in year {self.year}")
            if d.weekday() < _SATURDAY:
                raise ValueError(
                    f"make-up workday {d.isoformat()} is a weekday; only Saturdays and Sundays can be listed"
                )
        both = sorted(workdays & holidays.keys())
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(f"dates listed both as holiday and as make-up workday: {listed}")
        # Freeze the caller's containers so the schedule cannot change behind the calendar's back.
        object.__setattr__(self, "holidays", MappingProxyType(holidays))
        object.__setattr__(self, "workdays", workdays)

    def day(self, d: date) -> DayInfo:
        """The official answer for ``d``, which must lie in this schedule's year."""
        if d.year != self.year:
            raise ValueError(f"{d.isoformat()} is not in year {self.year}")
        name = self.holidays.get(d)
        workday = d in self.workdays or (d.weekday() < _SATURDAY and name is None)
        return DayInfo(date=d, workday=workday, holiday=None if workday else name, provisional=False)


def _holiday_name(raw: object) -> str | None:
    """The library stores English names ("Spring Festival"); prefer the Chinese one ("春节")."""
    if raw is None:
        return None
    text = str(raw)
    try:
        chinese: str = chinese_calendar.Holiday(text).chinese
    except ValueError:
        return text
    return chinese


@lru_cache(maxsize=8192)
def _library_day(d: date) -> DayInfo | None:
    """The ``chinese_calendar`` answer, or None for a year it has no data for."""
    try:
        rest, raw_name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    workday = not bool(rest)
    # For make-up workdays the library also returns the holiday's name: drop it.
    holiday = None if workday else _holiday_name(raw_name)
    return DayInfo(date=d, workday=workday, holiday=holiday, provisional=False)


@lru_cache(maxsize=256)
def _library_knows(year: int) -> bool:
    if not 1 <= year <= 9999:
        return False
    return _library_day(date(year, 1, 1)) is not None


class HolidayCalendar:
    """Answers "is this a working day?" for any date, never raising for unpublished years."""

    def __init__(self, schedules: Mapping[int, YearSchedule] | None = None) -> None:
        loaded = dict(schedules or {})
        for year, schedule in loaded.items():
            if schedule.year != year:
                raise ValueError(f"schedule for {schedule.year} was given under key {year}")
        self._schedules: Mapping[int, YearSchedule] = MappingProxyType(loaded)

    @property
    def schedules(self) -> Mapping[int, YearSchedule]:
        """The operator-loaded schedules, by year (read-only)."""
        return self._schedules

    def day(self, d: date) -> DayInfo:
        """The day's status; ``provisional`` when no official schedule covers its year."""
        ensure_date(d)
        schedule = self._schedules.get(d.year)
        if schedule is not None:
            return schedule.day(d)
        known = _library_day(d)
        if known is not None:
            return known
        return DayInfo(date=d, workday=d.weekday() < _SATURDAY, holiday=None, provisional=True)

    def is_workday(self, d: date) -> bool:
        return self.day(d).workday

    def is_official(self, year: int) -> bool:
        """True when the year's official schedule is known (loaded, or shipped with the library)."""
        return year in self._schedules or _library_knows(year)

    def with_schedule(self, schedule: YearSchedule) -> HolidayCalendar:
        """A new calendar with ``schedule`` loaded, replacing any earlier one for that year."""
        return HolidayCalendar({**self._schedules, schedule.year: schedule})
