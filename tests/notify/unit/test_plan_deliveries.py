"""plan_deliveries against fakes: what notify remembers, and the deliveries each event becomes."""

from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from notify.app.commands import PlanDeliveries
from notify.app.plan_deliveries import plan_deliveries
from notify.consumers.events import events
from notify.domain.model import NOT_SENT_WHILE_DISABLED
from shared.consumer import PoisonMessage
from shared.events import CloudEvent
from tests.notify.unit.fakes import NOW, FakeUnitOfWork

CLUE = "0f8fad5b-d9cb-469f-a165-70867728950e"


def command(event_type: str, data: dict[str, Any], event_id: str = "e-1") -> PlanDeliveries:
    return PlanDeliveries(event_id, event_type, CLUE, NOW - timedelta(seconds=5), data, "00-trace-01")


def status(**overrides: Any) -> dict[str, Any]:
    return {
        "clue_id": CLUE,
        "source": "onsite",
        "submitted_by": "agency:330106.hrss",
        "status": "in_progress",
        "stage": ["verify"],
        "division": "330106",
        **overrides,
    }


def received(**overrides: Any) -> dict[str, Any]:
    return {
        "clue_id": CLUE,
        "source": "opinion",
        "submitted_by": "source:opinion",
        "division": "330106",
        "project": {"kind": "water"},
        "flags": ["media_attention"],
        "complainant_sealed": "v1:xyz",
        **overrides,
    }


async def test_a_subscribed_recipient_gets_a_pending_delivery_without_personal_data() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed("agency:330106.office", ["clue.received"])
    sent = await plan_deliveries(command("clue.received", received()), uow=uow, now=NOW)

    assert sent == ["agency:330106.office"]
    row = uow.deliveries.one()
    assert (row.state, row.next_attempt_at, row.new.clue_id) == ("pending", NOW, CLUE)
    assert (row.new.event_id, row.new.traceparent, row.new.ordered) == ("e-1", "00-trace-01", False)
    assert row.new.payload["type"] == "clue.received"
    assert "complainant_sealed" not in row.new.payload["data"]
    assert uow.clues.rows[CLUE].project_kind == "water"  # remembered for later events


async def test_a_disabled_subscription_gets_its_delivery_as_failed_to_redeliver_later() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed("agency:330106.hrss", ["clue.status"], disabled_at=NOW)
    await plan_deliveries(command("clue.status", status()), uow=uow, now=NOW)
    row = uow.deliveries.one()
    assert (row.state, row.next_attempt_at, row.last_error) == ("failed", None, NOT_SENT_WHILE_DISABLED)
    assert row.new.ordered  # feedback arrives in the order it happened


async def test_nobody_subscribed_to_the_type_gets_nothing_and_an_event_is_planned_once() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed("agency:330106.hrss", ["task.assigned"])
    assert await plan_deliveries(command("clue.status", status()), uow=uow, now=NOW) == []
    uow.subscribed("agency:330106.hrss", ["clue.status"])
    await plan_deliveries(command("clue.status", status()), uow=uow, now=NOW)
    await plan_deliveries(command("clue.status", status()), uow=uow, now=NOW)
    assert len(uow.deliveries.rows) == 1


async def test_task_events_are_remembered_and_address_deadline_notices() -> None:
    uow = FakeUnitOfWork()
    task = {"clue_id": CLUE, "task_id": "t-1", "agency_id": "330106.gov", "state": "open"}
    await plan_deliveries(command("task.assigned", task), uow=uow, now=NOW)
    assert uow.holders.tasks == {"t-1": (CLUE, "330106.gov", "open")}

    uow.subscribed("agency:330106.gov", ["deadline.due_soon"])
    notice = {"clue_id": CLUE, "deadline_id": "d-1", "division": "330106"}
    sent = await plan_deliveries(command("deadline.due_soon", notice, "e-2"), uow=uow, now=NOW)
    assert sent == ["agency:330106.gov"]


async def test_a_status_before_its_clue_remembers_the_source() -> None:
    uow = FakeUnitOfWork()
    await plan_deliveries(command("clue.status", status()), uow=uow, now=NOW)
    assert uow.clues.rows[CLUE].submitted_by == "agency:330106.hrss"


def event(event_type: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id="e-9", source="/anxin/routing", type=event_type, subject=CLUE, time=NOW, dataschema="x", data=data
    )


async def test_the_dispatcher_plans_every_event_type_and_parks_broken_ones() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed("agency:330106.hrss", ["clue.status"])
    handle = events(unit_of_work=lambda _: uow)
    session = cast(AsyncSession, object())
    await handle(session, event("clue.status", status()))
    assert uow.deliveries.one().new.event_id == "e-9"
    with pytest.raises(PoisonMessage, match="status"):
        await handle(session, event("clue.status", {"clue_id": CLUE}))
