"""Deadlines' consumer: each event type becomes its command and reaches its use case."""

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.consumers.events import event_dispatcher
from shared.consumer import PoisonMessage
from shared.events import CloudEvent, new_event
from tests.deadlines.unit.fakes import POLICY, FakeUnitOfWork

SESSION = cast(AsyncSession, object())
SENT = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)


def event(event_type: str, data: dict[str, Any], *, time: datetime = SENT) -> CloudEvent:
    return new_event(source="/anxin/routing", type=event_type, subject=data["clue_id"], data=data, time=time)


def clue_received(clue_id: str) -> dict[str, Any]:
    return {
        "clue_id": clue_id,
        "source": "city",
        "external_id": f"T-{clue_id}",
        "received_at": "2026-11-19T10:00:00+08:00",
        "division": "330106",
        "submitted_by": "source:city",
        "employer": {"name": "测试建设有限公司"},
        "workers": 5,
        "amount_owed": "5000.00",
        "summary": "拖欠工资",
        "flags": [],
        "emergency": False,
        "emergency_reasons": [],
    }


def dispute(state: str) -> dict[str, Any]:
    return {
        "clue_id": "c-1",
        "dispute_id": "d-1",
        "task_id": "t-1",
        "from_agency": "330106.gov",
        "reason": "不属本单位职责",
        "arbiter": "330106.office",
        "state": state,
    }


async def test_events_reach_their_use_cases_and_disputes_are_timed_by_the_event() -> None:
    uow = FakeUnitOfWork()
    handle = event_dispatcher(unit_of_work=lambda _: uow, policy=POLICY)
    await handle(SESSION, event("clue.received", clue_received("c-1")))
    assigned = {
        "clue_id": "c-1",
        "task_id": "t-1",
        "kind": "verify",
        "agency_id": "330106.gov",
        "state": "open",
        "reason": "rule 1",
        "division": "330106",
        "created_at": "2026-11-19T11:00:00+08:00",
    }
    await handle(SESSION, event("task.assigned", assigned))
    opened_at = SENT + timedelta(hours=2)
    await handle(SESSION, event("dispute.opened", dispute("open"), time=opened_at))

    assert [d.rule for d in uow.deadlines.of("c-1")] == ["overall", "acceptance_1wd"]
    (acceptance,) = uow.deadlines.of("c-1", "acceptance_1wd")
    assert acceptance.start_at == datetime.fromisoformat("2026-11-19T11:00:00+08:00")
    assert acceptance.in_dispute_since == opened_at  # routing's moment, not the consumer's clock


async def test_an_event_breaking_its_schema_is_poison() -> None:
    uow = FakeUnitOfWork()
    handle = event_dispatcher(unit_of_work=lambda _: uow, policy=POLICY)
    valid = event("clue.received", clue_received("c-1"))
    broken = valid.model_copy(update={"data": valid.data | {"received_at": None}})
    with pytest.raises(PoisonMessage, match="received_at"):
        await handle(SESSION, broken)
    assert uow.clues.rows == {}
