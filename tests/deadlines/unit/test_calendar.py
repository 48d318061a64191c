"""HolidayCalendar and YearSchedule: library data, operator schedules and the provisional fallback."""

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest

from deadlines.domain.calendar import SHANGHAI, DayInfo, HolidayCalendar, YearSchedule, shanghai_date

pytestmark = pytest.mark.unit

CAL = HolidayCalendar()


def official(d: date, *, workday: bool, holiday: str | None = None) -> DayInfo:
    return DayInfo(date=d, workday=workday, holiday=holiday, provisional=False)


def provisional(d: date, *, workday: bool) -> DayInfo:
    return DayInfo(date=d, workday=workday, holiday=None, provisional=True)


@pytest.mark.parametrize(
    ("day", "workday", "holiday"),
    [
        (date(2026, 1, 1), False, "元旦"),
        (date(2026, 1, 3), False, "元旦"),  # a Saturday inside the break: still named
        (date(2026, 1, 4), True, None),  # Sunday make-up workday (调休)
        (date(2026, 1, 10), False, None),  # ordinary Saturday: rest day, no holiday name
        (date(2026, 2, 14), True, None),  # Saturday make-up workday before Spring Festival
        (date(2026, 2, 15), False, "春节"),
        (date(2026, 2, 23), False, "春节"),
        (date(2026, 2, 24), True, None),
        (date(2026, 2, 28), True, None),
        (date(2026, 4, 6), False, "清明"),
        (date(2026, 5, 1), False, "劳动节"),
        (date(2026, 5, 9), True, None),
        (date(2026, 6, 19), False, "端午"),
        (date(2026, 9, 20), True, None),
        (date(2026, 9, 25), False, "中秋"),
        (date(2026, 10, 1), False, "国庆节"),
        (date(2026, 10, 7), False, "国庆节"),
        (date(2026, 10, 8), True, None),
        (date(2026, 10, 10), True, None),
        (date(2026, 3, 10), True, None),
    ],
)
def test_library_days_2026(day: date, workday: bool, holiday: str | None) -> None:
    assert CAL.day(day) == official(day, workday=workday, holiday=holiday)
    assert CAL.is_workday(day) is workday


def test_agrees_with_chinese_calendar_for_every_day_2020_to_2026() -> None:
    d = date(2020, 1, 1)
    while d.year <= 2026:
        info = CAL.day(d)
        assert info.workday is chinese_calendar.is_workday(d), d
        assert (info.holiday is not None) is (d in chinese_calendar.holidays and not info.workday), d
        assert info.provisional is False
        d += timedelta(days=1)


def test_unknown_year_falls_back_to_weekends_only_without_crashing() -> None:
    assert CAL.day(date(2027, 1, 1)) == provisional(date(2027, 1, 1), workday=True)
    assert CAL.day(date(2027, 1, 2)) == provisional(date(2027, 1, 2), workday=False)
    assert CAL.day(date(2003, 1, 1)).provisional is True
    assert CAL.day(date(9999, 12, 31)).provisional is True


@pytest.mark.parametrize(
    ("year", "official"),
    [(2003, False), (2004, True), (2020, True), (2026, True), (2027, False), (1, False), (9999, False)],
)
def test_is_official(year: int, official: bool) -> None:
    assert CAL.is_official(year) is official


def test_is_official_out_of_date_range_is_false() -> None:
    assert CAL.is_official(0) is False
    assert CAL.is_official(10000) is False


SCHEDULE_2027 = YearSchedule(
    year=2027,
    holidays={date(2027, 1, 1): "元旦", date(2027, 1, 2): "元旦", date(2027, 1, 3): "元旦"},
    workdays=frozenset({date(2027, 1, 9)}),
)


def test_loaded_schedule_makes_year_official() -> None:
    cal = CAL.with_schedule(SCHEDULE_2027)
    assert cal.is_official(2027) is True
    assert cal.day(date(2027, 1, 1)) == official(date(2027, 1, 1), workday=False, holiday="元旦")
    assert cal.day(date(2027, 1, 2)) == official(date(2027, 1, 2), workday=False, holiday="元旦")
    assert cal.day(date(2027, 1, 9)) == official(date(2027, 1, 9), workday=True)
    assert cal.day(date(2027, 1, 10)) == official(date(2027, 1, 10), workday=False)
    assert cal.day(date(2027, 1, 11)) == official(date(2027, 1, 11), workday=True)


def test_with_schedule_leaves_the_original_untouched() -> None:
    cal = HolidayCalendar()
    loaded = cal.with_schedule(SCHEDULE_2027)
    assert loaded is not cal
    assert cal.is_official(2027) is False
    assert cal.day(date(2027, 1, 1)).workday is True
    assert dict(loaded.schedules) == {2027: SCHEDULE_2027}
    assert dict(cal.schedules) == {}


