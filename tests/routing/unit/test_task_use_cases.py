"""accept_task, complete_task, return_task and decide_dispute against the in-memory ports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from routing.app.clues import receive_clue
from routing.app.commands import AcceptTask, CompleteTask, DecideDispute, ReturnTask
from routing.app.disputes import decide_dispute
from routing.app.tasks import accept_task, complete_task, return_task
from routing.domain.errors import (
    IllegalTransition,
    InvalidError,
    MustEscalate,
    NotArbiter,
    NotFoundError,
    NotHolder,
    UnknownAgencyError,
)
from routing.domain.model import ClueStatus, TaskKind, TaskState
from routing.domain.timeline import verify_chain
from shared.auth import Principal
from tests.routing.unit.fakes import DIVISION, NOW, FakeUnitOfWork, agency, open_task, received

pytestmark = pytest.mark.unit

GOV = agency(f"{DIVISION}.gov")
OFFICE = agency(f"{DIVISION}.office")
CITY_OFFICE = agency("330100.office")
RESOLVED = {"substantiated": True, "resolved": True, "amount_paid": "1200.00", "note": "paid"}


async def a_clue(uow: FakeUnitOfWork) -> str:
    await receive_clue(received("c-1"), uow=uow, now=NOW)
    return open_task(uow, "c-1", TaskKind.RESOLVE).task_id


async def test_the_holder_accepts_its_task() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    task = await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    assert (task.state, task.accepted_at) == (TaskState.ACCEPTED, NOW)
    assert uow.timeline.actions("c-1")[-1] == "accepted"
    (update,) = uow.outbox.of_type("task.updated")
    assert (update["state"], update["previous_state"]) == ("accepted", "open")
    with pytest.raises(IllegalTransition, match="cannot accept a task that is accepted") as caught:
        await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    assert caught.value.extra == {"current_state": "accepted"}


async def test_others_who_see_the_task_may_not_act_and_strangers_do_not_see_it() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    with pytest.raises(NotHolder, match=f"only {DIVISION}.gov"):
        await accept_task(AcceptTask(OFFICE, task_id), uow=uow, now=NOW)
    with pytest.raises(NotHolder):
        await accept_task(AcceptTask(Principal.parse("source:city"), task_id), uow=uow, now=NOW)
    with pytest.raises(NotFoundError):
        await accept_task(AcceptTask(agency("330110.gov"), task_id), uow=uow, now=NOW)
    with pytest.raises(NotFoundError):
        await accept_task(AcceptTask(GOV, "no-such-task"), uow=uow, now=NOW)
    assert uow.tasks.rows[task_id].state == TaskState.OPEN


async def test_a_resolved_resolve_closes_the_clue() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    task = await complete_task(CompleteTask(GOV, task_id, RESOLVED), uow=uow, now=NOW)

    assert (task.state, task.result) == (TaskState.DONE, RESOLVED)
    clue = uow.clues.rows["c-1"]
    assert (clue.status, clue.outcome, clue.amount_paid) == (
        ClueStatus.CLOSED,
        "resolved",
        Decimal("1200.00"),
    )
    assert uow.timeline.actions("c-1")[-2:] == ["completed", "closed"]
    assert verify_chain(uow.timeline.entries["c-1"]).valid
    assert uow.outbox.of_type("task.updated")[-1]["created_kinds"] == []
    closed = uow.outbox.of_type("clue.status")[-1]
    assert (closed["status"], closed["outcome"], closed["amount_paid"], closed["stage"]) == (
        "closed",
        "resolved",
        "1200.00",
        [],
    )


async def test_an_escalated_resolve_creates_the_next_tasks() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    body = {"substantiated": True, "resolved": False, "escalate": True, "note": ""}
    await complete_task(CompleteTask(GOV, task_id, body), uow=uow, now=NOW)
    created = open_task(uow, "c-1", TaskKind.INVESTIGATE)
    assert (created.agency_id, created.created_by_task_id) == (f"{DIVISION}.hrss", task_id)
    assert uow.outbox.of_type("task.updated")[-1]["created_kinds"] == ["investigate"]
    assert uow.clues.rows["c-1"].status == ClueStatus.IN_PROGRESS


async def test_a_completion_that_breaks_its_kind_or_rule_2d_saves_nothing() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    await accept_task(AcceptTask(GOV, task_id), uow=uow, now=NOW)
    events = len(uow.outbox.events)
    with pytest.raises(InvalidError) as caught:
        await complete_task(CompleteTask(GOV, task_id, {"substantiated": "maybe"}), uow=uow, now=NOW)
    assert {e["field"] for e in caught.value.errors or []} >= {"substantiated", "resolved"}
    body = {"substantiated": True, "resolved": False, "note": ""}
    with pytest.raises(MustEscalate):
        await complete_task(CompleteTask(GOV, task_id, body), uow=uow, now=NOW)
    assert uow.tasks.rows[task_id].state == TaskState.ACCEPTED
    assert len(uow.outbox.events) == events


async def test_a_returned_task_opens_a_dispute_for_the_division_office() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    command = ReturnTask(GOV, task_id, reason="not ours", suggested_agency=f"{DIVISION}.transport")
    dispute = await return_task(command, uow=uow, now=NOW, max_returns=2)

    assert uow.disputes.rows[dispute.dispute_id] is dispute
    assert (dispute.arbiter, dispute.state, dispute.from_agency) == (
        f"{DIVISION}.office",
        "pending",
        GOV.name,
    )
    assert uow.tasks.rows[task_id].state == TaskState.RETURNED
    (opened,) = uow.outbox.of_type("dispute.opened")
    assert opened["why"] == "rule 6: the division office arbitrates"
    assert uow.timeline.entries["c-1"][-1].detail["arbiter"] == f"{DIVISION}.office"
    with pytest.raises(UnknownAgencyError):
        await return_task(
            ReturnTask(GOV, task_id, reason="x", suggested_agency="330106.nobody"),
            uow=uow,
            now=NOW,
            max_returns=2,
        )


async def test_a_task_returned_more_than_max_returns_goes_to_the_city_office() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    uow.tasks.rows[task_id].lineage_returns = 2
    dispute = await return_task(ReturnTask(GOV, task_id, "again", None), uow=uow, now=NOW, max_returns=2)
    assert dispute.arbiter == "330100.office"
    assert "returned 3 times (more than 2)" in uow.outbox.of_type("dispute.opened")[0]["why"]


async def test_the_arbiter_decides_and_the_new_task_replaces_the_returned_one() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    dispute = await return_task(ReturnTask(GOV, task_id, "not ours", None), uow=uow, now=NOW, max_returns=2)
    command = DecideDispute(OFFICE, dispute.dispute_id, assignee="330110.gov", note="")
    with pytest.raises(NotArbiter, match="outside division"):
        await decide_dispute(command, uow=uow, now=NOW)
    command = DecideDispute(agency("330110.office"), dispute.dispute_id, assignee=f"{DIVISION}.drc", note="")
    with pytest.raises(NotFoundError):
        await decide_dispute(command, uow=uow, now=NOW)

    command = DecideDispute(OFFICE, dispute.dispute_id, assignee=f"{DIVISION}.drc", note="yours")
    decided = await decide_dispute(command, uow=uow, now=NOW)
    new_task = uow.tasks.rows[decided.new_task_id or ""]
    assert (new_task.kind, new_task.agency_id, new_task.replaces_task_id) == (
        TaskKind.RESOLVE,
        f"{DIVISION}.drc",
        task_id,
    )
    assert new_task.lineage_returns == 1
    assert (decided.state, decided.decided_by, decided.seconds_in_dispute) == ("decided", str(OFFICE), 0)
    (event,) = uow.outbox.of_type("dispute.decided")
    assert (event["decided_assignee"], event["moved_to_division"]) == (f"{DIVISION}.drc", None)
    with pytest.raises(IllegalTransition):
        await decide_dispute(command, uow=uow, now=NOW)


async def test_the_city_office_moves_the_clue_to_another_division() -> None:
    uow = FakeUnitOfWork()
    task_id = await a_clue(uow)
    dispute = await return_task(
        ReturnTask(GOV, task_id, "theirs", "330110.gov"), uow=uow, now=NOW, max_returns=2
    )
    assert dispute.arbiter == "330100.office"
    command = DecideDispute(CITY_OFFICE, dispute.dispute_id, assignee="330110.gov", note="")
    await decide_dispute(command, uow=uow, now=NOW)
    assert uow.clues.rows["c-1"].division == "330110"
    assert "moved" in uow.timeline.actions("c-1")
    assert uow.outbox.of_type("clue.status")[-1]["division"] == "330110"
