"""Projects the events of anxin.intake, anxin.routing and anxin.deadlines into the read model.

Runs as its own consumer group (``anxin-routing-reports``) with its own inbox, so each event is
applied once; event types the reports do not use are ignored.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from routing.reports.app import projection
from routing.reports.app.commands import (
    RecordClueLinked,
    RecordClueReceived,
    RecordClueStatus,
    RecordDeadline,
    RecordDisputeDecided,
    RecordDisputeOpened,
    RecordEmergency,
    RecordTaskAssigned,
    RecordTaskUpdated,
)
from routing.reports.app.ports import UnitOfWork
from shared.dispatch import EventDispatcher, On
from shared.events import CloudEvent

C = TypeVar("C")
C_contra = TypeVar("C_contra", contravariant=True)


class Projection(Protocol[C_contra]):
    def __call__(self, command: C_contra, *, uow: UnitOfWork) -> Awaitable[None]: ...


def _on(decode: Callable[[CloudEvent], C], use_case: Projection[C]) -> On[C, UnitOfWork]:
    async def apply(command: C, uow: UnitOfWork, _: datetime) -> None:
        await use_case(command, uow=uow)

    return On(decode, apply)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without an offset: {value!r}")
    return moment


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error


def clue_received(event: CloudEvent) -> RecordClueReceived:
    data = event.data
    return RecordClueReceived(
        clue_id=data["clue_id"],
        source=data["source"],
        division=data["division"],
        township=data.get("township") or None,
        project_kind=(data.get("project") or {}).get("kind"),
        received_at=_moment(data["received_at"]),
        emergency=bool(data.get("emergency")),
        workers=int(data["workers"]),
        amount_owed=_amount(data["amount_owed"]),
        lead_clue_id=data.get("lead_clue_id"),
    )


def clue_linked(event: CloudEvent) -> RecordClueLinked:
    return RecordClueLinked(clue_id=event.data["clue_id"], lead_clue_id=event.data["lead_clue_id"])


def clue_emergency(event: CloudEvent) -> RecordEmergency:
    return RecordEmergency(clue_id=event.data["clue_id"])


def clue_status(event: CloudEvent) -> RecordClueStatus:
    data = event.data
    # A clue that closed with its lead reports the matter's amount, recovered on the lead: counted there.
    paid = None if data.get("amount_paid_on_lead") else data.get("amount_paid")
    closed_at = data.get("closed_at")
    return RecordClueStatus(
        clue_id=data["clue_id"],
        status=data["status"],
        division=data["division"],
        outcome=data.get("outcome"),
        amount_paid=_amount(paid) if paid is not None else None,
        closed_at=_moment(closed_at) if closed_at else None,
    )


def task_assigned(event: CloudEvent) -> RecordTaskAssigned:
    data = event.data
    return RecordTaskAssigned(
        task_id=data["task_id"],
        clue_id=data["clue_id"],
        kind=data["kind"],
        agency_id=data["agency_id"],
        state=data["state"],
        created_at=_moment(data["created_at"]),
    )


def task_updated(event: CloudEvent) -> RecordTaskUpdated:
    data = event.data
    result = data.get("result") or {}
    return RecordTaskUpdated(
        task_id=data["task_id"],
        clue_id=data["clue_id"],
        kind=data["kind"],
        agency_id=data["agency_id"],
        state=data["state"],
        updated_at=_moment(data["updated_at"]),
        resolved=result.get("resolved"),
        outcome=result.get("outcome"),
    )


def dispute_opened(event: CloudEvent) -> RecordDisputeOpened:
    data = event.data
    return RecordDisputeOpened(
        dispute_id=data["dispute_id"],
        clue_id=data["clue_id"],
        from_agency=data["from_agency"],
        opened_at=event.time,
    )


def dispute_decided(event: CloudEvent) -> RecordDisputeDecided:
    data = event.data
    return RecordDisputeDecided(
        dispute_id=data["dispute_id"],
        clue_id=data["clue_id"],
        from_agency=data["from_agency"],
        decided_at=event.time,
        moved_to_division=data.get("moved_to_division"),
    )


def deadline(event: CloudEvent) -> RecordDeadline:
    data = event.data
    return RecordDeadline(
        deadline_id=data["deadline_id"],
        clue_id=data["clue_id"],
        task_id=data.get("task_id"),
        rule=data["rule"],
        agency_id=data.get("agency_id"),
        due_at=_moment(data["due_at"]),
        state=data["state"],
        late=bool(data.get("late")),
        met_at=event.time if event.type == "deadline.met" else None,
    )


PROJECTIONS: dict[str, On[Any, UnitOfWork]] = {
    "clue.received": _on(clue_received, projection.record_clue_received),
    "clue.linked": _on(clue_linked, projection.record_clue_linked),
    "clue.emergency": _on(clue_emergency, projection.record_emergency),
    "clue.status": _on(clue_status, projection.record_clue_status),
    "task.assigned": _on(task_assigned, projection.record_task_assigned),
    "task.updated": _on(task_updated, projection.record_task_updated),
    "dispute.opened": _on(dispute_opened, projection.record_dispute_opened),
    "dispute.decided": _on(dispute_decided, projection.record_dispute_decided),
    **{
        f"deadline.{kind}": _on(deadline, projection.record_deadline)
        for kind in ("started", "due_soon", "breached", "met", "cancelled", "corrected")
    },
}


def projector(unit_of_work: Callable[..., UnitOfWork]) -> EventDispatcher[UnitOfWork]:
    """The consumer's handler; ``unit_of_work`` builds the unit of work around the batch's session."""
    return EventDispatcher(PROJECTIONS, unit_of_work=unit_of_work)
