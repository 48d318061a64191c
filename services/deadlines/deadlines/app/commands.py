"""Deadlines' commands, decoded from intake's and routing's events and from HTTP requests."""

from dataclasses import dataclass, field
from datetime import datetime

from deadlines.domain.calendar import YearSchedule


@dataclass(frozen=True, slots=True)
class StartClueDeadlines:
    """A clue was received (``clue.received``): its periods count from its receipt."""

    clue_id: str
    source: str
    division: str
    received_at: datetime
    submitted_by: str
    lead_clue_id: str | None = None


@dataclass(frozen=True, slots=True)
class TrackTask:
    """A task was assigned (``task.assigned``), possibly replacing a disputed one."""

    task_id: str
    clue_id: str
    kind: str
    agency_id: str
    state: str
    assigned_at: datetime | None = None
    replaces_task_id: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateTask:
    """A task changed state (``task.updated``); ``created_kinds``: tasks its completion created."""

    task_id: str
    clue_id: str
    kind: str
    state: str
    updated_at: datetime | None = None
    created_kinds: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ApplyClueStatus:
    """A clue's status changed (``clue.status``); ``relinked`` when the event says its lead anew."""

    clue_id: str
    status: str
    relinked: bool = False
    lead_clue_id: str | None = None
    division: str | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RecordDispute:
    """A dispute (异议) on a task was opened or decided ``at`` (routing's clock)."""

    task_id: str
    decided: bool
    at: datetime
    new_task_id: str | None = None


@dataclass(frozen=True, slots=True)
class FireDueAlarms:
    limit: int = 500


@dataclass(frozen=True, slots=True)
class LoadCalendarYear:
    """An official holiday schedule, loaded by an operator (``PUT /v1/calendar/years/{year}``)."""

    schedule: YearSchedule
    loaded_by: str
