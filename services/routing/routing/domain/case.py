"""A case (案件) as the workflow keeps it: the clue, its tasks, its disputes and its due dates.

Entities with an identity and a life: the use cases change them and save them through the
repositories (``app.ports``). Plain dataclasses, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from routing.domain.assignees import decided_assignees
from routing.domain.model import ClueFacts, ClueStatus, ProjectKind, Source, TaskKind, TaskState


@dataclass(eq=False)
class Clue:
    """A clue (线索) in routing: what intake sent (``snapshot``) and where its handling stands."""

    clue_id: str
    source: str
    submitted_by: str
    division: str
    original_division: str
    township: str | None
    project_kind: str | None
    emergency: bool
    flags: list[str]
    received_at: datetime
    workers: int
    amount_owed: Decimal
    snapshot: dict[str, Any]
    lead_clue_id: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    outcome: str | None = None
    amount_paid: Decimal | None = None
    closed_at: datetime | None = None
    published_status: dict[str, Any] | None = field(default=None)

    @property
    def root_id(self) -> str:
        """The clue whose handling this one is part of (rule 8): its lead, or itself."""
        return self.lead_clue_id or self.clue_id

    @property
    def closed(self) -> bool:
        return self.status == ClueStatus.CLOSED

    @property
    def amount_paid_on_lead(self) -> bool:
        """True when ``amount_paid`` is the whole matter's, recovered on its lead clue (rule 8): count
        it once, on the lead."""
        return self.lead_clue_id is not None and self.amount_paid is not None

    def facts(self, decisions: Sequence[tuple[TaskKind, str]] = ()) -> ClueFacts:
        """What the rules need, with the assignees its offices decided in disputes (rule 6)."""
        facts = ClueFacts(
            clue_id=self.clue_id,
            source=Source(self.source),
            division=self.division,
            project_kind=ProjectKind(self.project_kind) if self.project_kind else None,
            emergency=self.emergency,
            flags=frozenset(self.flags),
        )
        return replace(facts, decided=decided_assignees(decisions)) if decisions else facts


@dataclass(eq=False)
class Task:
    """One agency's step on one clue (任务)."""

    task_id: str
    clue_id: str
    kind: str
    agency_id: str
    state: str
    reason: str
    created_at: datetime
    updated_at: datetime
    replaces_task_id: str | None = None
    created_by_task_id: str | None = None
    lineage_returns: int = 0
    result: dict[str, Any] | None = None
    accepted_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def unfinished(self) -> bool:
        return TaskState(self.state).unfinished


@dataclass(eq=False)
class Dispute:
    """A returned task awaiting (or past) its arbiter's decision (争议)."""

    dispute_id: str
    clue_id: str
    task_id: str
    from_agency: str
    suggested_agency: str | None
    reason: str
    arbiter: str
    state: str
    created_at: datetime
    decided_assignee: str | None = None
    decision_note: str | None = None
    decided_by: str | None = None
    new_task_id: str | None = None
    decided_at: datetime | None = None
    seconds_in_dispute: int | None = None


@dataclass(frozen=True, slots=True)
class DeadlineView:
    """A due date deadlines computed for the clue or one of its tasks; routing only shows it."""

    deadline_id: str
    clue_id: str
    task_id: str | None
    rule: str
    due_at: datetime
    state: str
    late: bool
    provisional: bool


@dataclass(frozen=True, slots=True)
class Actor:
    """Who caused a change: a principal (by its name), or the system itself."""

    name: str


SYSTEM = Actor("system")
