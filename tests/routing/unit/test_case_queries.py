"""What the routes show: a case, a task with its history, timeline checks, personal data by access."""

from __future__ import annotations

from dataclasses import replace

import pytest

from routing.app.clues import receive_clue
from routing.app.commands import AcceptTask
from routing.app.queries import audit_division, case_view, check_case_timeline, task_view
from routing.app.tasks import accept_task
from routing.domain.errors import NotFoundError
from routing.domain.model import TaskKind
from shared.auth import Principal
from tests.routing.unit.fakes import (
    DIVISION,
    NOW,
    FakeCaseReader,
    FakeUnitOfWork,
    agency,
    open_task,
    received,
)

pytestmark = pytest.mark.unit

ADMIN = Principal.parse("admin")
SNAPSHOT = {"summary": "call 13812345678", "complainant": {"name": "张三", "phone": "13812345678"}}


async def a_case() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await receive_clue(received("lead", snapshot=SNAPSHOT), uow=uow, now=NOW)
    await receive_clue(received("c-2", lead_clue_id="lead"), uow=uow, now=NOW)
    return uow


async def test_the_case_shows_its_handling_with_personal_data_for_the_office_only() -> None:
    uow = await a_case()
    reader = FakeCaseReader(uow)
    office = await case_view("lead", caller=agency(f"{DIVISION}.office"), reader=reader)
    assert office.related == ["c-2"]
    assert [t.kind for t in office.tasks] == [TaskKind.RESOLVE]
    assert [e.action for e in office.timeline] == ["received", "assigned", "related"]
    assert office.clue_data["complainant"]["phone"] == "13812345678"
    assert office.clue_data["status"] == "in_progress"

    admin = await case_view("lead", caller=ADMIN, reader=reader)
    assert admin.clue_data["complainant"]["phone"] != "13812345678"  # admin sees it masked
    assert "13812345678" not in admin.clue_data["summary"]


async def test_an_agency_sees_a_case_through_its_tasks_and_a_stranger_not_at_all() -> None:
    uow = await a_case()
    reader = FakeCaseReader(uow)
    holder = await case_view("c-2", caller=agency(f"{DIVISION}.gov"), reader=reader)  # holds the lead's task
    assert holder.clue.clue_id == "c-2"
    with pytest.raises(NotFoundError):
        await case_view("c-2", caller=agency("330110.gov"), reader=reader)
    with pytest.raises(NotFoundError):
        await case_view("nothing", caller=ADMIN, reader=reader)


async def test_a_task_shows_its_own_history() -> None:
    uow = await a_case()
    task = open_task(uow, "lead", TaskKind.RESOLVE)
    await accept_task(AcceptTask(agency(f"{DIVISION}.gov"), task.task_id), uow=uow, now=NOW)
    view = await task_view(task.task_id, caller=agency(f"{DIVISION}.gov"), reader=FakeCaseReader(uow))
    assert [e.action for e in view.history] == ["assigned", "accepted"]
    with pytest.raises(NotFoundError):
        await task_view(task.task_id, caller=agency("330110.gov"), reader=FakeCaseReader(uow))


async def test_timeline_checks_find_a_tampered_entry() -> None:
    uow = await a_case()
    reader = FakeCaseReader(uow)
    assert (await check_case_timeline("lead", caller=ADMIN, reader=reader)).valid
    entries = uow.timeline.entries["lead"]
    entries[1] = replace(entries[1], actor="someone else")
    check = await check_case_timeline("lead", caller=ADMIN, reader=reader)
    assert (check.valid, check.broken_at) == (False, 2)
    audit = await audit_division(DIVISION, reader=reader)
    assert [(clue_id, c.valid) for clue_id, c in audit] == [("c-2", True), ("lead", False)]
