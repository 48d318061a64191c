"""Deadlines (限时办结): their periods, the alarms they set, and how they settle. Pure."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from deadlines.domain.calendar import HolidayCalendar, shanghai_date
from deadlines.domain.model import Alarm, AlarmKind, Clue, Deadline, DeadlineState, Limit
from deadlines.domain.periods import Period, compute_period, hours_period, warning_at

__all__ = [
    "Alarm",
    "DeadlineState",
    "Limit",
    "alarms_for",
    "alarms_to_set",
    "applies",
    "meet",
    "new_deadline",
    "period_for",
    "settle_met",
]


def period_for(limit: Limit, *, start: datetime, starts_on: date, calendar: HolidayCalendar) -> Period:
    if limit.hours is not None:
        due = hours_period(starts_at=start, hours=limit.hours)
        return Period(starts_on=starts_on, last_day=due.date(), due_at=due, provisional=False)
    assert limit.days is not None, "a limit has days or hours"
    return compute_period(starts_on=starts_on, days=limit.days, mode=limit.mode, calendar=calendar)


def new_deadline(
    deadline_id: str,
    *,
    clue: Clue,
    rule: str,
    limit: Limit,
    start_at: datetime,
    task_id: str | None,
    agency_id: str | None,
    calendar: HolidayCalendar,
    scope: str | None = None,
) -> tuple[Deadline, Period]:
    """A running deadline of ``rule`` on the clue from ``start_at``, and its period."""
    starts_on = shanghai_date(start_at)
    period = period_for(limit, start=start_at, starts_on=starts_on, calendar=calendar)
    deadline = Deadline(
        deadline_id=deadline_id,
        clue_id=clue.clue_id,
        task_id=task_id,
        scope=scope or task_id or "",
        rule=rule,
        agency_id=agency_id,
        division=clue.division,
        source=clue.source,
        starts_on=starts_on,
        start_at=start_at,
        limit=limit,
        last_day=period.last_day,
        due_at=period.due_at,
        provisional=period.provisional,
    )
    return deadline, period


def alarms_for(
    period: Period,
    *,
    warning_working_days: Sequence[int],
    escalation_days: Mapping[str, int],
    calendar: HolidayCalendar,
    hours_based: bool = False,
) -> list[Alarm]:
    """Every alarm of a running deadline, at most one per kind."""
    alarms = [Alarm(AlarmKind.BREACHED, period.due_at)]
    if not hours_based:
        for n in sorted(set(warning_working_days)):
            moment = warning_at(period_last_day=period.last_day, working_days_before=n, calendar=calendar)
            alarms.append(Alarm(AlarmKind.DUE_SOON, moment, working_days_before=n))
    for agency_id, days in escalation_days.items():
        moment = period.due_at + timedelta(days=days)
        alarms.append(Alarm(AlarmKind.ESCALATE, moment, escalation_step=agency_id))
    return sorted(alarms, key=lambda a: (a.fire_at, a.code))


def alarms_to_set(
    period: Period,
    *,
    warning_working_days: Sequence[int],
    escalation_days: Mapping[str, int],
    calendar: HolidayCalendar,
    hours_based: bool,
    now: datetime,
) -> list[Alarm]:
    """The alarms to set for a period now: a period already over (backdated) announces its breach alone."""
    alarms = alarms_for(
        period,
        warning_working_days=warning_working_days,
        escalation_days=escalation_days,
        calendar=calendar,
        hours_based=hours_based,
    )
    return [a for a in alarms if not (a.kind is AlarmKind.DUE_SOON and period.due_at <= now)]


def settle_met(*, due_at: datetime, met_at: datetime) -> tuple[DeadlineState, bool]:
    """A deadline met in time is ``met``; met after its due time it stays ``breached`` with ``late``."""
    if met_at <= due_at:
        return DeadlineState.MET, False
    return DeadlineState.BREACHED, True


def meet(deadline: Deadline, *, met_at: datetime, now: datetime) -> Deadline:
    state, late = settle_met(due_at=deadline.due_at, met_at=met_at)
    return replace(deadline, state=state, late=late, met_at=met_at, updated_at=now)


def applies(rule_sources: Sequence[str], source: str) -> bool:
    return source in rule_sources
