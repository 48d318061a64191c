"""Period counting: Civil Code arts. 201-203 over the Chinese holiday calendar (real 2026 dates)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.domain.calendar import SHANGHAI, HolidayCalendar, YearSchedule
from deadlines.domain.periods import CountingMode, Period, compute_period, hours_period, warning_at

pytestmark = pytest.mark.unit

CAL = HolidayCalendar()
CALENDAR_DAYS = CountingMode.CALENDAR_DAYS
WORKING_DAYS = CountingMode.WORKING_DAYS


def due(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=SHANGHAI)


# (received, days, expected last day): expected values checked against chinese_calendar 1.11.0.
CALENDAR_CASES = [
    # National Day 2026-10-01..07: +7 lands inside, rolls to Thu 10-08.
    (date(2026, 9, 24), 7, date(2026, 10, 8)),
    (date(2026, 9, 28), 7, date(2026, 10, 8)),
    (date(2026, 9, 30), 7, date(2026, 10, 8)),
    (date(2026, 9, 16), 15, date(2026, 10, 8)),
    # Spring Festival 2026-02-15..23.
    (date(2026, 2, 10), 7, date(2026, 2, 24)),
    # New Year 2026-01-01..03 rolls onto the make-up Sunday 2026-01-04.
    (date(2025, 12, 25), 7, date(2026, 1, 4)),
    # Received on make-up Saturdays / Sundays.
    (date(2026, 2, 14), 7, date(2026, 2, 24)),  # +7 = Sat 02-21, inside Spring Festival
    (date(2026, 10, 10), 7, date(2026, 10, 19)),  # +7 = ordinary Saturday 10-17
    (date(2026, 9, 20), 7, date(2026, 9, 28)),  # +7 = Sun 09-27, Mid-Autumn
    # Landing on a make-up workday: no roll.
    (date(2026, 10, 3), 7, date(2026, 10, 10)),
    (date(2026, 2, 7), 7, date(2026, 2, 14)),
    (date(2026, 2, 21), 7, date(2026, 2, 28)),
    (date(2026, 5, 2), 7, date(2026, 5, 9)),
    # Other holidays.
    (date(2026, 4, 24), 7, date(2026, 5, 6)),  # Labour Day 05-01..05
    (date(2026, 6, 12), 7, date(2026, 6, 22)),  # Dragon Boat 06-19..21
    (date(2026, 3, 27), 7, date(2026, 4, 3)),  # the Friday before Qingming is a working day
    # Ordinary weeks.
    (date(2026, 3, 6), 7, date(2026, 3, 13)),
    (date(2026, 3, 7), 7, date(2026, 3, 16)),  # +7 = Saturday -> Monday
    (date(2026, 3, 9), 1, date(2026, 3, 10)),
]


@pytest.mark.parametrize(("received", "days", "last_day"), CALENDAR_CASES)
def test_calendar_days(received: date, days: int, last_day: date) -> None:
    period = compute_period(starts_on=received, days=days, mode=CALENDAR_DAYS, calendar=CAL)
    assert period == Period(starts_on=received, last_day=last_day, due_at=due(last_day), provisional=False)


WORKING_CASES = [
    # 09-29, 09-30, [National Day], 10-08, 10-09, Sat 10-10 (make-up).
    (date(2026, 9, 28), 5, date(2026, 10, 10)),
    # Fri 02-13, Sat 02-14 (make-up), [Spring Festival], Tue 02-24.
    (date(2026, 2, 12), 3, date(2026, 2, 24)),
    # [New Year], Sun 01-04 (make-up), Mon 01-05.
    (date(2025, 12, 31), 2, date(2026, 1, 5)),
    # [Labour Day], 05-06, 05-07, 05-08, Sat 05-09 (make-up), Mon 05-11.
    (date(2026, 4, 30), 5, date(2026, 5, 11)),
    (date(2026, 9, 18), 1, date(2026, 9, 20)),  # next working day is the make-up Sunday
    (date(2026, 9, 30), 1, date(2026, 10, 8)),
    (date(2026, 3, 6), 5, date(2026, 3, 13)),
    (date(2026, 3, 9), 1, date(2026, 3, 10)),  # a working day of receipt is still not counted
    (date(2026, 3, 7), 1, date(2026, 3, 9)),
]


@pytest.mark.parametrize(("received", "days", "last_day"), WORKING_CASES)
def test_working_days(received: date, days: int, last_day: date) -> None:
    period = compute_period(starts_on=received, days=days, mode=WORKING_DAYS, calendar=CAL)
    assert period == Period(starts_on=received, last_day=last_day, due_at=due(last_day), provisional=False)


def test_due_at_is_end_of_last_day_in_shanghai() -> None:
    period = compute_period(starts_on=date(2026, 9, 24), days=7, mode=CALENDAR_DAYS, calendar=CAL)
    assert period.due_at.isoformat() == "2026-10-08T23:59:59+08:00"
    assert period.due_at.astimezone(UTC) == datetime(2026, 10, 8, 15, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("mode", list(CountingMode))
@pytest.mark.parametrize("days", [0, -1, True])
def test_days_must_be_positive(mode: CountingMode, days: int) -> None:
    with pytest.raises(ValueError, match="days must be an integer >= 1"):
        compute_period(starts_on=date(2026, 3, 9), days=days, mode=mode, calendar=CAL)


def test_starts_on_must_be_a_date_not_datetime() -> None:
    with pytest.raises(TypeError, match="starts_on"):
        compute_period(
            starts_on=datetime(2026, 3, 9, tzinfo=SHANGHAI), days=7, mode=CALENDAR_DAYS, calendar=CAL
        )


def test_counting_mode_values() -> None:
    assert CountingMode("calendar_days") is CALENDAR_DAYS
    assert CountingMode("working_days") is WORKING_DAYS


# --- years without an official schedule -------------------------------------------------------

SCHEDULE_2027 = YearSchedule(
    year=2027,
    holidays={date(2027, 1, 1): "元旦", date(2027, 1, 2): "元旦", date(2027, 1, 3): "元旦"},
    workdays=frozenset({date(2027, 1, 9)}),
)


def test_period_into_unknown_year_is_provisional() -> None:
    period = compute_period(starts_on=date(2026, 12, 20), days=30, mode=CALENDAR_DAYS, calendar=CAL)
    assert period == Period(date(2026, 12, 20), date(2027, 1, 19), due(date(2027, 1, 19)), provisional=True)


def test_period_inside_unknown_year_is_provisional_weekends_only() -> None:
    period = compute_period(starts_on=date(2027, 3, 5), days=8, mode=CALENDAR_DAYS, calendar=CAL)
    assert period.last_day == date(2027, 3, 15)  # +8 = Saturday 03-13 -> Monday
    assert period.provisional is True
    period = compute_period(starts_on=date(2027, 3, 5), days=5, mode=WORKING_DAYS, calendar=CAL)
    assert period.last_day == date(2027, 3, 12)
    assert period.provisional is True


def test_loading_the_schedule_clears_provisional_and_applies_holidays() -> None:
    before = compute_period(starts_on=date(2026, 12, 25), days=7, mode=CALENDAR_DAYS, calendar=CAL)
    assert before == Period(date(2026, 12, 25), date(2027, 1, 1), due(date(2027, 1, 1)), provisional=True)

    loaded = CAL.with_schedule(SCHEDULE_2027)
    after = compute_period(starts_on=date(2026, 12, 25), days=7, mode=CALENDAR_DAYS, calendar=loaded)
    assert after == Period(date(2026, 12, 25), date(2027, 1, 4), due(date(2027, 1, 4)), provisional=False)

    long = compute_period(starts_on=date(2026, 12, 20), days=30, mode=CALENDAR_DAYS, calendar=loaded)
    assert long.provisional is False


def test_loaded_make_up_workday_does_not_roll() -> None:
    loaded = CAL.with_schedule(SCHEDULE_2027)
    period = compute_period(starts_on=date(2027, 1, 2), days=7, mode=CALENDAR_DAYS, calendar=loaded)
    assert period.last_day == date(2027, 1, 9)
    period = compute_period(starts_on=date(2026, 12, 31), days=2, mode=WORKING_DAYS, calendar=loaded)
    assert period.last_day == date(2027, 1, 5)


def test_search_walking_into_an_unknown_year_is_provisional() -> None:
    # +3 = 2026-12-31 would be a working day; here a loaded 2026 schedule makes it a holiday, so the
    # search walks on into 2027, which is not official.
    closing = YearSchedule(year=2026, holidays={date(2026, 12, 31): "测试"}, workdays=frozenset())
    cal = HolidayCalendar({2026: closing})
    period = compute_period(starts_on=date(2026, 12, 28), days=3, mode=CALENDAR_DAYS, calendar=cal)
    assert period.last_day == date(2027, 1, 1)
    assert period.provisional is True


def test_period_starting_in_unknown_past_year_is_provisional() -> None:
    period = compute_period(starts_on=date(2003, 12, 30), days=7, mode=CALENDAR_DAYS, calendar=CAL)
    assert period.provisional is True


# --- warning_at --------------------------------------------------------------------------------


def midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("last_day", "n", "expected"),
    [
        (date(2026, 10, 8), 1, date(2026, 10, 8)),
        (date(2026, 10, 8), 2, date(2026, 9, 30)),  # skips National Day
        (date(2026, 10, 8), 3, date(2026, 9, 29)),
        (date(2026, 2, 24), 2, date(2026, 2, 14)),  # the make-up Saturday counts
        (date(2026, 2, 24), 3, date(2026, 2, 13)),
        (date(2026, 1, 5), 2, date(2026, 1, 4)),  # the make-up Sunday counts
        (date(2026, 1, 5), 3, date(2025, 12, 31)),  # crosses New Year and the year boundary
        (date(2026, 3, 16), 2, date(2026, 3, 13)),  # skips an ordinary weekend
        (date(2026, 10, 4), 1, date(2026, 9, 30)),  # last day not a working day: count from before it
    ],
)
def test_warning_at(last_day: date, n: int, expected: date) -> None:
    at = warning_at(period_last_day=last_day, working_days_before=n, calendar=CAL)
    assert at == midnight(expected)
    assert at.tzinfo is SHANGHAI
    assert at.time() == time(0, 0)


@pytest.mark.parametrize("n", [0, -3])
def test_warning_at_requires_positive_n(n: int) -> None:
    with pytest.raises(ValueError, match="working_days_before"):
        warning_at(period_last_day=date(2026, 10, 8), working_days_before=n, calendar=CAL)


# --- hours_period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "hours", "expected"),
    [
        # Holidays do not pause an hours limit.
        (datetime(2026, 10, 1, 22, 0, tzinfo=SHANGHAI), 4, datetime(2026, 10, 2, 2, 0, tzinfo=SHANGHAI)),
        (datetime(2026, 10, 1, 14, 0, tzinfo=UTC), 4, datetime(2026, 10, 2, 2, 0, tzinfo=SHANGHAI)),
        (datetime(2026, 3, 9, 9, 30, tzinfo=SHANGHAI), 48, datetime(2026, 3, 11, 9, 30, tzinfo=SHANGHAI)),
    ],
)
def test_hours_period(starts_at: datetime, hours: int, expected: datetime) -> None:
    result = hours_period(starts_at=starts_at, hours=hours)
    assert result == expected
    assert result.tzinfo is SHANGHAI
    assert result - starts_at == timedelta(hours=hours)


def test_hours_period_rejects_naive() -> None:
    naive = datetime(2026, 10, 1, 22, 0, tzinfo=SHANGHAI).replace(tzinfo=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        hours_period(starts_at=naive, hours=4)


@pytest.mark.parametrize("hours", [0, -1])
def test_hours_period_requires_positive_hours(hours: int) -> None:
    with pytest.raises(ValueError, match="hours must be"):
        hours_period(starts_at=datetime(2026, 10, 1, tzinfo=SHANGHAI), hours=hours)


# --- properties --------------------------------------------------------------------------------

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))
day_counts = st.integers(min_value=1, max_value=60)
dates_2027 = st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def schedules_2027(draw: st.DrawFn) -> YearSchedule:
    holidays = draw(st.sets(dates_2027, max_size=40))
    weekends = dates_2027.filter(lambda d: d.weekday() >= 5 and d not in holidays)
    workdays = draw(st.frozensets(weekends, max_size=10))
    return YearSchedule(year=2027, holidays=dict.fromkeys(holidays, "假日"), workdays=workdays)


calendars = st.one_of(st.just(CAL), schedules_2027().map(CAL.with_schedule))


def working_days_between(cal: HolidayCalendar, after: date, through: date) -> int:
    """Working days in (after, through]."""
    count, d = 0, after
    while d < through:
        d += timedelta(days=1)
        count += cal.is_workday(d)
    return count


def assert_due_at_shape(period: Period) -> None:
    assert period.due_at.tzinfo is SHANGHAI
    assert period.due_at.utcoffset() == timedelta(hours=8)
    assert period.due_at.date() == period.last_day
    assert period.due_at.time() == time(23, 59, 59)


def expected_provisional(cal: HolidayCalendar, period: Period) -> bool:
    return any(not cal.is_official(y) for y in range(period.starts_on.year, period.last_day.year + 1))


@settings(max_examples=300, deadline=None)
@given(starts_on=dates, days=day_counts, cal=calendars)
def test_property_calendar_days(starts_on: date, days: int, cal: HolidayCalendar) -> None:
    period = compute_period(starts_on=starts_on, days=days, mode=CALENDAR_DAYS, calendar=cal)
    nominal = starts_on + timedelta(days=days)
    assert cal.is_workday(period.last_day)
    assert period.last_day >= nominal
    assert period.due_at >= due(nominal)
    # It rolls to the *first* working day: nothing in between is a working day.
    d = nominal
    while d < period.last_day:
        assert not cal.is_workday(d)
        d += timedelta(days=1)
    assert_due_at_shape(period)
    assert period.provisional is expected_provisional(cal, period)


@settings(max_examples=300, deadline=None)
@given(starts_on=dates, days=day_counts, cal=calendars)
def test_property_working_days(starts_on: date, days: int, cal: HolidayCalendar) -> None:
    period = compute_period(starts_on=starts_on, days=days, mode=WORKING_DAYS, calendar=cal)
    assert cal.is_workday(period.last_day)
    assert working_days_between(cal, starts_on, period.last_day) == days
    assert period.last_day > starts_on
    assert_due_at_shape(period)
    assert period.provisional is expected_provisional(cal, period)


@settings(max_examples=200, deadline=None)
@given(starts_on=dates, days=day_counts, n=st.integers(min_value=1, max_value=10), cal=calendars)
def test_property_warning_at(starts_on: date, days: int, n: int, cal: HolidayCalendar) -> None:
    period = compute_period(starts_on=starts_on, days=days, mode=CALENDAR_DAYS, calendar=cal)
    at = warning_at(period_last_day=period.last_day, working_days_before=n, calendar=cal)
    assert at.tzinfo is SHANGHAI
    assert at.time() == time(0, 0)
    assert cal.is_workday(at.date())
    # [warning day, last day] holds exactly n working days.
    assert working_days_between(cal, at.date() - timedelta(days=1), period.last_day) == n
    assert at < period.due_at


def test_mode_may_be_given_as_its_string_value() -> None:
    period = compute_period(starts_on=date(2026, 9, 28), days=5, mode="working_days", calendar=CAL)  # type: ignore[arg-type]
    assert period.last_day == date(2026, 10, 10)
    with pytest.raises(ValueError, match="not a valid CountingMode"):
        compute_period(starts_on=date(2026, 9, 28), days=5, mode="weeks", calendar=CAL)  # type: ignore[arg-type]
