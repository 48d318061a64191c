"""Rule 5 over the whole handling: the lead and the clues linked to it close together (办结)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from routing.app.handling import publish_status, status_changed
from routing.app.history import record
from routing.app.ports import UnitOfWork
from routing.app.results import completed_tasks
from routing.domain import rules
from routing.domain.case import SYSTEM, Clue
from routing.domain.model import ClueStatus, TaskState
from shared.money import format_amount


async def close_if_finished(uow: UnitOfWork, clue: Clue, now: datetime) -> None:
    """Close the handling once no task is unfinished and no dispute pending; else publish the stage."""
    root: Clue | None = clue
    if clue.lead_clue_id is not None:
        root = await uow.clues.get(clue.lead_clue_id, lock=True)
    if root is None or root.closed:  # its lead is not here yet
        await status_changed(uow, clue, now)
        return
    tasks = await uow.tasks.in_handling(root.clue_id)
    pending = await uow.disputes.pending_in_handling(root.clue_id)
    if not rules.can_close((TaskState(t.state) for t in tasks), pending):
        await status_changed(uow, clue, now)
        return
    outcome, amount = rules.clue_outcome(completed_tasks(tasks))
    await close(uow, root, outcome=str(outcome), amount_paid=amount, now=now, why="rule 5")
    for follower in await uow.clues.linked_to(root.clue_id, lock=True):
        if not follower.closed:
            why = f"rule 8: closed with its lead clue {root.clue_id}"
            # The matter's amount, recovered on the lead: amount_paid_on_lead tells not to count it twice.
            await close(uow, follower, outcome=str(outcome), amount_paid=amount, now=now, why=why)


async def close(
    uow: UnitOfWork, clue: Clue, *, outcome: str, amount_paid: Decimal | None, now: datetime, why: str
) -> None:
    clue.status, clue.outcome, clue.amount_paid = ClueStatus.CLOSED, outcome, amount_paid
    clue.closed_at = clue.updated_at = now
    detail = {
        "outcome": outcome,
        "amount_paid": format_amount(amount_paid) if amount_paid is not None else None,
        "why": why,
    }
    await record(uow, clue.clue_id, SYSTEM, "closed", now, detail=detail)
    await publish_status(uow, clue, now)
