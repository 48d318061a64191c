"""Routing's events through intake's dispatcher into the status read model and the task holders."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from intake.app.commands import RecordClueStatus, RecordTaskHolder
from intake.app.routing_feed import record_clue_status, record_task_holder
from intake.app.submit_clue import submit_clue
from intake.consumers.routing_events import routing_events
from intake.domain.model import ClueStatus, EmergencyPolicy
from shared.consumer import PoisonMessage
from shared.events import CloudEvent
from tests.intake.unit.fakes import NOW, SEALER, FakeUnitOfWork, a_submission

SESSION = cast(AsyncSession, object())
POLICY = EmergencyPolicy(min_workers=30, min_amount=Decimal("1000000.00"))


async def a_clue(uow: FakeUnitOfWork) -> str:
    result = await submit_clue(
        a_submission(), uow=uow, now=NOW, policy=POLICY, duplicate_window=timedelta(0), sealer=SEALER
    )
    return result.clue_id


def event(event_type: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id="e-1",
        source="/anxin/routing",
        type=event_type,
        subject=data["clue_id"],
        time=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        dataschema="x",
        data=data,
    )


async def test_record_clue_status_updates_the_read_model() -> None:
    uow = FakeUnitOfWork()
    clue_id = await a_clue(uow)
    await record_clue_status(
        RecordClueStatus(clue_id, "closed", (), "paid_in_full", "86000.00", None, None), uow=uow
    )
    stored = uow.clues.stored[clue_id]
    assert (stored.status, stored.outcome, stored.amount_paid) == (
        ClueStatus.CLOSED,
        "paid_in_full",
        "86000.00",
    )
    assert stored.clue.division == "330106"


async def test_record_task_holder_keeps_the_latest_state() -> None:
    uow = FakeUnitOfWork()
    await record_task_holder(RecordTaskHolder("t-1", "c-1", "330106.gov", "open"), uow=uow)
    await record_task_holder(RecordTaskHolder("t-1", "c-1", "330106.gov", "done"), uow=uow)
    assert uow.holders.tasks == {"t-1": ("c-1", "330106.gov", "done")}


async def test_the_dispatcher_applies_status_and_task_events() -> None:
    uow = FakeUnitOfWork()
    clue_id = await a_clue(uow)
    handle = routing_events(unit_of_work=lambda _: uow)
    status = {
        "clue_id": clue_id,
        "source": "national",
        "submitted_by": "source:national",
        "status": "in_progress",
        "stage": ["verify"],
        "division": "330106",
    }
    await handle(SESSION, event("clue.status", status))
    task = {
        "clue_id": clue_id,
        "task_id": "t-1",
        "kind": "verify",
        "agency_id": "330106.gov",
        "state": "open",
        "reason": "rule 1",
        "division": "330106",
        "created_at": NOW.isoformat(),
    }
    await handle(SESSION, event("task.assigned", task))
    assert uow.clues.stored[clue_id].stage == ["verify"]
    assert uow.holders.tasks == {"t-1": (clue_id, "330106.gov", "open")}


async def test_an_event_breaking_its_schema_is_poison() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(PoisonMessage, match="task_id"):
        await routing_events(unit_of_work=lambda _: uow)(SESSION, event("task.updated", {"clue_id": "c-1"}))
    assert uow.holders.tasks == {}
