"""What the use cases need from the outside world: repositories, the outbox and the read side.

Entities loaded through a unit of work are tracked by it: a use case changes them in place and the
boundary's commit saves them. ``lock`` reads take the row lock (SELECT ... FOR UPDATE) and re-read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from routing.domain.access import Caller
from routing.domain.agencies import AgencyRegistry
from routing.domain.case import Clue, DeadlineView, Dispute, Task
from routing.domain.model import TaskKind
from routing.domain.timeline import Entry
from shared.events import CloudEvent


class Clues(Protocol):
    async def get(self, clue_id: str, *, lock: bool = False) -> Clue | None: ...

    async def add(self, clue: Clue) -> None: ...

    async def linked_to(self, lead_clue_id: str, *, lock: bool = False, unclosed: bool = False) -> list[Clue]:
        """The clues whose lead is ``lead_clue_id`` (rule 8); ``unclosed`` leaves closed ones out."""
        ...


class Tasks(Protocol):
    async def get(self, task_id: str, *, lock: bool = False) -> Task | None: ...

    async def add(self, task: Task) -> None: ...

    async def any_on_clue(self, clue_id: str, *, agency_id: str | None = None) -> bool: ...

    async def agency_states(self, agency_id: str, clue_ids: Sequence[str]) -> list[str]:
        """The states of the agency's tasks on these clues."""
        ...

    async def any_unfinished(self, clue_id: str) -> bool: ...

    async def in_handling(self, root_id: str) -> list[Task]:
        """Every task of the root clue and of the clues linked to it."""
        ...

    async def unfinished_kinds(self, root_id: str) -> list[str]:
        """Sorted kinds of the handling's open and accepted tasks: the stage its sources see."""
        ...

    async def responding(self, root_id: str) -> frozenset[str]:
        """Agencies holding an unfinished ``respond`` in the handling."""
        ...


class Disputes(Protocol):
    async def get(self, dispute_id: str) -> Dispute | None: ...

    async def add(self, dispute: Dispute) -> None: ...

    async def pending_in_handling(self, root_id: str) -> int: ...

    async def decisions(self, clue_id: str) -> list[tuple[TaskKind, str]]:
        """(kind of the returned task, decided assignee) of the clue's decided disputes, oldest first."""
        ...


class Timeline(Protocol):
    async def last(self, clue_id: str) -> tuple[int, str] | None:
        """The seq and hash of the clue's latest entry."""
        ...

    async def append(self, clue_id: str, entry: Entry) -> None: ...


class DeadlineViews(Protocol):
    async def put(self, view: DeadlineView) -> None:
        """Insert or replace the due date by its id."""
        ...


class Outbox(Protocol):
    async def add(self, event: CloudEvent) -> None:
        """Written in the same transaction; the relay publishes it after commit."""
        ...


class UnitOfWork(Protocol):
    @property
    def clues(self) -> Clues: ...

    @property
    def tasks(self) -> Tasks: ...

    @property
    def disputes(self) -> Disputes: ...

    @property
    def timeline(self) -> Timeline: ...

    @property
    def deadlines(self) -> DeadlineViews: ...

    @property
    def outbox(self) -> Outbox: ...


class CaseReader(Protocol):
    """The read side of the HTTP routes; every list and lookup filters by what the caller sees."""

    async def clue(self, clue_id: str) -> Clue | None: ...

    async def agency_states(self, agency_id: str, clue_ids: Sequence[str]) -> list[str]: ...

    async def visible_task(self, caller: Caller, task_id: str) -> Task | None: ...

    async def tasks_page(
        self,
        caller: Caller,
        *,
        clue_id: str | None,
        state: str | None,
        kind: str | None,
        updated_since: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Task], str | None]: ...

    async def visible_dispute(self, caller: Caller, dispute_id: str) -> Dispute | None: ...

    async def disputes_page(
        self, caller: Caller, *, clue_id: str | None, state: str | None, cursor: str | None, limit: int
    ) -> tuple[list[Dispute], str | None]: ...

    async def tasks_of(self, clue_id: str) -> list[Task]: ...

    async def disputes_of(self, clue_id: str) -> list[Dispute]: ...

    async def due_dates(self, clue_id: str, *, task_id: str | None = None) -> list[DeadlineView]:
        """The clue's due dates; with ``task_id``, the clue's own and that task's."""
        ...

    async def timeline(self, clue_id: str, *, task_id: str | None = None) -> list[Entry]: ...

    async def related(self, clue: Clue) -> list[str]:
        """The other clues of its handling (its lead and the clues linked to it), sorted."""
        ...

    async def timelines_in(self, division: str) -> list[tuple[str, list[Entry]]]:
        """Every case timeline of the division's clues, by clue id."""
        ...


@dataclass(frozen=True)
class RoutingContext:
    """What the HTTP adapters get (``app.state.routing_context``), built at start-up by bootstrap."""

    transaction: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    reader: Callable[[], AbstractAsyncContextManager[CaseReader]]
    after_commit: Callable[[], None]
    registry: AgencyRegistry
    max_returns: int
