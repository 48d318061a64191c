"""Typed commands: the facts each event brings to the read model, and the questions the routes ask."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from routing.reports.domain.figures import GroupBy
from routing.reports.domain.incidence import IncidenceBase
from routing.reports.domain.periods import Period, Quarter

# -- events (the projector) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordClueReceived:
    clue_id: str
    source: str
    division: str
    township: str | None
    project_kind: str | None
    received_at: datetime
    emergency: bool
    workers: int
    amount_owed: Decimal
    lead_clue_id: str | None


@dataclass(frozen=True, slots=True)
class RecordClueLinked:
    clue_id: str
    lead_clue_id: str


@dataclass(frozen=True, slots=True)
class RecordEmergency:
    clue_id: str


@dataclass(frozen=True, slots=True)
class RecordClueStatus:
    clue_id: str
    status: str
    division: str
    outcome: str | None
    amount_paid: Decimal | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class RecordTaskAssigned:
    task_id: str
    clue_id: str
    kind: str
    agency_id: str
    state: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RecordTaskUpdated:
    task_id: str
    clue_id: str
    kind: str
    agency_id: str
    state: str
    updated_at: datetime
    resolved: bool | None
    """industry_resolve's result: the wages were resolved."""
    outcome: str | None


@dataclass(frozen=True, slots=True)
class RecordDisputeOpened:
    dispute_id: str
    clue_id: str
    from_agency: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class RecordDisputeDecided:
    dispute_id: str
    clue_id: str
    from_agency: str
    decided_at: datetime
    moved_to_division: str | None


@dataclass(frozen=True, slots=True)
class RecordDeadline:
    deadline_id: str
    clue_id: str
    task_id: str | None
    rule: str
    agency_id: str | None
    due_at: datetime
    state: str
    late: bool
    met_at: datetime | None
    """deadline.met only: when it was met (on time or late)."""


# -- requests ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShowSummary:
    period: Period
    group_by: GroupBy
    division: str | None
    """Only this division's clues; None for the whole city."""


@dataclass(frozen=True, slots=True)
class ShowIndex:
    quarter: Quarter
    division: str | None
    """A division office is shown its own division only; None for the whole city."""


@dataclass(frozen=True, slots=True)
class LoadIncidenceBase:
    bases: Sequence[IncidenceBase]


@dataclass(frozen=True, slots=True)
class ListIncidenceBase:
    division: str | None
