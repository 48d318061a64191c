"""What routing is asked to do: decoded from events (consumers) and from requests (api)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from routing.domain.access import Caller


@dataclass(frozen=True, slots=True)
class ReceiveClue:
    """``clue.received``, its personal data opened; ``snapshot`` is the clue as received."""

    clue_id: str
    source: str
    submitted_by: str
    division: str
    township: str | None
    project_kind: str | None
    emergency: bool
    flags: tuple[str, ...]
    received_at: datetime
    workers: int
    amount_owed: Decimal
    lead_clue_id: str | None
    snapshot: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LinkClue:
    """``clue.linked``: intake found the clue's lead after it was received."""

    clue_id: str
    lead_clue_id: str


@dataclass(frozen=True, slots=True)
class UnlinkClue:
    caller: Caller
    clue_id: str


@dataclass(frozen=True, slots=True)
class AcceptTask:
    """签收."""

    caller: Caller
    task_id: str


@dataclass(frozen=True, slots=True)
class CompleteTask:
    """The task's result; ``body`` is checked against the task's kind by the use case."""

    caller: Caller
    task_id: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReturnTask:
    """退回."""

    caller: Caller
    task_id: str
    reason: str
    suggested_agency: str | None


@dataclass(frozen=True, slots=True)
class DecideDispute:
    """争议仲裁."""

    caller: Caller
    dispute_id: str
    assignee: str
    note: str


@dataclass(frozen=True, slots=True)
class RecordDeadline:
    """A ``deadline.*`` event: the due date as deadlines now sees it."""

    deadline_id: str
    clue_id: str
    task_id: str | None
    rule: str
    due_at: datetime
    state: str
    late: bool
    provisional: bool
