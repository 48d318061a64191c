"""争议仲裁: the arbiter decides who handles a returned task (rule 6)."""

from __future__ import annotations

from datetime import datetime

from routing.app.commands import DecideDispute
from routing.app.events import dispute_data, emit
from routing.app.handling import assign, lock_clue, status_changed
from routing.app.history import record
from routing.app.ports import UnitOfWork
from routing.domain import rules
from routing.domain.access import check_arbiter, check_assignee_division
from routing.domain.agencies import is_known_agency
from routing.domain.case import Actor, Dispute
from routing.domain.disputes import DECIDED, PENDING
from routing.domain.errors import IllegalTransition, NotFoundError, UnknownAgencyError
from routing.domain.model import TaskKind, TaskPlan


async def decide_dispute(command: DecideDispute, *, uow: UnitOfWork, now: datetime) -> Dispute:
    """The same kind of task anew for the assignee; an assignee in another division takes the clue there."""
    dispute = await uow.disputes.get(command.dispute_id)
    if dispute is None:
        raise NotFoundError("dispute")
    clue = await lock_clue(uow, dispute.clue_id)
    caller, assignee = command.caller, command.assignee
    check_arbiter(caller, dispute, clue)
    if dispute.state != PENDING:
        raise IllegalTransition(dispute.state, "decide")
    if not is_known_agency(assignee):
        raise UnknownAgencyError(assignee)
    check_assignee_division(caller, clue, assignee)
    returned = await uow.tasks.get(dispute.task_id)
    assert returned is not None
    actor = Actor(str(caller))
    moved_to = rules.decision_moves_clue(clue.division, assignee)
    if moved_to is not None:
        await record(uow, clue.clue_id, actor, "moved", now, detail={"from": clue.division, "to": moved_to})
        clue.division = moved_to
    plan = TaskPlan(
        kind=TaskKind(returned.kind),
        agency_id=assignee,
        reason=f"rule 6: dispute {dispute.dispute_id} decided by {caller}: {command.note}".strip(": "),
    )
    new_task = await assign(uow, clue, plan, now, created_by=returned.created_by_task_id, replaces=returned)
    dispute.state, dispute.decided_assignee, dispute.decision_note = DECIDED, assignee, command.note
    dispute.decided_by, dispute.decided_at, dispute.new_task_id = str(caller), now, new_task.task_id
    dispute.seconds_in_dispute = int((now - dispute.created_at).total_seconds())
    detail = {"assignee": assignee, "note": command.note, "moved_to": moved_to}
    await record(uow, clue.clue_id, actor, "decided", now, task_id=returned.task_id, detail=detail)
    data = dispute_data(dispute) | {"moved_to_division": moved_to}
    await emit(uow, "dispute.decided", clue.clue_id, now, data)
    await status_changed(uow, clue, now)
    return dispute
