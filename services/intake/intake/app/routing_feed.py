"""Routing's events kept in intake's read model: each clue's status and who holds its tasks."""

from intake.app.commands import RecordClueStatus, RecordTaskHolder
from intake.app.ports import UnitOfWork


async def record_clue_status(cmd: RecordClueStatus, *, uow: UnitOfWork) -> None:
    await uow.clues.update_status(
        cmd.clue_id,
        status=cmd.status,
        stage=cmd.stage,
        outcome=cmd.outcome,
        amount_paid=cmd.amount_paid,
        division=cmd.division,
        lead_clue_id=cmd.lead_clue_id,
    )


async def record_task_holder(cmd: RecordTaskHolder, *, uow: UnitOfWork) -> None:
    await uow.holders.record(
        task_id=cmd.task_id, clue_id=cmd.clue_id, agency_id=cmd.agency_id, state=cmd.state
    )
