"""Routing's outgoing events: their payloads, and writing them to the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from routing.app.ports import UnitOfWork
from routing.domain.case import Clue, Dispute, Task
from routing.domain.model import TaskState
from shared.api import business_time
from shared.events import new_event
from shared.masking import scrub_free_text
from shared.money import format_amount

EVENT_SOURCE = "/anxin/routing"


def wire_time(moment: datetime | None) -> str | None:
    """A moment as the contract writes it everywhere: ISO 8601 in business time (+08:00)."""
    return business_time(moment).isoformat() if moment is not None else None


async def emit(uow: UnitOfWork, event_type: str, clue_id: str, now: datetime, data: dict[str, Any]) -> None:
    # Notes and reasons are free text: they go out scrubbed of phone and ID numbers (issue 19).
    data = scrub_free_text(data)
    await uow.outbox.add(
        new_event(source=EVENT_SOURCE, type=event_type, subject=clue_id, data=data, time=business_time(now))
    )


def task_data(task: Task, clue: Clue) -> dict[str, Any]:
    """``task.assigned``."""
    return {
        "task_id": task.task_id,
        "clue_id": task.clue_id,
        "kind": task.kind,
        "agency_id": task.agency_id,
        "state": task.state,
        "reason": task.reason,
        "division": clue.division,
        "emergency": clue.emergency,
        "created_at": wire_time(task.created_at),
        "replaces_task_id": task.replaces_task_id,
    }


def task_update_data(
    task: Task, previous: TaskState, now: datetime, *, created_kinds: list[str] | None = None
) -> dict[str, Any]:
    """``task.updated``; ``created_kinds`` only for a completion."""
    data: dict[str, Any] = {
        "task_id": task.task_id,
        "clue_id": task.clue_id,
        "kind": task.kind,
        "agency_id": task.agency_id,
        "state": task.state,
        "previous_state": previous,
        "updated_at": wire_time(now),
        "result": task.result,
    }
    if created_kinds is not None:
        data["created_kinds"] = created_kinds
    return data


def dispute_data(dispute: Dispute) -> dict[str, Any]:
    """``dispute.opened`` and ``dispute.decided``, before their own extra members."""
    return {
        "dispute_id": dispute.dispute_id,
        "clue_id": dispute.clue_id,
        "task_id": dispute.task_id,
        "from_agency": dispute.from_agency,
        "suggested_agency": dispute.suggested_agency,
        "reason": dispute.reason,
        "arbiter": dispute.arbiter,
        "state": dispute.state,
        "decided_assignee": dispute.decided_assignee,
        "new_task_id": dispute.new_task_id,
        "seconds_in_dispute": dispute.seconds_in_dispute,
        "created_at": wire_time(dispute.created_at),
        "decided_at": wire_time(dispute.decided_at),
    }


def status_data(clue: Clue, stage: list[str]) -> dict[str, Any]:
    """``clue.status``: what the clue's source sees."""
    return {
        "clue_id": clue.clue_id,
        "source": clue.source,
        "submitted_by": clue.submitted_by,
        "status": clue.status,
        "stage": stage,
        "outcome": clue.outcome,
        "amount_paid": format_amount(clue.amount_paid) if clue.amount_paid is not None else None,
        "amount_paid_on_lead": clue.amount_paid_on_lead,
        "division": clue.division,
        "lead_clue_id": clue.lead_clue_id,
        "closed_at": wire_time(clue.closed_at),
    }
