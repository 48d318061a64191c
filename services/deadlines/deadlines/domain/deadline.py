"""Deadlines (限时办结): their states, the alarms they set, and how they settle. Pure."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from deadlines.domain.calendar import HolidayCalendar
from deadlines.domain.periods import CountingMode, Period, compute_period, hours_period, warning_at


class DeadlineState(StrEnum):
    RUNNING = "running"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Alarm:
    """A moment at which a deadline announces something: ``due_soon:<n>``, ``breached``, ``escalate:<agency>``."""

    kind: str
    fire_at: datetime


@dataclass(frozen=True)
class Limit:
    """How long a rule allows: days in a counting mode, or hours from the start moment."""

    days: int | None = None
    mode: CountingMode = CountingMode.CALENDAR_DAYS
    hours: int | None = None


def period_for(limit: Limit, *, start: datetime, starts_on: date, calendar: HolidayCalendar) -> Period:
    if limit.hours is not None:
        due = hours_period(starts_at=start, hours=limit.hours)
        return Period(starts_on=starts_on, last_day=due.date(), due_at=due, provisional=False)
    assert limit.days is not None, "a limit has days or hours"
    return compute_period(starts_on=starts_on, days=limit.days, mode=limit.mode, calendar=calendar)


def alarms_for(
    period: Period,
    *,
    warning_working_days: Sequence[int],
    escalation_days: Mapping[str, int],
    calendar: HolidayCalendar,
    hours_based: bool = False,
) -> list[Alarm]:
    """Every alarm of a running deadline, at most one per kind."""
    alarms = [Alarm("breached", period.due_at)]
    if not hours_based:
        for n in sorted(set(warning_working_days)):
            moment = warning_at(period_last_day=period.last_day, working_days_before=n, calendar=calendar)
            alarms.append(Alarm(f"due_soon:{n}", moment))
    for agency_id, days in escalation_days.items():
        alarms.append(Alarm(f"escalate:{agency_id}", period.due_at + timedelta(days=days)))
    return sorted(alarms, key=lambda a: (a.fire_at, a.kind))


def settle_met(*, due_at: datetime, met_at: datetime) -> tuple[DeadlineState, bool]:
    """A deadline met in time is ``met``; met after its due time it stays ``breached`` with ``late``."""
    if met_at <= due_at:
        return DeadlineState.MET, False
    return DeadlineState.BREACHED, True


def applies(rule_sources: Sequence[str], source: str) -> bool:
    return source in rule_sources
