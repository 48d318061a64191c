"""Steps every use case shares: lock a clue, assign a task, tell the sources what changed.

One clue's changes are serialised by its row lock; a linked clue's lead is locked first, in the
order closing locks them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from routing.app.events import emit, status_data, task_data, task_update_data
from routing.app.history import record
from routing.app.ports import UnitOfWork
from routing.domain.case import SYSTEM, Clue, Task
from routing.domain.errors import NotFoundError
from routing.domain.model import ClueStatus, TaskPlan, TaskState


async def lock_clue(uow: UnitOfWork, clue_id: str) -> Clue:
    """The clue, locked after its lead; ``NotFoundError`` when there is none."""
    clue = await uow.clues.get(clue_id)
    if clue is None:
        raise NotFoundError("clue")
    if clue.lead_clue_id is not None:
        await uow.clues.get(clue.lead_clue_id, lock=True)
    locked = await uow.clues.get(clue_id, lock=True)
    assert locked is not None
    return locked


async def assign(
    uow: UnitOfWork,
    clue: Clue,
    plan: TaskPlan,
    now: datetime,
    *,
    created_by: str | None,
    replaces: Task | None = None,
) -> Task:
    """A new open task for the plan's agency: saved, on the timeline and in ``task.assigned``."""
    task = Task(
        task_id=str(uuid.uuid4()),
        clue_id=clue.clue_id,
        kind=plan.kind,
        agency_id=plan.agency_id,
        state=TaskState.OPEN,
        reason=plan.reason,
        replaces_task_id=replaces.task_id if replaces else None,
        created_by_task_id=created_by,
        lineage_returns=replaces.lineage_returns + 1 if replaces else 0,
        created_at=now,
        updated_at=now,
    )
    await uow.tasks.add(task)
    detail = {"kind": task.kind, "agency_id": task.agency_id, "reason": task.reason}
    await record(uow, clue.clue_id, SYSTEM, "assigned", now, task_id=task.task_id, detail=detail)
    await emit(uow, "task.assigned", clue.clue_id, now, task_data(task, clue))
    return task


async def task_updated(
    uow: UnitOfWork, task: Task, previous: TaskState, now: datetime, *, created_kinds: list[str] | None = None
) -> None:
    await emit(
        uow,
        "task.updated",
        task.clue_id,
        now,
        task_update_data(task, previous, now, created_kinds=created_kinds),
    )


async def status_changed(uow: UnitOfWork, clue: Clue, now: datetime) -> None:
    """Publish ``clue.status`` for the whole handling when the status or the stage changed."""
    if clue.status == ClueStatus.RECEIVED and await uow.tasks.any_unfinished(clue.clue_id):
        clue.status = ClueStatus.IN_PROGRESS
    clue.updated_at = now
    root = clue if clue.lead_clue_id is None else await uow.clues.get(clue.lead_clue_id)
    if root is None:  # awaiting its lead
        await publish_status(uow, clue, now)
        return
    await publish_status(uow, root, now)
    for follower in await uow.clues.linked_to(root.clue_id):
        follower.division = root.division
        await publish_status(uow, follower, now)


async def publish_status(uow: UnitOfWork, clue: Clue, now: datetime) -> None:
    """``clue.status`` only when something a source sees changed (status, stage, outcome, division)."""
    stage = [] if clue.closed else await uow.tasks.unfinished_kinds(clue.root_id)
    data = status_data(clue, stage)
    if data == clue.published_status:
        return
    clue.published_status = data
    await emit(uow, "clue.status", clue.clue_id, now, data)
