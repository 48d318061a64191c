"""Deadlines' values: a deadline (限时办结期限), its alarms, and what it knows of clues and tasks. Pure."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Self

from deadlines.domain.periods import CountingMode


class DeadlineState(StrEnum):
    RUNNING = "running"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"


#: States in which a deadline that was not met still applies.
OPEN_STATES = (DeadlineState.RUNNING, DeadlineState.BREACHED)


@dataclass(frozen=True)
class Limit:
    """How long a rule allows: days in a counting mode, or hours from the start moment."""

    days: int | None = None
    mode: CountingMode = CountingMode.CALENDAR_DAYS
    hours: int | None = None


class AlarmKind(StrEnum):
    DUE_SOON = "due_soon"
    BREACHED = "breached"
    ESCALATE = "escalate"  # 督办: a further step after the breach


@dataclass(frozen=True)
class Alarm:
    """A moment at which a deadline announces something.

    Stored as its ``code``: ``due_soon:<n>``, ``breached`` or ``escalate:<agency>``; :meth:`parse`
    and :attr:`code` are the one place that format is read and written.
    """

    kind: AlarmKind
    fire_at: datetime
    working_days_before: int | None = None
    escalation_step: str | None = None

    @property
    def code(self) -> str:
        if self.kind is AlarmKind.DUE_SOON:
            return f"{AlarmKind.DUE_SOON}:{self.working_days_before}"
        if self.kind is AlarmKind.ESCALATE:
            return f"{AlarmKind.ESCALATE}:{self.escalation_step}"
        return str(AlarmKind.BREACHED)

    @classmethod
    def parse(cls, code: str, fire_at: datetime) -> Self | None:
        """The alarm a stored code stands for; None for a code this version does not know."""
        name, _, argument = code.partition(":")
        if name == AlarmKind.BREACHED and not argument:
            return cls(AlarmKind.BREACHED, fire_at)
        if name == AlarmKind.DUE_SOON and argument.isdigit():
            return cls(AlarmKind.DUE_SOON, fire_at, working_days_before=int(argument))
        if name == AlarmKind.ESCALATE and argument:
            return cls(AlarmKind.ESCALATE, fire_at, escalation_step=argument)
        return None


@dataclass(frozen=True)
class Clue:
    """What deadlines knows of a clue (线索), fed by intake's and routing's events."""

    clue_id: str
    source: str
    division: str
    received_at: datetime
    lead_clue_id: str | None
    submitted_by: str
    status: str = "received"

    @property
    def closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class Task:
    task_id: str
    clue_id: str
    kind: str
    agency_id: str
    state: str


@dataclass(frozen=True)
class Deadline:
    """One rule's period on a clue, or on a task of its handling (``scope``: '' or the first task's id)."""

    deadline_id: str
    clue_id: str
    task_id: str | None
    scope: str
    rule: str
    agency_id: str | None
    division: str
    source: str
    starts_on: date
    start_at: datetime
    limit: Limit
    last_day: date
    due_at: datetime
    provisional: bool
    state: str = DeadlineState.RUNNING
    late: bool = False
    met_at: datetime | None = None
    breached_at: datetime | None = None
    cancelled_at: datetime | None = None
    in_dispute_since: datetime | None = None
    dispute_seconds: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def open(self) -> bool:
        """Not met, and running or breached: it still applies and can be met or cancelled."""
        return self.met_at is None and self.state in OPEN_STATES

    def breached(self, *, now: datetime) -> Self:
        return replace(self, state=DeadlineState.BREACHED, breached_at=now, updated_at=now)

    def cancelled(self, *, now: datetime) -> Self:
        return replace(self, state=DeadlineState.CANCELLED, cancelled_at=now, updated_at=now)
