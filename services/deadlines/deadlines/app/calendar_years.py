"""Loading a year's official holiday schedule: store it, then recompute the deadlines it moves.

Running deadlines take their new period, and so do breached provisional ones (domain/recompute.py):
a breach that only the fallback calendar caused is undone and announced once as ``deadline.corrected``.
"""

from datetime import date, datetime

from deadlines.app.announce import announce, in_business_time
from deadlines.app.commands import LoadCalendarYear
from deadlines.app.ports import UnitOfWork
from deadlines.domain.deadline import alarms_to_set
from deadlines.domain.model import Alarm
from deadlines.domain.recompute import Recomputation, recompute_deadline
from deadlines.domain.rules import Policy


async def load_calendar_year(cmd: LoadCalendarYear, *, uow: UnitOfWork, now: datetime, policy: Policy) -> int:
    """Store the schedule and recompute every open deadline crossing its year; how many changed."""
    year = cmd.schedule.year
    await uow.calendar.save_year(cmd.schedule, loaded_by=cmd.loaded_by, now=now)
    calendar = await uow.calendar.load()
    before = await uow.deadlines.crossing(date(year, 1, 1), date(year, 12, 31))
    changes: list[Recomputation] = []
    for deadline in before:
        change = recompute_deadline(deadline, calendar, now=now)
        if change is not None:
            changes.append(change)
    alarms: list[tuple[str, Alarm]] = []
    for change in changes:
        if not change.alarms:
            continue
        deadline = change.deadline
        alarms += [
            (deadline.deadline_id, alarm)
            for alarm in alarms_to_set(
                change.period,
                warning_working_days=policy.warning_working_days,
                escalation_days=policy.escalation_days,
                calendar=calendar,
                hours_based=deadline.limit.hours is not None,
                now=now,
            )
        ]
    # Pending alarms are replaced by the new period's; a breach undone drops its fired ones too, so
    # that it can breach again. In bulk, alarms before deadlines: the scheduler locks in that order too.
    await uow.alarms.drop_pending([c.deadline.deadline_id for c in changes if c.alarms and not c.corrected])
    await uow.alarms.drop_all([c.deadline.deadline_id for c in changes if c.alarms and c.corrected])
    await uow.deadlines.save_periods([c.deadline for c in changes])
    await uow.alarms.add(alarms)
    previous = {deadline.deadline_id: deadline for deadline in before}
    for change in changes:
        if not change.corrected:
            continue
        stored = await uow.deadlines.get(change.deadline.deadline_id, refresh=True)
        assert stored is not None
        was = previous[stored.deadline_id]
        await announce(
            uow,
            "deadline.corrected",
            stored,
            now=now,
            extra={
                "corrected_from": {
                    "state": was.state,
                    "due_at": in_business_time(was.due_at),
                    "provisional": was.provisional,
                },
                "calendar_year": year,
            },
        )
    return len(changes)
