"""Use cases of the projector: each applies one event's facts to the read model.

Every write is an upsert keyed by the event's own ids, and the facts derived per clue are recomputed
from its task and deadline rows, so events of different topics may arrive in any order, and twice.
"""

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


async def record_clue_received(command: RecordClueReceived, *, uow: UnitOfWork) -> None:
    await uow.clues.record_received(command)
    await uow.clues.refresh(command.clue_id)


async def record_clue_linked(command: RecordClueLinked, *, uow: UnitOfWork) -> None:
    """Linked as the same matter (rule 8): the clue adds no workers or amount of its own."""
    await uow.clues.link(command.clue_id, command.lead_clue_id)


async def record_emergency(command: RecordEmergency, *, uow: UnitOfWork) -> None:
    await uow.clues.mark_emergency(command.clue_id)


async def record_clue_status(command: RecordClueStatus, *, uow: UnitOfWork) -> None:
    """The outcome, the amount paid and the closing time count only once the clue is closed."""
    closed = command.status == "closed"
    await uow.clues.record_status(
        command.clue_id,
        status=command.status,
        division=command.division,
        outcome=command.outcome if closed else None,
        amount_paid=command.amount_paid if closed else None,
        closed_at=command.closed_at if closed else None,
    )
    await uow.clues.refresh(command.clue_id)


async def record_task_assigned(command: RecordTaskAssigned, *, uow: UnitOfWork) -> None:
    await uow.tasks.record_assigned(command)
    await uow.clues.refresh(command.clue_id)


async def record_task_updated(command: RecordTaskUpdated, *, uow: UnitOfWork) -> None:
    """A task's result counts only once it is done."""
    done = command.state == "done"
    await uow.tasks.record_progress(
        command,
        done_at=command.updated_at if done else None,
        resolved=command.resolved if done else None,
        outcome=command.outcome if done else None,
    )
    await uow.clues.refresh(command.clue_id)


async def record_dispute_opened(command: RecordDisputeOpened, *, uow: UnitOfWork) -> None:
    await uow.disputes.record_opened(command)


async def record_dispute_decided(command: RecordDisputeDecided, *, uow: UnitOfWork) -> None:
    await uow.disputes.record_decided(command)
    if command.moved_to_division:
        await uow.clues.move(command.clue_id, command.moved_to_division)
    await uow.clues.refresh(command.clue_id)


async def record_deadline(command: RecordDeadline, *, uow: UnitOfWork) -> None:
    """Any deadline event; a met deadline settles the transfer's 7-day rule."""
    await uow.deadlines.record(command)
    if command.met_at is not None:
        await uow.clues.refresh(command.clue_id)