def test_with_schedule_replaces_an_earlier_schedule_for_the_same_year() -> None:
    first = HolidayCalendar({2027: SCHEDULE_2027})
    revised = YearSchedule(year=2027, holidays={date(2027, 1, 1): "元旦"}, workdays=frozenset())
    cal = first.with_schedule(revised)
    assert cal.day(date(2027, 1, 4)).workday is True
    assert cal.day(date(2027, 1, 9)).workday is False
    assert first.day(date(2027, 1, 9)).workday is True


def test_loaded_schedule_overrides_library_data() -> None:
    correction = YearSchedule(year=2026, holidays={date(2026, 3, 10): "特别假日"}, workdays=frozenset())
    cal = HolidayCalendar({2026: correction})
    assert cal.day(date(2026, 3, 10)) == official(date(2026, 3, 10), workday=False, holiday="特别假日")
    # The operator's schedule is the whole truth for its year: library holidays no longer apply.
    assert cal.day(date(2026, 10, 1)).workday is True


def test_constructor_rejects_schedule_under_wrong_year() -> None:
    with pytest.raises(ValueError, match="schedule for 2027 was given under key 2028"):
        HolidayCalendar({2028: SCHEDULE_2027})


def test_constructor_copies_the_mapping() -> None:
    schedules = {2027: SCHEDULE_2027}
    cal = HolidayCalendar(schedules)
    del schedules[2027]
    assert cal.is_official(2027) is True


def test_schedule_is_frozen_against_caller_mutation() -> None:
    holidays = {date(2027, 1, 1): "元旦"}
    schedule = YearSchedule(year=2027, holidays=holidays, workdays=frozenset())
    holidays[date(2027, 1, 4)] = "added later"
    assert date(2027, 1, 4) not in schedule.holidays
    with pytest.raises(TypeError):
        schedule.holidays[date(2027, 1, 5)] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ({date(2026, 12, 31): "元旦"}, frozenset(), "holiday 2026-12-31 is not in year 2027"),
        ({}, frozenset({date(2028, 1, 1)}), "make-up workday 2028-01-01 is not in year 2027"),
        (
            {date(2027, 1, 2): "元旦"},
            frozenset({date(2027, 1, 2), date(2027, 1, 9)}),
            "both as holiday and as make-up workday: 2027-01-02",
        ),
        ({}, frozenset({date(2027, 1, 4)}), "make-up workday 2027-01-04 is a weekday"),
        ({date(2027, 1, 1): "  "}, frozenset(), "needs a non-empty name"),
    ],
)
def test_schedule_validation(holidays: dict[date, str], workdays: frozenset[date], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        YearSchedule(year=2027, holidays=holidays, workdays=workdays)


def test_schedule_rejects_datetimes() -> None:
    moment = datetime(2027, 1, 1, tzinfo=SHANGHAI)
    with pytest.raises(TypeError, match=r"holiday must be a datetime\.date"):
        YearSchedule(year=2027, holidays={moment: "元旦"}, workdays=frozenset())


def test_schedule_rejects_impossible_year() -> None:
    with pytest.raises(ValueError, match="out of range"):
        YearSchedule(year=0, holidays={}, workdays=frozenset())


def test_schedule_day_outside_its_year() -> None:
    with pytest.raises(ValueError, match="not in year 2027"):
        SCHEDULE_2027.day(date(2026, 1, 1))


def test_empty_schedule_is_weekends_only_but_official() -> None:
    cal = CAL.with_schedule(YearSchedule(year=2027, holidays={}, workdays=frozenset()))
    assert cal.day(date(2027, 1, 1)) == official(date(2027, 1, 1), workday=True)
    assert cal.day(date(2027, 1, 2)).workday is False


def test_day_rejects_datetime() -> None:
    with pytest.raises(TypeError):
        CAL.day(datetime(2026, 10, 1, tzinfo=SHANGHAI))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 9, 30, 16, 30, tzinfo=UTC), date(2026, 10, 1)),  # 00:30 in Shanghai
        (datetime(2026, 9, 30, 15, 59, 59, tzinfo=UTC), date(2026, 9, 30)),
        (datetime(2026, 10, 1, 0, 0, tzinfo=SHANGHAI), date(2026, 10, 1)),
    ],
)
def test_shanghai_date(moment: datetime, expected: date) -> None:
    assert shanghai_date(moment) == expected


def test_shanghai_date_rejects_naive() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        shanghai_date(datetime(2026, 1, 1, tzinfo=SHANGHAI).replace(tzinfo=None))
