"""The projector's dispatch table: each event type becomes its command and reaches its use case."""

import uuid
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.consumers.projector import PROJECTIONS, projector
from shared.consumer import PoisonMessage
from shared.events import CloudEvent
from shared.events.schemas import TOPIC_TYPES
from tests.reports.events import clue_received, clue_status, deadline, task_done
from tests.reports.unit.fakes import FakeUnitOfWork

TZ = ZoneInfo("Asia/Shanghai")
SESSION = cast(AsyncSession, object())
CLUE = str(uuid.uuid4())


def at(day: int) -> datetime:
    return datetime(2024, 5, day, 10, tzinfo=TZ)


async def project(uow: FakeUnitOfWork, *events: CloudEvent) -> None:
    handler = projector(lambda _: uow)
    for event in events:
        await handler(SESSION, event)


def test_every_event_type_of_the_three_topics_is_projected() -> None:
    assert set(PROJECTIONS) == {t for types in TOPIC_TYPES.values() for t in types}


async def test_a_received_clue_is_decoded_into_its_facts() -> None:
    uow = FakeUnitOfWork()
    await project(uow, clue_received(CLUE, at(1), township="", project={"name": "路", "kind": "transport"}))
    row = uow.clues.rows[CLUE]
    assert (row["township"], row["project_kind"], row["received_at"]) == (None, "transport", at(1))
    assert uow.clues.refreshed == [CLUE]


async def test_a_task_result_and_a_met_deadline_carry_their_moments() -> None:
    uow = FakeUnitOfWork()
    await project(
        uow,
        task_done(CLUE, "t-1", "industry_resolve", "330106.construction", at(5), resolved=True),
        deadline("deadline.met", CLUE, "dl-1", "transfer_7d", at(8), at(6), state="met", late=False),
    )
    assert uow.tasks.rows["t-1"]["done_at"] == at(5)
    assert uow.tasks.rows["t-1"]["resolved"] is True
    assert uow.deadlines.rows["dl-1"]["settled_at"] == at(6)


async def test_a_matter_recovered_on_its_lead_is_counted_once() -> None:
    """Rule 8: a linked clue closes with its lead's total (amount_paid_on_lead); the lead carries it."""
    lead, linked = str(uuid.uuid4()), str(uuid.uuid4())
    on_lead = clue_status(linked, at(9), status="closed", outcome="resolved", paid="86000.00")
    on_lead.data["amount_paid_on_lead"] = True
    uow = FakeUnitOfWork()
    await project(
        uow, clue_status(lead, at(9), status="closed", outcome="resolved", paid="86000.00"), on_lead
    )
    assert str(uow.clues.rows[lead]["amount_paid"]) == "86000.00"
    assert uow.clues.rows[linked]["amount_paid"] is None
    assert uow.clues.rows[linked]["outcome"] == "resolved"


@pytest.mark.parametrize(
    "data",
    [{"received_at": "2024-05-01T10:00:00"}, {"amount_owed": "many"}, {"workers": None}],
    ids=["naive timestamp", "no amount", "schema"],
)
async def test_an_event_that_cannot_be_applied_is_poison(data: dict[str, Any]) -> None:
    uow = FakeUnitOfWork()
    event = clue_received(CLUE, at(1))
    with pytest.raises(PoisonMessage):
        await project(uow, event.model_copy(update={"data": event.data | data}))
    assert uow.clues.rows == {}
