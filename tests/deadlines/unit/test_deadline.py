"""Deadlines' alarms and settlement (domain/deadline.py), on the real 2026 calendar."""

from datetime import UTC, date, datetime, timedelta

import pytest

from deadlines.domain.calendar import SHANGHAI, HolidayCalendar
from deadlines.domain.deadline import (
    DeadlineState,
    Limit,
    alarms_for,
    applies,
    period_for,
    settle_met,
)
from deadlines.domain.periods import CountingMode, compute_period

CAL = HolidayCalendar()


def midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=SHANGHAI)


def test_alarms_warn_breach_and_escalate_in_time_order() -> None:
    # Received Thu 2026-11-19, 7 calendar days: last day Thu 11-26.
    period = compute_period(
        starts_on=date(2026, 11, 19), days=7, mode=CountingMode.CALENDAR_DAYS, calendar=CAL
    )
    alarms = alarms_for(
        period, warning_working_days=[1, 3], escalation_days={"330100.office": 3}, calendar=CAL
    )
    assert [(a.code, a.fire_at) for a in alarms] == [
        ("due_soon:3", midnight(date(2026, 11, 24))),
        ("due_soon:1", midnight(date(2026, 11, 26))),
        ("breached", period.due_at),
        ("escalate:330100.office", period.due_at + timedelta(days=3)),
    ]


def test_warning_skips_the_national_day_break() -> None:
    # 2026-09-30 + 7 lands in the break and rolls to Thu 10-08; counting back, 10-01..07 are
    # holidays, so the 2nd working day before due is 09-30.
    period = compute_period(
        starts_on=date(2026, 9, 30), days=7, mode=CountingMode.CALENDAR_DAYS, calendar=CAL
    )
    assert period.last_day == date(2026, 10, 8)
    (warning,) = [
        a
        for a in alarms_for(period, warning_working_days=[2], escalation_days={}, calendar=CAL)
        if a.code == "due_soon:2"
    ]
    assert warning.fire_at == midnight(date(2026, 9, 30))


def test_duplicate_offsets_give_one_alarm_each() -> None:
    period = compute_period(
        starts_on=date(2026, 11, 2), days=15, mode=CountingMode.CALENDAR_DAYS, calendar=CAL
    )
    kinds = [
        a.code for a in alarms_for(period, warning_working_days=[1, 1, 2], escalation_days={}, calendar=CAL)
    ]
    assert sorted(kinds) == ["breached", "due_soon:1", "due_soon:2"]


def test_hours_based_limits_only_breach_and_escalate() -> None:
    start = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
    period = period_for(Limit(hours=24), start=start, starts_on=start.date(), calendar=CAL)
    assert period.due_at == start + timedelta(hours=24)
    assert not period.provisional
    alarms = alarms_for(
        period,
        warning_working_days=[1],
        escalation_days={"330100.office": 1},
        calendar=CAL,
        hours_based=True,
    )
    assert [a.code for a in alarms] == ["breached", "escalate:330100.office"]


def test_period_for_counts_working_days() -> None:
    # Assigned Fri 2026-11-27: one working day is Mon 11-30.
    start = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)
    period = period_for(
        Limit(days=1, mode=CountingMode.WORKING_DAYS), start=start, starts_on=start.date(), calendar=CAL
    )
    assert period.last_day == date(2026, 11, 30)


def test_period_for_needs_days_or_hours() -> None:
    start = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)
    with pytest.raises(AssertionError):
        period_for(Limit(), start=start, starts_on=start.date(), calendar=CAL)


def test_provisional_period_when_crossing_an_unpublished_year() -> None:
    start = datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI)
    period = period_for(Limit(days=30), start=start, starts_on=start.date(), calendar=CAL)
    assert period.provisional
    assert period.last_day == date(2027, 1, 19)


DUE = datetime(2026, 11, 26, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("met_at", "expected"),
    [
        (DUE - timedelta(days=3), (DeadlineState.MET, False)),
        (DUE, (DeadlineState.MET, False)),
        (DUE + timedelta(seconds=1), (DeadlineState.BREACHED, True)),
        (DUE + timedelta(days=10), (DeadlineState.BREACHED, True)),
    ],
)
def test_settle_met_on_time_or_late(met_at: datetime, expected: tuple[DeadlineState, bool]) -> None:
    assert settle_met(due_at=DUE, met_at=met_at) == expected


def test_settle_met_compares_instants_across_offsets() -> None:
    # 16:00 UTC is 00:00 the next day in Shanghai: one second after 23:59:59 is late.
    utc_midnight_shanghai = (DUE + timedelta(seconds=1)).astimezone(UTC)
    assert utc_midnight_shanghai.hour == 16
    assert settle_met(due_at=DUE, met_at=utc_midnight_shanghai) == (DeadlineState.BREACHED, True)


def test_rules_apply_to_their_sources() -> None:
    assert applies(["national", "provincial"], "national")
    assert not applies(["national", "provincial"], "city")
