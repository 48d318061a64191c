"""Deadlines' outgoing events (``deadline.*``), written to the outbox in the use case's transaction."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from deadlines.app.ports import UnitOfWork
from deadlines.domain.model import Deadline
from shared.api import business_time
from shared.events import new_event

EVENT_SOURCE = "/anxin/deadlines"


async def holders_of(uow: UnitOfWork, clue_id: str) -> list[str]:
    """Agencies holding unfinished tasks on the clue's handling: its own, or its lead's when linked."""
    clue = await uow.clues.get(clue_id)
    handled_by = [clue_id] + ([clue.lead_clue_id] if clue is not None and clue.lead_clue_id else [])
    return await uow.tasks.unfinished_holders(handled_by)


def in_business_time(moment: datetime) -> str:
    """Every timestamp deadlines emits is in business time, like ``due_at``'s ``23:59:59+08:00``."""
    return business_time(moment).isoformat()


async def announce(
    uow: UnitOfWork,
    event_type: str,
    deadline: Deadline,
    *,
    now: datetime,
    extra: Mapping[str, object] | None = None,
) -> None:
    data: dict[str, Any] = {
        "deadline_id": deadline.deadline_id,
        "clue_id": deadline.clue_id,
        "task_id": deadline.task_id,
        "rule": deadline.rule,
        "division": deadline.division,
        "agency_id": deadline.agency_id,
        "starts_on": deadline.starts_on.isoformat(),
        "due_at": in_business_time(deadline.due_at),
        "state": deadline.state,
        "late": deadline.late,
        "provisional": deadline.provisional,
        "holders": await holders_of(uow, deadline.clue_id),
        "dispute_seconds": deadline.dispute_seconds,
        "escalate_to": [],
    }
    for key, value in (extra or {}).items():
        data[key] = in_business_time(value) if isinstance(value, datetime) else value
    await uow.outbox.add(
        new_event(source=EVENT_SOURCE, type=event_type, subject=deadline.clue_id, data=data, time=now)
    )
