"""Turns consumed events into deliveries, one per subscribed recipient, in the consumer's transaction."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify.domain.recipients import WEBHOOK_EVENT_TYPES, ClueSource, recipients
from notify.store.tables import ClueSourceRow, DeliveryRow, SubscriptionRow, TaskHolderRow
from shared.events import CloudEvent
from shared.masking import scrub_free_text

UNFINISHED = ("open", "accepted")
PERSONAL_FIELDS = frozenset({"complainant", "complainant_sealed"})
#: Feedback to a source must arrive in the order it happened (规范反馈).
ORDERED_TYPES = frozenset({"clue.status"})
NEEDS_CLUE = frozenset({"clue.received", "clue.status", "deadline.due_soon", "deadline.breached"})
NOT_SENT_WHILE_DISABLED = "not sent: the subscription was disabled; fix it and redeliver"


def webhook_payload(event: CloudEvent) -> dict[str, Any]:
    """``{"type", "timestamp", "data"}``; data always carries ``clue_id`` and never personal data:
    no complainant, and free text scrubbed of phone and ID numbers (also of events published before
    their producers scrubbed them)."""
    data = scrub_free_text({k: v for k, v in event.data.items() if k not in PERSONAL_FIELDS})
    data.setdefault("clue_id", event.subject)
    return {"type": event.type, "timestamp": event.time.isoformat(), "data": data}


async def remember(session: AsyncSession, event: CloudEvent) -> None:
    """Notify's own view of clues and task holders, needed to address later events."""
    data = event.data
    if event.type == "clue.received":
        project = data.get("project") or {}
        await session.execute(
            pg_insert(ClueSourceRow)
            .values(
                clue_id=data["clue_id"],
                source=data["source"],
                submitted_by=data["submitted_by"],
                division=data["division"],
                project_kind=project.get("kind"),
                flags=list(data.get("flags", [])),
            )
            .on_conflict_do_update(
                index_elements=["clue_id"],
                set_={"project_kind": project.get("kind"), "flags": list(data.get("flags", []))},
            )
        )
    elif event.type in {"task.assigned", "task.updated"}:
        await session.execute(
            pg_insert(TaskHolderRow)
            .values(
                task_id=data["task_id"],
                clue_id=data["clue_id"],
                agency_id=data["agency_id"],
                state=data["state"],
            )
            .on_conflict_do_update(index_elements=["task_id"], set_={"state": data["state"]})
        )
    elif (
        event.type == "clue.status"
        and data.get("division")
        and data.get("source")
        and data.get("submitted_by")
    ):
        # Topics are not ordered with each other: this may come before intake's clue.received.
        await session.execute(
            pg_insert(ClueSourceRow)
            .values(
                clue_id=data["clue_id"],
                source=data["source"],
                submitted_by=data["submitted_by"],
                division=data["division"],
                project_kind=None,
                flags=[],
            )
            .on_conflict_do_update(index_elements=["clue_id"], set_={"division": data["division"]})
        )


async def _clue(session: AsyncSession, clue_id: str) -> ClueSource | None:
    row = await session.get(ClueSourceRow, clue_id)
    if row is None:
        return None
    return ClueSource(
        clue_id=row.clue_id,
        source=row.source,
        submitted_by=row.submitted_by,
        division=row.division,
        project_kind=row.project_kind,
        flags=frozenset(row.flags),
    )


async def _unfinished_holders(session: AsyncSession, clue_id: str) -> list[str]:
    holders = await session.execute(
        select(TaskHolderRow.agency_id).where(
            TaskHolderRow.clue_id == clue_id, TaskHolderRow.state.in_(UNFINISHED)
        )
    )
    return sorted(set(holders.scalars()))


async def plan_deliveries(session: AsyncSession, event: CloudEvent, *, now: datetime) -> list[str]:
    """Create a pending delivery for each subscribed recipient; returns their principals."""
    await remember(session, event)
    if event.type not in WEBHOOK_EVENT_TYPES:
        return []
    # Every event passes through here: read only what this type's recipients depend on.
    clue_id = str(event.data.get("clue_id") or event.subject)
    clue = await _clue(session, clue_id) if event.type in NEEDS_CLUE else None
    holders = (
        await _unfinished_holders(session, clue_id)
        if event.type.startswith("deadline.") and "holders" not in event.data
        else []
    )
    principals = recipients(event.type, event.data, clue=clue, unfinished_holders=holders)
    if not principals:
        return []
    subscribed = (
        await session.execute(
            select(SubscriptionRow.principal, SubscriptionRow.events, SubscriptionRow.disabled_at).where(
                SubscriptionRow.principal.in_(principals)
            )
        )
    ).all()
    disabled = {row.principal for row in subscribed if row.disabled_at is not None}
    wanted = [row.principal for row in subscribed if event.type in row.events]
    payload = webhook_payload(event)
    for principal in wanted:
        # A disabled subscription still gets its record, as failed, to redeliver once it is fixed.
        held = principal in disabled
        await session.execute(
            pg_insert(DeliveryRow)
            .values(
                delivery_id=f"msg_{uuid.uuid4().hex}",
                event_id=event.id,
                event_type=event.type,
                clue_id=clue_id,
                principal=principal,
                ordered=event.type in ORDERED_TYPES,
                payload=payload,
                state="failed" if held else "pending",
                attempts=0,
                next_attempt_at=None if held else now,
                last_error=NOT_SENT_WHILE_DISABLED if held else None,
                event_time=event.time,
                traceparent=event.traceparent,
            )
            .on_conflict_do_nothing(constraint="uq_deliveries_event_principal")
        )
    return wanted
