"""In-memory fakes of routing's ports: the use cases run on them as on the SQL repositories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from routing.app.commands import ReceiveClue
from routing.domain.access import Caller
from routing.domain.case import Clue, DeadlineView, Dispute, Task
from routing.domain.disputes import DECIDED, PENDING
from routing.domain.model import TaskKind, TaskState
from routing.domain.timeline import Entry
from shared.auth import Principal
from shared.events import CloudEvent

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
DIVISION = "330106"


class FakeClues:
    def __init__(self) -> None:
        self.rows: dict[str, Clue] = {}
        self.locked: list[str] = []

    async def get(self, clue_id: str, *, lock: bool = False) -> Clue | None:
        if lock and clue_id in self.rows:
            self.locked.append(clue_id)
        return self.rows.get(clue_id)

    async def add(self, clue: Clue) -> None:
        self.rows[clue.clue_id] = clue

    async def linked_to(
        self,
        lead_clue_id: str,
        *,
        lock: bool = False,  # noqa: ARG002 (one transaction: nothing to wait for)
        unclosed: bool = False,
    ) -> list[Clue]:
        return [
            c for c in self.rows.values() if c.lead_clue_id == lead_clue_id and not (unclosed and c.closed)
        ]

    def handling(self, root_id: str) -> set[str]:
        return {root_id} | {c.clue_id for c in self.rows.values() if c.lead_clue_id == root_id}


class FakeTasks:
    def __init__(self, clues: FakeClues) -> None:
        self.rows: dict[str, Task] = {}
        self._clues = clues

    async def get(self, task_id: str, *, lock: bool = False) -> Task | None:  # noqa: ARG002
        return self.rows.get(task_id)

    async def add(self, task: Task) -> None:
        self.rows[task.task_id] = task

    async def any_on_clue(self, clue_id: str, *, agency_id: str | None = None) -> bool:
        return any(t.clue_id == clue_id and agency_id in (None, t.agency_id) for t in self.rows.values())

    async def agency_states(self, agency_id: str, clue_ids: Sequence[str]) -> list[str]:
        return [t.state for t in self.rows.values() if t.agency_id == agency_id and t.clue_id in clue_ids]

    async def any_unfinished(self, clue_id: str) -> bool:
        return any(t.clue_id == clue_id and t.unfinished for t in self.rows.values())

    async def in_handling(self, root_id: str) -> list[Task]:
        clue_ids = self._clues.handling(root_id)
        return [t for t in self.rows.values() if t.clue_id in clue_ids]

    async def unfinished_kinds(self, root_id: str) -> list[str]:
        return sorted({t.kind for t in await self.in_handling(root_id) if t.unfinished})

    async def responding(self, root_id: str) -> frozenset[str]:
        return frozenset(
            t.agency_id
            for t in await self.in_handling(root_id)
            if t.kind == TaskKind.RESPOND and t.unfinished
        )

    def of(self, clue_id: str) -> list[Task]:
        return [t for t in self.rows.values() if t.clue_id == clue_id]


class FakeDisputes:
    def __init__(self, clues: FakeClues, tasks: FakeTasks) -> None:
        self.rows: dict[str, Dispute] = {}
        self._clues = clues
        self._tasks = tasks

    async def get(self, dispute_id: str) -> Dispute | None:
        return self.rows.get(dispute_id)

    async def add(self, dispute: Dispute) -> None:
        self.rows[dispute.dispute_id] = dispute

    async def pending_in_handling(self, root_id: str) -> int:
        clue_ids = self._clues.handling(root_id)
        return sum(1 for d in self.rows.values() if d.clue_id in clue_ids and d.state == PENDING)

    async def decisions(self, clue_id: str) -> list[tuple[TaskKind, str]]:
        decided = sorted(
            (d for d in self.rows.values() if d.clue_id == clue_id and d.state == DECIDED),
            key=lambda d: d.decided_at or NOW,
        )
        return [
            (TaskKind(self._tasks.rows[d.task_id].kind), d.decided_assignee)
            for d in decided
            if d.decided_assignee
        ]


class FakeTimeline:
    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = {}

    async def last(self, clue_id: str) -> tuple[int, str] | None:
        entries = self.entries.get(clue_id)
        return (entries[-1].seq, entries[-1].hash) if entries else None

    async def append(self, clue_id: str, entry: Entry) -> None:
        self.entries.setdefault(clue_id, []).append(entry)

    def actions(self, clue_id: str) -> list[str]:
        return [e.action for e in self.entries.get(clue_id, [])]


class FakeDeadlineViews:
    def __init__(self) -> None:
        self.rows: dict[str, DeadlineView] = {}

    async def put(self, view: DeadlineView) -> None:
        self.rows[view.deadline_id] = view


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[CloudEvent] = []

    async def add(self, event: CloudEvent) -> None:
        self.events.append(event)

    def types(self) -> list[str]:
        return [e.type for e in self.events]

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [e.data for e in self.events if e.type == event_type]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.clues = FakeClues()
        self.tasks = FakeTasks(self.clues)
        self.disputes = FakeDisputes(self.clues, self.tasks)
        self.timeline = FakeTimeline()
        self.deadlines = FakeDeadlineViews()
        self.outbox = FakeOutbox()


def received(clue_id: str = "c-1", **overrides: Any) -> ReceiveClue:
    """``clue.received`` as the consumer decodes it."""
    fields: dict[str, Any] = {
        "clue_id": clue_id,
        "source": "city",
        "submitted_by": "source:city",
        "division": DIVISION,
        "township": None,
        "project_kind": "building",
        "emergency": False,
        "flags": (),
        "received_at": NOW,
        "workers": 3,
        "amount_owed": Decimal("1200.00"),
        "lead_clue_id": None,
        "snapshot": {"clue_id": clue_id, "summary": "wages unpaid"},
    }
    fields.update(overrides)
    return ReceiveClue(**fields)


def agency(agency_id: str) -> Principal:
    return Principal.parse(f"agency:{agency_id}")


def open_task(uow: FakeUnitOfWork, clue_id: str, kind: str) -> Task:
    (task,) = [t for t in uow.tasks.of(clue_id) if t.kind == kind and t.state == TaskState.OPEN]
    return task


class FakeCaseReader:
    """The read side over a fake unit of work's state, one page for every list."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def clue(self, clue_id: str) -> Clue | None:
        return self._uow.clues.rows.get(clue_id)

    async def agency_states(self, agency_id: str, clue_ids: Sequence[str]) -> list[str]:
        return await self._uow.tasks.agency_states(agency_id, clue_ids)

    async def visible_task(self, caller: Caller, task_id: str) -> Task | None:
        task = self._uow.tasks.rows.get(task_id)
        if task is None:
            return None
        clue = self._uow.clues.rows[task.clue_id]
        sees = (
            caller.is_admin
            or caller.is_city_office
            or caller.agency_id == task.agency_id
            or (caller.is_office and clue.division == caller.division)
            or clue.submitted_by == str(caller)
        )
        return task if sees else None

    async def tasks_page(
        self,
        caller: Caller,
        *,
        clue_id: str | None,
        state: str | None,
        kind: str | None,
        updated_since: datetime | None,
        cursor: str | None,  # noqa: ARG002 (one page)
        limit: int,
    ) -> tuple[list[Task], str | None]:
        visible = [t for t in self._uow.tasks.rows.values() if await self.visible_task(caller, t.task_id)]
        found = [
            t
            for t in visible
            if clue_id in (None, t.clue_id)
            and state in (None, t.state)
            and kind in (None, t.kind)
            and (updated_since is None or t.updated_at > updated_since)
        ]
        return found[:limit], None

    async def visible_dispute(self, caller: Caller, dispute_id: str) -> Dispute | None:
        dispute = self._uow.disputes.rows.get(dispute_id)
        if dispute is None:
            return None
        division = self._uow.clues.rows[dispute.clue_id].division
        sees = (
            caller.is_admin
            or caller.is_city_office
            or caller.agency_id in (dispute.arbiter, dispute.from_agency)
            or (caller.is_office and caller.division == division)
        )
        if not sees:
            return None
        return dispute

    async def disputes_page(
        self,
        caller: Caller,
        *,
        clue_id: str | None,
        state: str | None,
        cursor: str | None,  # noqa: ARG002 (one page)
        limit: int,
    ) -> tuple[list[Dispute], str | None]:
        found = [
            d
            for d in self._uow.disputes.rows.values()
            if await self.visible_dispute(caller, d.dispute_id)
            and clue_id in (None, d.clue_id)
            and state in (None, d.state)
        ]
        return found[:limit], None

    async def tasks_of(self, clue_id: str) -> list[Task]:
        return self._uow.tasks.of(clue_id)

    async def disputes_of(self, clue_id: str) -> list[Dispute]:
        return [d for d in self._uow.disputes.rows.values() if d.clue_id == clue_id]

    async def due_dates(self, clue_id: str, *, task_id: str | None = None) -> list[DeadlineView]:
        return [
            d
            for d in self._uow.deadlines.rows.values()
            if d.clue_id == clue_id and (task_id is None or d.task_id in (None, task_id))
        ]

    async def timeline(self, clue_id: str, *, task_id: str | None = None) -> list[Entry]:
        entries = self._uow.timeline.entries.get(clue_id, [])
        return [e for e in entries if task_id is None or e.task_id == task_id]

    async def related(self, clue: Clue) -> list[str]:
        return sorted(self._uow.clues.handling(clue.root_id) - {clue.clue_id})

    async def timelines_in(self, division: str) -> list[tuple[str, list[Entry]]]:
        return [
            (clue_id, entries)
            for clue_id, entries in sorted(self._uow.timeline.entries.items())
            if self._uow.clues.rows[clue_id].division == division
        ]
