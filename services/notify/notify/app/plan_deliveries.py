"""Consumed events become deliveries, one per subscribed recipient, in the consumer's transaction."""

import uuid
from datetime import datetime

from notify.app.commands import PlanDeliveries
from notify.app.ports import UnitOfWork
from notify.domain.model import NOT_SENT_WHILE_DISABLED, NewDelivery
from notify.domain.payload import webhook_payload
from notify.domain.recipients import WEBHOOK_EVENT_TYPES, ClueSource, recipients

#: Feedback to a source must arrive in the order it happened (规范反馈).
ORDERED_TYPES = frozenset({"clue.status"})
NEEDS_CLUE = frozenset({"clue.received", "clue.status", "deadline.due_soon", "deadline.breached"})


async def remember(cmd: PlanDeliveries, *, uow: UnitOfWork) -> None:
    """Notify's own view of clues and task holders, needed to address later events."""
    data = cmd.data
    if cmd.event_type == "clue.received":
        project = data.get("project") or {}
        await uow.clues.remember(
            ClueSource(
                clue_id=data["clue_id"],
                source=data["source"],
                submitted_by=data["submitted_by"],
                division=data["division"],
                project_kind=project.get("kind"),
                flags=frozenset(data.get("flags", [])),
            )
        )
    elif cmd.event_type in {"task.assigned", "task.updated"}:
        await uow.holders.record(
            task_id=data["task_id"], clue_id=data["clue_id"], agency_id=data["agency_id"], state=data["state"]
        )
    elif (
        cmd.event_type == "clue.status"
        and data.get("division")
        and data.get("source")
        and data.get("submitted_by")
    ):
        # Topics are not ordered with each other: this may come before intake's clue.received.
        await uow.clues.remember_division(
            data["clue_id"],
            source=data["source"],
            submitted_by=data["submitted_by"],
            division=data["division"],
        )


async def plan_deliveries(cmd: PlanDeliveries, *, uow: UnitOfWork, now: datetime) -> list[str]:
    """Remember the event, then a pending delivery for each subscribed recipient; their principals."""
    await remember(cmd, uow=uow)
    if cmd.event_type not in WEBHOOK_EVENT_TYPES:
        return []
    # Every event passes through here: read only what this type's recipients depend on.
    clue_id = str(cmd.data.get("clue_id") or cmd.subject)
    clue = await uow.clues.get(clue_id) if cmd.event_type in NEEDS_CLUE else None
    holders = (
        await uow.holders.unfinished_agencies(clue_id)
        if cmd.event_type.startswith("deadline.") and "holders" not in cmd.data
        else []
    )
    principals = recipients(cmd.event_type, cmd.data, clue=clue, unfinished_holders=holders)
    if not principals:
        return []
    subscribers = await uow.subscriptions.subscribers(principals)
    wanted = [s for s in subscribers if cmd.event_type in s.events]
    payload = webhook_payload(event_type=cmd.event_type, time=cmd.time, data=cmd.data, subject=cmd.subject)
    # A disabled subscription still gets its record, as failed, to redeliver once it is fixed.
    await uow.deliveries.add_all(
        [
            NewDelivery(
                delivery_id=f"msg_{uuid.uuid4().hex}",
                event_id=cmd.event_id,
                event_type=cmd.event_type,
                clue_id=clue_id,
                principal=s.principal,
                ordered=cmd.event_type in ORDERED_TYPES,
                payload=payload,
                state="failed" if s.disabled else "pending",
                next_attempt_at=None if s.disabled else now,
                last_error=NOT_SENT_WHILE_DISABLED if s.disabled else None,
                event_time=cmd.time,
                traceparent=cmd.traceparent,
            )
            for s in wanted
        ]
    )
    return [s.principal for s in wanted]
