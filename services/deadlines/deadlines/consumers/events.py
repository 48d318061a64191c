"""Consumes ``anxin.intake`` and ``anxin.routing``: each event type becomes a command for one use case."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from deadlines.app.clues import apply_clue_status, start_clue_deadlines
from deadlines.app.commands import (
    ApplyClueStatus,
    RecordDispute,
    StartClueDeadlines,
    TrackTask,
    UpdateTask,
)
from deadlines.app.disputes import record_dispute
from deadlines.app.ports import UnitOfWork
from deadlines.app.tasks import track_task, update_task
from deadlines.domain.rules import Policy
from shared.dispatch import EventDispatcher, On
from shared.events import CloudEvent


def _moment(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def clue_received(event: CloudEvent) -> StartClueDeadlines:
    data = event.data
    return StartClueDeadlines(
        clue_id=data["clue_id"],
        source=data["source"],
        division=data["division"],
        received_at=datetime.fromisoformat(data["received_at"]),
        submitted_by=data["submitted_by"],
        lead_clue_id=data.get("lead_clue_id"),
    )


def task_assigned(event: CloudEvent) -> TrackTask:
    data = event.data
    return TrackTask(
        task_id=data["task_id"],
        clue_id=data["clue_id"],
        kind=data["kind"],
        agency_id=data["agency_id"],
        state=data["state"],
        assigned_at=_moment(data.get("created_at")),
        replaces_task_id=data.get("replaces_task_id"),
    )


def task_updated(event: CloudEvent) -> UpdateTask:
    data = event.data
    return UpdateTask(
        task_id=data["task_id"],
        clue_id=data["clue_id"],
        kind=data.get("kind", ""),
        state=data["state"],
        updated_at=_moment(data.get("updated_at")),
        created_kinds=tuple(data.get("created_kinds") or ()),
    )


def clue_status(event: CloudEvent) -> ApplyClueStatus:
    data = event.data
    return ApplyClueStatus(
        clue_id=data["clue_id"],
        status=data["status"],
        relinked="lead_clue_id" in data,  # present, even as null: the event says the clue's lead anew
        lead_clue_id=data.get("lead_clue_id"),
        division=data.get("division") or None,
        closed_at=_moment(data.get("closed_at")),
    )


def dispute(event: CloudEvent) -> RecordDispute:
    # Disputes are timed by routing's clock: when it opened and decided them.
    return RecordDispute(
        task_id=event.data["task_id"],
        decided=event.type == "dispute.decided",
        at=event.time,
        new_task_id=event.data.get("new_task_id"),
    )


def event_dispatcher(
    *, unit_of_work: Callable[[Any], UnitOfWork], policy: Policy
) -> EventDispatcher[UnitOfWork]:
    """The consumer's handler; ``unit_of_work`` builds the ports around the batch's session."""

    async def on_dispute(cmd: RecordDispute, uow: UnitOfWork, _now: datetime) -> None:
        await record_dispute(cmd, uow=uow)

    routes: dict[str, On[Any, UnitOfWork]] = {
        "clue.received": On(
            clue_received, lambda cmd, uow, now: start_clue_deadlines(cmd, uow=uow, now=now, policy=policy)
        ),
        "task.assigned": On(
            task_assigned, lambda cmd, uow, now: track_task(cmd, uow=uow, now=now, policy=policy)
        ),
        "task.updated": On(
            task_updated, lambda cmd, uow, now: update_task(cmd, uow=uow, now=now, policy=policy)
        ),
        "clue.status": On(
            clue_status, lambda cmd, uow, now: apply_clue_status(cmd, uow=uow, now=now, policy=policy)
        ),
        "dispute.opened": On(dispute, on_dispute),
        "dispute.decided": On(dispute, on_dispute),
    }
    return EventDispatcher(routes, unit_of_work=unit_of_work)
