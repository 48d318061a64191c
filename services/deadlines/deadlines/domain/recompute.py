"""Recomputing a deadline when a year's official schedule is loaded. Pure.

Running deadlines take the new period. So do breached provisional ones: a breach under the fallback
calendar (weekends only) is corrected when the official schedule moves the due date into the future,
and a deadline met after its provisional due time is settled again against the official one.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from deadlines.domain.calendar import HolidayCalendar
from deadlines.domain.deadline import period_for, settle_met
from deadlines.domain.model import Deadline, DeadlineState
from deadlines.domain.periods import Period


@dataclass(frozen=True)
class Standing:
    """A deadline as stored: its state and period, and when it was met, if it was."""

    state: str
    due_at: datetime
    provisional: bool
    met_at: datetime | None


@dataclass(frozen=True)
class Recomputed:
    state: str
    late: bool
    due_at: datetime
    provisional: bool
    corrected: bool  # a breach undone: announced once, as ``deadline.corrected``
    alarms: bool  # its pending alarms are set anew from the new period


def needs_recompute(*, state: str, provisional: bool, met: bool, cancelled: bool) -> bool:
    """Running deadlines, and breached ones computed on a provisional calendar."""
    if cancelled:
        return False
    if state == DeadlineState.RUNNING and not met:
        return True
    return state == DeadlineState.BREACHED and provisional


def recompute(standing: Standing, period: Period, *, now: datetime) -> Recomputed | None:
    """The deadline under the new period, or None when nothing changes."""
    if standing.state == DeadlineState.RUNNING:
        if (period.due_at, period.provisional) == (standing.due_at, standing.provisional):
            return None
        return Recomputed(DeadlineState.RUNNING, False, period.due_at, period.provisional, False, True)
    if standing.state != DeadlineState.BREACHED:
        return None
    if standing.met_at is not None:  # met late under the provisional due time: settle again
        state, late = settle_met(due_at=period.due_at, met_at=standing.met_at)
        if (period.due_at, period.provisional, state) == (
            standing.due_at,
            standing.provisional,
            standing.state,
        ):
            return None
        return Recomputed(state, late, period.due_at, period.provisional, state != standing.state, False)
    if period.due_at > now:  # the breach was the fallback calendar's: the deadline runs again
        return Recomputed(DeadlineState.RUNNING, False, period.due_at, period.provisional, True, True)
    if (period.due_at, period.provisional) == (standing.due_at, standing.provisional):
        return None
    # Still past due under the official schedule: it stays breached; escalations follow the new due time.
    return Recomputed(DeadlineState.BREACHED, False, period.due_at, period.provisional, False, True)


@dataclass(frozen=True)
class Recomputation:
    """A deadline as the new calendar has it, with the period its alarms follow."""

    deadline: Deadline
    period: Period
    corrected: bool
    alarms: bool


def recompute_deadline(
    deadline: Deadline, calendar: HolidayCalendar, *, now: datetime
) -> Recomputation | None:
    """The deadline under ``calendar``, or None when it keeps its period (or no longer counts)."""
    met = deadline.met_at is not None
    if not needs_recompute(state=deadline.state, provisional=deadline.provisional, met=met, cancelled=False):
        return None
    period = period_for(
        deadline.limit, start=deadline.start_at, starts_on=deadline.starts_on, calendar=calendar
    )
    standing = Standing(
        state=deadline.state, due_at=deadline.due_at, provisional=deadline.provisional, met_at=deadline.met_at
    )
    outcome = recompute(standing, period, now=now)
    if outcome is None:
        return None
    undone = outcome.corrected and outcome.state == DeadlineState.RUNNING
    changed = replace(
        deadline,
        last_day=period.last_day,
        due_at=outcome.due_at,
        provisional=outcome.provisional,
        state=outcome.state,
        late=outcome.late,
        breached_at=None if undone else deadline.breached_at,
        updated_at=now,
    )
    return Recomputation(changed, period, corrected=outcome.corrected, alarms=outcome.alarms)
