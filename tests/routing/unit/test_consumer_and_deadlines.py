"""Routing's consumer: events decoded into commands and applied; record_deadline; what goes to the DLQ."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from routing.app.commands import RecordDeadline
from routing.app.deadlines import record_deadline
from routing.consumers.events import routing_events
from routing.domain.case import DeadlineView
from shared.consumer import PoisonMessage
from shared.events import CloudEvent, new_event
from shared.sealing import seal_personal_fields
from shared.settings import CommonSettings, Mode
from tests.routing.unit.fakes import NOW, FakeUnitOfWork
from tests.support.clues import clue_payload

pytestmark = pytest.mark.unit

SESSION = cast(AsyncSession, object())
SEALER = CommonSettings(_env_file=None, mode=Mode.DEVELOPMENT, personal_data_key=None).personal_data_sealer()


def clue_received(clue_id: str, **overrides: Any) -> CloudEvent:
    assert SEALER is not None
    content = {k: v for k, v in clue_payload(**overrides).items() if k != "source_payload"}
    data = seal_personal_fields(content, SEALER, clue_id=clue_id)
    data.update(
        clue_id=clue_id,
        submitted_by="source:national",
        emergency=False,
        emergency_reasons=[],
        lead_clue_id=None,
    )
    return new_event(source="/tests", type="clue.received", subject=clue_id, data=data, time=NOW)


def deadline_started(clue_id: str) -> CloudEvent:
    data = {
        "clue_id": clue_id,
        "deadline_id": "d-1",
        "rule": "verify",
        "division": "330106",
        "starts_on": "2026-12-04",
        "due_at": "2026-12-11T09:00:00+08:00",
        "state": "running",
        "late": False,
        "provisional": False,
        "holders": ["330106.gov"],
    }
    return new_event(source="/tests", type="deadline.started", subject=clue_id, data=data, time=NOW)


async def test_clue_received_is_opened_decoded_and_routed() -> None:
    uow = FakeUnitOfWork()
    clue_id = str(uuid.uuid4())
    await routing_events(unit_of_work=lambda _: uow, sealer=SEALER)(SESSION, clue_received(clue_id))
    clue = uow.clues.rows[clue_id]
    assert clue.snapshot["complainant"]["name"] == "张三"  # opened for the clue's holders
    assert [(t.kind, t.agency_id) for t in uow.tasks.of(clue_id)] == [("verify", "330106.gov")]


async def test_a_clue_that_does_not_open_goes_to_the_dlq() -> None:
    uow = FakeUnitOfWork()
    event = clue_received(str(uuid.uuid4()))
    other = clue_received(str(uuid.uuid4()))
    event = event.model_copy(
        update={"data": {**event.data, "complainant_sealed": other.data["complainant_sealed"]}}
    )
    with pytest.raises(PoisonMessage, match=r"clue\.received"):
        await routing_events(unit_of_work=lambda _: uow, sealer=SEALER)(SESSION, event)
    assert uow.clues.rows == {}


async def test_a_clue_in_no_division_breaks_a_rule_and_goes_to_the_dlq() -> None:
    uow = FakeUnitOfWork()
    event = clue_received(str(uuid.uuid4()), division="330199")
    with pytest.raises(PoisonMessage, match="unknown division"):
        await routing_events(unit_of_work=lambda _: uow, sealer=SEALER)(SESSION, event)


async def test_deadline_events_record_the_due_date() -> None:
    uow = FakeUnitOfWork()
    await routing_events(unit_of_work=lambda _: uow, sealer=SEALER)(SESSION, deadline_started("c-1"))
    view = uow.deadlines.rows["d-1"]
    assert (view.clue_id, view.state, view.due_at) == (
        "c-1",
        "running",
        datetime(2026, 12, 11, 1, tzinfo=UTC),
    )


async def test_record_deadline_replaces_the_due_date_by_its_id() -> None:
    uow = FakeUnitOfWork()
    due = datetime(2026, 12, 11, 1, tzinfo=UTC)
    command = RecordDeadline("d-1", "c-1", "t-1", "verify", due, "running", late=False, provisional=True)
    await record_deadline(command, uow=uow)
    await record_deadline(RecordDeadline("d-1", "c-1", "t-1", "verify", due, "met", False, False), uow=uow)
    assert uow.deadlines.rows == {
        "d-1": DeadlineView("d-1", "c-1", "t-1", "verify", due, "met", False, False)
    }
