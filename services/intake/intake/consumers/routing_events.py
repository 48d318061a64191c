"""Consumes ``anxin.routing``: the status read model and who holds tasks on each clue."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from intake.app.commands import RecordClueStatus, RecordTaskHolder
from intake.app.ports import UnitOfWork
from intake.app.routing_feed import record_clue_status, record_task_holder
from shared.dispatch import EventDispatcher, On
from shared.events import CloudEvent


def clue_status(event: CloudEvent) -> RecordClueStatus:
    data = event.data
    return RecordClueStatus(
        clue_id=data["clue_id"],
        status=data["status"],
        stage=tuple(data.get("stage", [])),
        outcome=data.get("outcome"),
        amount_paid=data.get("amount_paid"),
        division=data.get("division"),
        lead_clue_id=data.get("lead_clue_id"),
    )


def task_holder(event: CloudEvent) -> RecordTaskHolder:
    data = event.data
    return RecordTaskHolder(
        task_id=data["task_id"], clue_id=data["clue_id"], agency_id=data["agency_id"], state=data["state"]
    )


async def _clue_status(cmd: RecordClueStatus, uow: UnitOfWork, _now: datetime) -> None:
    await record_clue_status(cmd, uow=uow)


async def _task_holder(cmd: RecordTaskHolder, uow: UnitOfWork, _now: datetime) -> None:
    await record_task_holder(cmd, uow=uow)


ROUTES: dict[str, On[Any, UnitOfWork]] = {
    "clue.status": On(clue_status, _clue_status),
    "task.assigned": On(task_holder, _task_holder),
    "task.updated": On(task_holder, _task_holder),
}


def routing_events(*, unit_of_work: Callable[[Any], UnitOfWork]) -> EventDispatcher[UnitOfWork]:
    """The handler of the ``routing-events`` subscription; ``unit_of_work`` wraps the consumer's session."""
    return EventDispatcher(ROUTES, unit_of_work=unit_of_work)
