"""receive_clue, link_clue and unlink_clue against the in-memory ports."""

from __future__ import annotations

import pytest

from routing.app.clues import link_clue, receive_clue, unlink_clue
from routing.app.commands import LinkClue, UnlinkClue
from routing.domain.errors import ConflictError, NotArbiter, NotFoundError
from routing.domain.model import ClueStatus, TaskKind
from routing.domain.timeline import verify_chain
from tests.routing.unit.fakes import DIVISION, NOW, FakeUnitOfWork, agency, received

pytestmark = pytest.mark.unit


async def test_a_new_clue_gets_its_first_task_on_the_timeline_and_in_the_outbox() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("c-1"), uow=uow, now=NOW)

    clue = uow.clues.rows["c-1"]
    assert clue.status == ClueStatus.IN_PROGRESS
    assert clue.division == clue.original_division == DIVISION
    (task,) = uow.tasks.of("c-1")
    assert (task.kind, task.agency_id, task.state) == (TaskKind.RESOLVE, f"{DIVISION}.gov", "open")
    assert uow.timeline.actions("c-1") == ["received", "assigned"]
    assert verify_chain(uow.timeline.entries["c-1"]).valid
    assert uow.outbox.types() == ["task.assigned", "clue.status"]
    (status,) = uow.outbox.of_type("clue.status")
    assert (status["status"], status["stage"]) == ("in_progress", ["resolve"])
    assert clue.published_status == status


async def test_a_clue_received_twice_is_handled_once() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("c-1"), uow=uow, now=NOW)
    await receive_clue(received("c-1"), uow=uow, now=NOW)
    assert len(uow.tasks.rows) == 1
    assert uow.outbox.types() == ["task.assigned", "clue.status"]


async def test_an_emergency_gets_respond_tasks_at_once() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("c-1", emergency=True, flags=("public_order",)), uow=uow, now=NOW)
    respond = sorted(t.agency_id for t in uow.tasks.of("c-1") if t.kind == TaskKind.RESPOND)
    assert respond == [f"{DIVISION}.construction", f"{DIVISION}.hrss", f"{DIVISION}.police"]


async def test_a_linked_clue_joins_its_lead_and_makes_it_an_emergency() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("lead"), uow=uow, now=NOW)
    await receive_clue(received("c-2", lead_clue_id="lead", emergency=True), uow=uow, now=NOW)

    follower, lead = uow.clues.rows["c-2"], uow.clues.rows["lead"]
    assert (follower.lead_clue_id, follower.status) == ("lead", ClueStatus.IN_PROGRESS)
    assert lead.emergency
    assert {t.kind for t in uow.tasks.of("c-2")} == {TaskKind.RESPOND}  # no first task of its own
    assert uow.timeline.actions("c-2")[:2] == ["received", "joined"]
    assert uow.timeline.actions("lead")[-2:] == ["related", "emergency"]


async def test_a_clue_whose_lead_is_not_here_yet_is_adopted_when_it_arrives() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("c-2", lead_clue_id="lead"), uow=uow, now=NOW)
    assert uow.timeline.actions("c-2") == ["received", "awaiting_lead"]
    assert uow.tasks.of("c-2") == []

    await receive_clue(received("lead"), uow=uow, now=NOW)
    assert "joined" in uow.timeline.actions("c-2")
    assert uow.clues.rows["c-2"].status == ClueStatus.IN_PROGRESS


async def test_clue_linked_joins_a_clue_without_tasks_and_is_idempotent() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("lead"), uow=uow, now=NOW)
    await receive_clue(received("c-2", lead_clue_id="elsewhere"), uow=uow, now=NOW)  # waits, no tasks

    await link_clue(LinkClue(clue_id="c-2", lead_clue_id="lead"), uow=uow, now=NOW)
    assert uow.clues.rows["c-2"].lead_clue_id == "lead"
    events = len(uow.outbox.events)
    await link_clue(LinkClue(clue_id="c-2", lead_clue_id="lead"), uow=uow, now=NOW)
    assert len(uow.outbox.events) == events


async def test_the_division_office_unlinks_a_clue_which_starts_its_own_handling() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("lead"), uow=uow, now=NOW)
    await receive_clue(received("c-2", lead_clue_id="lead"), uow=uow, now=NOW)

    clue = await unlink_clue(UnlinkClue(agency(f"{DIVISION}.office"), "c-2"), uow=uow, now=NOW)
    assert clue.lead_clue_id is None
    assert [t.kind for t in uow.tasks.of("c-2")] == [TaskKind.RESOLVE]
    assert uow.timeline.actions("c-2")[-3:] == ["joined", "unlinked", "assigned"]
    assert uow.timeline.entries["c-2"][-2].actor == f"agency:{DIVISION}.office"
    with pytest.raises(ConflictError, match="not linked"):
        await unlink_clue(UnlinkClue(agency(f"{DIVISION}.office"), "c-2"), uow=uow, now=NOW)


async def test_only_the_office_unlinks_and_strangers_do_not_see_the_clue() -> None:
    uow = FakeUnitOfWork()
    await receive_clue(received("lead"), uow=uow, now=NOW)
    await receive_clue(received("c-2", lead_clue_id="lead"), uow=uow, now=NOW)
    with pytest.raises(NotArbiter):  # holds the lead's task, so sees the clue
        await unlink_clue(UnlinkClue(agency(f"{DIVISION}.gov"), "c-2"), uow=uow, now=NOW)
    with pytest.raises(NotFoundError):
        await unlink_clue(UnlinkClue(agency("330110.office"), "c-2"), uow=uow, now=NOW)
    assert uow.clues.rows["c-2"].lead_clue_id == "lead"
