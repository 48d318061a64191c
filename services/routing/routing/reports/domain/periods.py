"""Report periods: inclusive date ranges in business time, quarters, and growth between periods."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from shared.errors import InvalidError

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
RATIO_PLACES = Decimal("0.0001")
MAX_REPORT_DAYS = 3660
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Period:
    """The days ``start`` to ``end``, both included, in Asia/Shanghai."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def year_earlier(self) -> "Period":
        """The same dates a year earlier (29 February becomes the 28th)."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def bounds(self) -> tuple[datetime, datetime]:
        """The first moment of the period and the first moment after it."""
        return (
            datetime.combine(self.start, time.min, BUSINESS_TZ),
            datetime.combine(self.end + timedelta(days=1), time.min, BUSINESS_TZ),
        )


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        found = _QUARTER.match(text.strip())
        if found is None:
            raise ValueError(f"{text!r} is not a quarter; write it as YYYYQn, such as 2026Q3")
        return cls(int(found.group(1)), int(found.group(2)))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def period(self) -> Period:
        first_month = 3 * (self.number - 1) + 1
        start = date(self.year, first_month, 1)
        following = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, first_month + 3, 1)
        return Period(start, following - timedelta(days=1))

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def year_earlier(self) -> "Quarter":
        return Quarter(self.year - 1, self.number)


def report_period(start: date, end: date) -> Period:
    """The days a summary covers: ``end`` on or after ``start``, and less than MAX_REPORT_DAYS later."""
    if end < start or (end - start).days >= MAX_REPORT_DAYS:
        message = f"must be on or after 'from' and at most {MAX_REPORT_DAYS} days later"
        raise InvalidError([{"field": "to", "message": message}])
    return Period(start, end)


def _year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part / whole`` to four places; None when there is no whole to divide by."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO_PLACES, ROUND_HALF_UP)


def growth(current: Decimal | int, earlier: Decimal | int) -> Decimal | None:
    """Relative change against an earlier figure (0.25 is +25%); None when the earlier figure is 0."""
    if earlier == 0:
        return None
    return ((Decimal(current) - Decimal(earlier)) / Decimal(earlier)).quantize(RATIO_PLACES, ROUND_HALF_UP)
