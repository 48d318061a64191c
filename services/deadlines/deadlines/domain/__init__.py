"""Pure deadline arithmetic: holiday calendar and period counting (no I/O, no clock)."""

from deadlines.domain.calendar import SHANGHAI, DayInfo, HolidayCalendar, YearSchedule, shanghai_date
from deadlines.domain.periods import CountingMode, Period, compute_period, hours_period, warning_at

__all__ = [
    "SHANGHAI",
    "CountingMode",
    "DayInfo",
    "HolidayCalendar",
    "Period",
    "YearSchedule",
    "compute_period",
    "hours_period",
    "shanghai_date",
    "warning_at",
]
