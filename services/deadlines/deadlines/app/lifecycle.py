"""How a deadline starts, is met and is cancelled, with its alarms and its events: the steps the
use cases share. None of them commits."""

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from deadlines.app.announce import announce
from deadlines.app.ports import UnitOfWork
from deadlines.domain.alarms import cancellable
from deadlines.domain.calendar import HolidayCalendar
from deadlines.domain.deadline import alarms_to_set, meet, new_deadline
from deadlines.domain.model import Clue, Deadline, Limit
from deadlines.domain.rules import Policy

log = logging.getLogger(__name__)


async def start(
    uow: UnitOfWork,
    *,
    clue: Clue,
    rule: str,
    limit: Limit,
    start_at: datetime,
    task_id: str | None = None,
    agency_id: str | None = None,
    calendar: HolidayCalendar,
    policy: Policy,
    now: datetime,
    scope: str | None = None,
) -> None:
    """Start ``rule`` on the clue, once per scope, announce it and set its alarms."""
    draft, period = new_deadline(
        str(uuid.uuid4()),
        clue=clue,
        rule=rule,
        limit=limit,
        start_at=start_at,
        task_id=task_id,
        agency_id=agency_id,
        calendar=calendar,
        scope=scope,
    )
    deadline = await uow.deadlines.add(draft)
    if deadline is None:
        return
    await announce(uow, "deadline.started", deadline, now=now)
    if period.provisional:
        log.warning(
            "provisional deadline %s (%s, clue %s) crosses a year without an official schedule;"
            " load it with PUT /v1/calendar/years/{year}",
            deadline.deadline_id,
            rule,
            clue.clue_id,
        )
    alarms = alarms_to_set(
        period,
        warning_working_days=policy.warning_working_days,
        escalation_days=policy.escalation_days,
        calendar=calendar,
        hours_based=limit.hours is not None,
        now=now,
    )
    await uow.alarms.replace_pending(deadline.deadline_id, alarms)


async def settle(uow: UnitOfWork, deadlines: Sequence[Deadline], *, met_at: datetime, now: datetime) -> None:
    """Meet each deadline at ``met_at`` (late if past due) and drop its pending alarms."""
    for deadline in deadlines:
        # Alarms first, then the deadline: the scheduler locks in that order too, so no deadlock.
        await uow.alarms.drop_pending([deadline.deadline_id])
        met = meet(deadline, met_at=met_at, now=now)
        await uow.deadlines.save(met)
        await announce(uow, "deadline.met", met, now=now)


async def settle_rule(uow: UnitOfWork, *, clue_id: str, rule: str, met_at: datetime, now: datetime) -> None:
    await settle(uow, await uow.deadlines.open_of_clue(clue_id, rules=[rule]), met_at=met_at, now=now)


async def cancel(uow: UnitOfWork, deadlines: Sequence[Deadline], *, now: datetime) -> None:
    """Cancel the deadlines that still apply, breached ones too, with their pending alarms."""
    for deadline in deadlines:
        if not cancellable(state=deadline.state, met=deadline.met_at is not None):
            continue
        await uow.alarms.drop_pending([deadline.deadline_id])
        cancelled = deadline.cancelled(now=now)
        await uow.deadlines.save(cancelled)
        await announce(uow, "deadline.cancelled", cancelled, now=now)
