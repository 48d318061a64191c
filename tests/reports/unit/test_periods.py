"""Report periods, quarters and growth arithmetic."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from routing.reports.domain.periods import MAX_REPORT_DAYS, Period, Quarter, growth, ratio, report_period
from shared.errors import InvalidError

TZ = ZoneInfo("Asia/Shanghai")


def test_a_period_counts_both_ends() -> None:
    assert Period(date(2026, 7, 1), date(2026, 9, 30)).days == 92


def test_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    period = Period(date(2026, 7, 1), date(2026, 9, 30))
    assert period.previous() == Period(date(2026, 3, 31), date(2026, 6, 30))


def test_year_earlier_turns_29_february_into_the_28th() -> None:
    assert Period(date(2028, 2, 1), date(2028, 2, 29)).year_earlier() == Period(
        date(2027, 2, 1), date(2027, 2, 28)
    )


def test_bounds_are_business_midnights() -> None:
    start, end = Period(date(2026, 7, 1), date(2026, 7, 1)).bounds()
    assert start == datetime(2026, 7, 1, tzinfo=TZ)
    assert end == datetime(2026, 7, 2, tzinfo=TZ)
    assert start.utcoffset() is not None


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 7, 2), date(2026, 7, 1))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_quarters(text: str, start: date, end: date) -> None:
    quarter = Quarter.parse(text)
    assert quarter.period == Period(start, end)
    assert str(quarter) == text


def test_quarter_neighbours() -> None:
    assert Quarter.parse("2026Q1").previous() == Quarter(2025, 4)
    assert Quarter.parse("2026Q3").year_earlier() == Quarter(2025, 3)


@pytest.mark.parametrize("text", ["2026Q5", "2026-Q3", "Q3 2026", "", "2026q3x"])
def test_bad_quarters_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="YYYYQn"):
        Quarter.parse(text)


def test_growth_is_relative_change_to_four_places() -> None:
    assert growth(150, 120) == Decimal("0.2500")
    assert growth(1, 3) == Decimal("-0.6667")
    assert growth(Decimal("10.00"), Decimal("30.00")) == Decimal("-0.6667")


def test_growth_from_nothing_is_missing_not_infinite() -> None:
    assert growth(5, 0) is None


def test_ratio_without_a_whole_is_missing() -> None:
    assert ratio(0, 0) is None
    assert ratio(2, 3) == Decimal("0.6667")


def test_a_report_period_ends_on_or_after_it_starts_within_ten_years() -> None:
    assert report_period(date(2024, 4, 1), date(2024, 4, 1)) == Period(date(2024, 4, 1), date(2024, 4, 1))
    for end in (date(2024, 3, 31), date(2024, 4, 1) + timedelta(days=MAX_REPORT_DAYS)):
        with pytest.raises(InvalidError) as caught:
            report_period(date(2024, 4, 1), end)
        assert caught.value.errors == [
            {"field": "to", "message": "must be on or after 'from' and at most 3660 days later"}
        ]
