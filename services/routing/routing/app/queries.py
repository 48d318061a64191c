"""What the HTTP routes show: one case, one task with its history, a timeline's check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from routing.app.ports import CaseReader
from routing.domain.access import Caller, ClueAccess, access_through_tasks, direct_access
from routing.domain.case import Clue, DeadlineView, Dispute, Task
from routing.domain.errors import NotFoundError
from routing.domain.timeline import ChainCheck, Entry, verify_chain
from shared.api import business_time
from shared.masking import mask_complainant, scrub


@dataclass(frozen=True, slots=True)
class CaseView:
    clue: Clue
    clue_data: dict[str, Any]
    related: list[str]
    tasks: list[Task]
    disputes: list[Dispute]
    due_dates: list[DeadlineView]
    timeline: list[Entry]


@dataclass(frozen=True, slots=True)
class TaskView:
    task: Task
    clue_data: dict[str, Any]
    due_dates: list[DeadlineView]
    history: list[Entry]


async def clue_access(reader: CaseReader, caller: Caller, clue: Clue) -> ClueAccess:
    """A linked clue counts its lead's tasks (rule 8)."""
    access = direct_access(caller, clue)
    if access is not None:
        return access
    assert caller.agency_id is not None
    handled = [clue.clue_id] + ([clue.lead_clue_id] if clue.lead_clue_id else [])
    return access_through_tasks(await reader.agency_states(caller.agency_id, handled))


def clue_data(clue: Clue, *, full_personal_data: bool) -> dict[str, Any]:
    """The clue as received, personal data masked unless the caller may see it, and where it stands."""
    view = dict(clue.snapshot)
    if isinstance(view.get("received_at"), str):  # as intake published it (UTC); answered in +08:00
        view["received_at"] = business_time(datetime.fromisoformat(view["received_at"])).isoformat()
    if not full_personal_data:
        view["complainant"] = mask_complainant(view.get("complainant"))
        view["summary"] = scrub(view.get("summary") or "")
    view.update(
        division=clue.division, status=clue.status, lead_clue_id=clue.lead_clue_id, emergency=clue.emergency
    )
    return view


async def visible_clue(reader: CaseReader, caller: Caller, clue_id: str) -> tuple[Clue, ClueAccess]:
    clue = await reader.clue(clue_id)
    if clue is None:
        raise NotFoundError("case")
    access = await clue_access(reader, caller, clue)
    if not access.visible:
        raise NotFoundError("case")
    return clue, access


async def case_view(clue_id: str, *, caller: Caller, reader: CaseReader) -> CaseView:
    clue, access = await visible_clue(reader, caller, clue_id)
    return CaseView(
        clue=clue,
        clue_data=clue_data(clue, full_personal_data=access.full_personal_data),
        related=await reader.related(clue),
        tasks=await reader.tasks_of(clue_id),
        disputes=await reader.disputes_of(clue_id),
        due_dates=await reader.due_dates(clue_id),
        timeline=await reader.timeline(clue_id),
    )


async def task_view(task_id: str, *, caller: Caller, reader: CaseReader) -> TaskView:
    task = await reader.visible_task(caller, task_id)
    if task is None:
        raise NotFoundError("task")
    clue = await reader.clue(task.clue_id)
    assert clue is not None
    access = await clue_access(reader, caller, clue)
    return TaskView(
        task=task,
        clue_data=clue_data(clue, full_personal_data=access.full_personal_data),
        due_dates=await reader.due_dates(task.clue_id, task_id=task.task_id),
        history=await reader.timeline(task.clue_id, task_id=task.task_id),
    )


async def check_case_timeline(clue_id: str, *, caller: Caller, reader: CaseReader) -> ChainCheck:
    await visible_clue(reader, caller, clue_id)
    return verify_chain(await reader.timeline(clue_id))


async def audit_division(division: str, *, reader: CaseReader) -> list[tuple[str, ChainCheck]]:
    """Every case of the division with its timeline's check (``anxin-ops audit verify``)."""
    return [(clue_id, verify_chain(entries)) for clue_id, entries in await reader.timelines_in(division)]
