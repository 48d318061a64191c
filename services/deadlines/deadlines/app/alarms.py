"""Firing the alarms whose moment has come: warnings, breaches and escalations (督办)."""

from datetime import datetime

from deadlines.app.announce import announce
from deadlines.app.commands import FireDueAlarms
from deadlines.app.ports import UnitOfWork
from deadlines.domain.alarms import DeadlineStatus, alarm_applies, announcement, may_wait_for_breach


async def fire_due_alarms(cmd: FireDueAlarms, *, uow: UnitOfWork, now: datetime) -> int:
    """Fire the alarms due by ``now``; each is claimed by one instance only. Returns how many fired."""
    fired = 0
    for due in await uow.alarms.claim_due(now=now, limit=cmd.limit):
        await uow.alarms.mark_fired(due.alarm_id, now)
        deadline = await uow.deadlines.get(due.deadline_id, lock=True)
        if deadline is None or due.alarm is None:
            continue
        clue = await uow.clues.get(deadline.clue_id)
        status = DeadlineStatus(
            state=deadline.state,
            met=deadline.met_at is not None,
            cancelled=deadline.cancelled_at is not None,
            clue_closed=clue is not None and clue.closed,
        )
        if not alarm_applies(due.alarm, status):
            if may_wait_for_breach(due.alarm, status) and await uow.alarms.breach_pending(
                deadline.deadline_id
            ):
                await uow.alarms.mark_fired(due.alarm_id, None)  # escalate after the breach
            continue  # met, cancelled or closed since the alarm was set: nothing to announce
        said = announcement(due.alarm, division=deadline.division)
        if said.breaches:
            deadline = deadline.breached(now=now)
            await uow.deadlines.save(deadline)
        await announce(uow, said.event_type, deadline, now=now, extra=said.extra)
        fired += 1
    return fired


async def next_alarm_at(*, uow: UnitOfWork) -> datetime | None:
    return await uow.alarms.next_fire_at()
