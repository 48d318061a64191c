"""An agency acts on the task it holds: accept (签收), complete, or return it (退回)."""

from __future__ import annotations

import uuid
from datetime import datetime

from routing.app.closing import close_if_finished
from routing.app.commands import AcceptTask, CompleteTask, ReturnTask
from routing.app.events import dispute_data, emit
from routing.app.handling import assign, lock_clue, status_changed, task_updated
from routing.app.history import record
from routing.app.ports import UnitOfWork
from routing.app.results import ValidationError, parse_result
from routing.domain import rules
from routing.domain.access import Caller, check_holder
from routing.domain.agencies import is_known_agency
from routing.domain.case import Actor, Clue, Dispute, Task
from routing.domain.disputes import PENDING
from routing.domain.errors import InvalidError, NotFoundError, UnknownAgencyError
from routing.domain.model import CompletedTask, TaskKind, TaskState
from shared.problems import field_errors


async def accept_task(command: AcceptTask, *, uow: UnitOfWork, now: datetime) -> Task:
    task, clue = await _held_task(uow, command.caller, command.task_id)
    previous = TaskState(task.state)
    task.state = rules.transition(previous, "accept")
    task.accepted_at = task.updated_at = now
    await record(uow, clue.clue_id, Actor(str(command.caller)), "accepted", now, task_id=task.task_id)
    await task_updated(uow, task, previous, now)
    await status_changed(uow, clue, now)
    return task


async def complete_task(command: CompleteTask, *, uow: UnitOfWork, now: datetime) -> Task:
    """The result by the task's kind; the tasks it creates (rules 1-4); the clue closes (rule 5)."""
    task, clue = await _held_task(uow, command.caller, command.task_id)
    previous = TaskState(task.state)
    next_state = rules.transition(previous, "complete")
    kind = TaskKind(task.kind)
    try:
        result = parse_result(kind, command.body)
    except ValidationError as error:
        raise InvalidError(field_errors(error.errors())) from error
    except ValueError as error:
        raise InvalidError([{"field": "body", "message": str(error)}]) from error
    completed = CompletedTask(kind=kind, agency_id=task.agency_id, result=result, task_id=task.task_id)
    facts = clue.facts(await uow.disputes.decisions(clue.clue_id))
    plans = rules.next_tasks(facts, completed)  # may raise MustEscalate: nothing is saved
    task.state, task.completed_at, task.updated_at = next_state, now, now
    task.result = dict(command.body)
    actor = Actor(str(command.caller))
    await record(uow, clue.clue_id, actor, "completed", now, task_id=task.task_id, detail=task.result)
    for plan in plans:
        await assign(uow, clue, plan, now, created_by=task.task_id)
    await task_updated(uow, task, previous, now, created_kinds=[p.kind for p in plans])
    await close_if_finished(uow, clue, now)
    return task


async def return_task(command: ReturnTask, *, uow: UnitOfWork, now: datetime, max_returns: int) -> Dispute:
    """退回: the task ends ``returned`` and a dispute opens for the arbiter of rule 6."""
    task, clue = await _held_task(uow, command.caller, command.task_id)
    suggested = command.suggested_agency
    if suggested is not None and not is_known_agency(suggested):
        raise UnknownAgencyError(suggested)
    previous = TaskState(task.state)
    task.state, task.updated_at = rules.transition(previous, "return"), now
    arbitration = rules.dispute_arbiter(
        clue.division, suggested, returns=task.lineage_returns + 1, max_returns=max_returns
    )
    dispute = Dispute(
        dispute_id=str(uuid.uuid4()),
        clue_id=clue.clue_id,
        task_id=task.task_id,
        from_agency=task.agency_id,
        suggested_agency=suggested,
        reason=command.reason,
        arbiter=arbitration.arbiter,
        state=PENDING,
        created_at=now,
    )
    await uow.disputes.add(dispute)
    detail = {
        "reason": command.reason,
        "suggested_agency": suggested,
        "arbiter": arbitration.arbiter,
        "why": arbitration.why,
    }
    actor = Actor(str(command.caller))
    await record(uow, clue.clue_id, actor, "returned", now, task_id=task.task_id, detail=detail)
    await task_updated(uow, task, previous, now)
    await emit(uow, "dispute.opened", clue.clue_id, now, dispute_data(dispute) | {"why": arbitration.why})
    await status_changed(uow, clue, now)
    return dispute


async def _held_task(uow: UnitOfWork, caller: Caller, task_id: str) -> tuple[Task, Clue]:
    """The task and its clue, both locked; only the task's agency may act on it."""
    task = await uow.tasks.get(task_id)
    if task is None:
        raise NotFoundError("task")
    clue = await lock_clue(uow, task.clue_id)
    task = await uow.tasks.get(task_id, lock=True)
    assert task is not None
    on_clue = False
    if caller.agency_id is not None and caller.agency_id != task.agency_id:
        on_clue = await uow.tasks.any_on_clue(clue.clue_id, agency_id=caller.agency_id)
    check_holder(caller, task, clue, caller_on_clue=on_clue)
    return task, clue
