"""Issue 18 in the use cases: moments in +08:00 in routing's events, strict booleans, a linked clue's
amount recovered on its lead."""

from __future__ import annotations

import pytest

from routing.app.clues import receive_clue
from routing.app.commands import AcceptTask, CompleteTask, DecideDispute, ReturnTask
from routing.app.disputes import decide_dispute
from routing.app.tasks import accept_task, complete_task, return_task
from routing.domain.errors import InvalidError
from routing.domain.model import ClueStatus, TaskKind, TaskState
from tests.routing.unit.fakes import DIVISION, NOW, FakeUnitOfWork, agency, open_task, received

pytestmark = pytest.mark.unit

GOV = agency(f"{DIVISION}.gov")
OFFICE = agency(f"{DIVISION}.office")
RESOLVED = {"substantiated": True, "resolved": True, "amount_paid": "86000.00", "note": "paid"}


async def test_every_moment_in_routing_events_is_in_business_time() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("c-1"), uow=uow, now=NOW)
    task_id = open_task(uow, "c-1", TaskKind.RESOLVE).task_id
    dispute = await return_task(
        ReturnTask(GOV, task_id, reason="不属本单位", suggested_agency=None), uow=uow, now=NOW, max_returns=2
    )
    await decide_dispute(
        DecideDispute(OFFICE, dispute.dispute_id, assignee=f"{DIVISION}.gov", note=""), uow=uow, now=NOW
    )
    again = open_task(uow, "c-1", TaskKind.RESOLVE).task_id
    await accept_task(AcceptTask(GOV, again), uow=uow, now=NOW)
    await complete_task(CompleteTask(GOV, again, RESOLVED), uow=uow, now=NOW)

    moments = {
        (kind, name): data[name]
        for kind in ("task.assigned", "task.updated", "clue.status", "dispute.opened", "dispute.decided")
        for data in uow.outbox.of_type(kind)
        for name in ("created_at", "updated_at", "closed_at", "decided_at")
        if data.get(name) is not None
    }
    assert set(moments.values()) == {"2026-12-04T16:00:00+08:00"}
    assert {kind for kind, _ in moments} == {
        "task.assigned",
        "task.updated",
        "clue.status",
        "dispute.opened",
        "dispute.decided",
    }


async def test_a_string_or_a_number_for_a_boolean_is_refused_naming_each_field() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("c-1"), uow=uow, now=NOW)
    task_id = open_task(uow, "c-1", TaskKind.RESOLVE).task_id
    await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    body = RESOLVED | {"substantiated": "yes", "escalate": 1, "needs_case": "false"}
    with pytest.raises(InvalidError) as caught:
        await complete_task(CompleteTask(GOV, task_id, body), uow=uow, now=NOW)
    assert {e["field"] for e in caught.value.errors or []} == {"substantiated", "escalate", "needs_case"}
    assert uow.tasks.rows[task_id].state == TaskState.ACCEPTED


async def test_a_linked_clue_closes_with_its_lead_s_amount_recovered_on_the_lead() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("lead"), uow=uow, now=NOW)
    await receive_clue(received("c-2", lead_clue_id="lead"), uow=uow, now=NOW)
    task_id = open_task(uow, "lead", TaskKind.RESOLVE).task_id
    await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    await complete_task(CompleteTask(GOV, task_id, RESOLVED), uow=uow, now=NOW)

    lead, follower = uow.clues.rows["lead"], uow.clues.rows["c-2"]
    assert (lead.status, follower.status) == (ClueStatus.CLOSED, ClueStatus.CLOSED)
    assert (str(follower.amount_paid), follower.amount_paid_on_lead) == ("86000.00", True)
    assert (str(lead.amount_paid), lead.amount_paid_on_lead) == ("86000.00", False)
    closed = {e["clue_id"]: e for e in uow.outbox.of_type("clue.status") if e["status"] == "closed"}
    assert (closed["c-2"]["amount_paid"], closed["c-2"]["amount_paid_on_lead"]) == ("86000.00", True)
    assert (closed["lead"]["amount_paid"], closed["lead"]["amount_paid_on_lead"]) == ("86000.00", False)
