"""Routing's copy of the due dates deadlines computes, shown with tasks and cases."""

from __future__ import annotations

from routing.app.commands import RecordDeadline
from routing.app.ports import UnitOfWork
from routing.domain.case import DeadlineView


async def record_deadline(command: RecordDeadline, *, uow: UnitOfWork) -> None:
    await uow.deadlines.put(
        DeadlineView(
            deadline_id=command.deadline_id,
            clue_id=command.clue_id,
            task_id=command.task_id,
            rule=command.rule,
            due_at=command.due_at,
            state=command.state,
            late=command.late,
            provisional=command.provisional,
        )
    )
