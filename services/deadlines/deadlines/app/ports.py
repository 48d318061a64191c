"""What deadlines' use cases and HTTP reads need from the outside: repositories, outbox and queries.

``store/`` implements them on PostgreSQL; tests/deadlines/unit/fakes.py in memory.
"""

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from deadlines.domain.calendar import HolidayCalendar, YearSchedule
from deadlines.domain.model import Alarm, Clue, Deadline, Task
from deadlines.domain.rules import Policy
from shared.auth import Principal
from shared.events import CloudEvent


class Clues(Protocol):
    async def save(self, clue: Clue) -> None: ...
    async def get(self, clue_id: str) -> Clue | None: ...
    async def followers(self, lead_clue_id: str) -> list[Clue]:
        """The unclosed clues that joined the lead's handling, oldest first."""
        ...


class Tasks(Protocol):
    async def save(self, task: Task) -> None: ...
    async def set_state(self, task_id: str, state: str) -> None: ...
    async def ids_of_clue(self, clue_id: str) -> frozenset[str]: ...
    async def unfinished_holders(self, clue_ids: Sequence[str]) -> list[str]:
        """Agencies holding unfinished tasks on these clues, sorted."""
        ...


class Deadlines(Protocol):
    async def add(self, deadline: Deadline) -> Deadline | None:
        """The deadline as stored; None when the clue already has this rule in this scope."""
        ...

    async def get(
        self, deadline_id: str, *, lock: bool = False, refresh: bool = False
    ) -> Deadline | None: ...
    async def save(self, deadline: Deadline) -> None:
        """Store its state: state, late, met, breached, cancelled and updated moments."""
        ...

    async def of_clue(self, clue_id: str) -> list[Deadline]: ...
    async def open_of_clue(self, clue_id: str, *, rules: Sequence[str] | None = None) -> list[Deadline]: ...
    async def open_of_task(self, task_id: str, rule: str) -> list[Deadline]: ...
    async def of_clue_rule(self, clue_id: str, rule: str) -> Deadline | None:
        """The clue's own deadline of ``rule`` (scope '')."""
        ...

    async def hand_over(self, *, old_task_id: str, task: Task, now: datetime) -> None:
        """The old task's deadlines follow the new task (and its agency)."""
        ...

    async def move_to_division(self, clue_id: str, division: str) -> None: ...
    async def open_dispute(self, task_id: str, *, at: datetime) -> None:
        """The task's deadlines not already in dispute are from ``at``."""
        ...

    async def close_dispute(self, task_ids: Sequence[str], *, at: datetime) -> None:
        """Their time in dispute, up to ``at``, is added to ``dispute_seconds``."""
        ...

    async def crossing(self, first_day: date, last_day: date) -> list[Deadline]:
        """Running deadlines, and breached provisional ones, whose period overlaps these days."""
        ...

    async def save_periods(self, deadlines: Sequence[Deadline]) -> None:
        """Store recomputed periods in bulk: last day, due time, provisional, state, late, breached."""
        ...


@dataclass(frozen=True)
class DueAlarm:
    """A pending alarm claimed to be fired: its stored ``code`` and what it means (None if unknown)."""

    alarm_id: int
    deadline_id: str
    code: str
    alarm: Alarm | None


class Alarms(Protocol):
    async def replace_pending(self, deadline_id: str, alarms: Sequence[Alarm]) -> None: ...
    async def drop_pending(self, deadline_ids: Sequence[str]) -> None: ...
    async def drop_all(self, deadline_ids: Sequence[str]) -> None: ...
    async def add(self, alarms: Sequence[tuple[str, Alarm]]) -> None:
        """(deadline id, alarm) pairs; a kind the deadline already has is kept."""
        ...

    async def claim_due(self, *, now: datetime, limit: int) -> list[DueAlarm]:
        """Pending alarms due by ``now``, earliest first, each claimed by one caller only."""
        ...

    async def mark_fired(self, alarm_id: int, at: datetime | None) -> None:
        """``at`` None puts a claimed alarm back to pending."""
        ...

    async def breach_pending(self, deadline_id: str) -> bool: ...
    async def next_fire_at(self) -> datetime | None: ...


class Calendar(Protocol):
    async def load(self) -> HolidayCalendar: ...
    async def save_year(self, schedule: YearSchedule, *, loaded_by: str, now: datetime) -> None: ...


class Outbox(Protocol):
    async def add(self, event: CloudEvent) -> None: ...


class UnitOfWork(Protocol):
    """One transaction's ports; the boundary (HTTP dependency, consumer batch, scheduler) commits."""

    @property
    def clues(self) -> Clues: ...
    @property
    def tasks(self) -> Tasks: ...
    @property
    def deadlines(self) -> Deadlines: ...
    @property
    def alarms(self) -> Alarms: ...
    @property
    def calendar(self) -> Calendar: ...
    @property
    def outbox(self) -> Outbox: ...


# -- reads for the HTTP API and the metrics -------------------------------------------------------


@dataclass(frozen=True)
class DeadlineFilter:
    clue_id: str | None = None
    agency_id: str | None = None
    rule: str | None = None
    state: str | None = None
    provisional: bool | None = None


@dataclass(frozen=True)
class AgencyCounts:
    agency_id: str
    running: int
    due_soon: int
    breached: int
    met_on_time: int
    met_late: int


@dataclass(frozen=True)
class RuleCounts:
    rule: str
    running: int
    due_soon: int
    breached: int


class DeadlineReads(Protocol):
    """Queries of what a principal may see (CONTRACT.md, Who sees what)."""

    async def page(
        self, principal: Principal, where: DeadlineFilter, *, cursor: str | None, limit: int
    ) -> tuple[list[Deadline], str | None]: ...
    async def agency_counts(self, principal: Principal, *, division: str | None) -> list[AgencyCounts]: ...
    async def rule_counts(self) -> list[RuleCounts]: ...
    async def calendar(self) -> HolidayCalendar: ...


class DeadlinesPorts(Protocol):
    """What the HTTP API and the metrics reach the store through (built by bootstrap.py)."""

    @property
    def policy(self) -> Policy: ...
    def transaction(self) -> AbstractAsyncContextManager[UnitOfWork]: ...
    def reads(self) -> AbstractAsyncContextManager[DeadlineReads]: ...
    def after_commit(self) -> None: ...
