"""What intake's use cases are asked to do: decoded from requests (api/) and events (consumers/)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from intake.domain.model import Flag, ProjectKind, Source
from shared.auth import Principal


@dataclass(frozen=True, slots=True)
class SubmitClue:
    """A submission that passed the boundary's checks (POST /v1/clues)."""

    source: Source
    external_id: str
    received_at: datetime
    division: str
    employer_name: str
    employer_uscc: str | None
    project_name: str | None
    project_kind: ProjectKind | None
    """None when the submission names no project."""
    workers: int
    amount_owed: Decimal
    summary: str
    flags: frozenset[Flag]
    source_payload: dict[str, Any] | None
    content: dict[str, Any]
    """The submission as JSON: stored, fingerprinted and sent on (sealed) as it is."""
    raw_body: str
    """The request body exactly as received, for audit."""
    submitted_by: Principal


@dataclass(frozen=True, slots=True)
class ReadClue:
    clue_id: str
    reader: Principal


@dataclass(frozen=True, slots=True)
class RecordClueStatus:
    """Routing's ``clue.status``: the status read model follows it."""

    clue_id: str
    status: str
    stage: tuple[str, ...]
    outcome: str | None
    amount_paid: str | None
    division: str | None
    lead_clue_id: str | None


@dataclass(frozen=True, slots=True)
class RecordTaskHolder:
    """Routing's ``task.assigned`` and ``task.updated``: who holds which task on a clue."""

    task_id: str
    clue_id: str
    agency_id: str
    state: str
