"""Clues as intake knows them (欠薪线索)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Source(StrEnum):
    """Where a clue came from (线索来源)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    POLICE110 = "police110"
    PETITION = "petition"
    OPINION = "opinion"
    ONSITE = "onsite"


class ProjectKind(StrEnum):
    BUILDING = "building"
    MUNICIPAL = "municipal"
    TRANSPORT = "transport"
    WATER = "water"
    OTHER = "other"
    NONE = "none"


class Flag(StrEnum):
    EXTREME_INCIDENT = "extreme_incident"
    PUBLIC_ORDER = "public_order"
    MEDIA_ATTENTION = "media_attention"


class ClueStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


#: Agency kinds that may submit ``onsite`` clues under first-inquiry responsibility (首问负责制).
ONSITE_AGENCY_KINDS = frozenset({"hrss", "construction", "transport", "water"})


@dataclass(frozen=True)
class EmergencyPolicy:
    """Thresholds of the emergency plan (应急处突联动); policy, so configuration."""

    min_workers: int
    min_amount: Decimal


@dataclass(frozen=True)
class MatterKey:
    """What makes two clues the same arrears matter: employer, division and project."""

    division: str
    employer: str
    project: str


@dataclass(frozen=True)
class MatterFacts:
    """What duplicate matching compares (rule 8): division, employer's USCC and name, project name.

    ``employer_name`` and ``project`` are normalised keys; ``project`` is None when the clue names none.
    """

    division: str
    uscc: str | None
    employer_name: str
    project: str | None


@dataclass(frozen=True)
class OpenClue:
    clue_id: str
    source: Source
    received_at: datetime
    facts: MatterFacts | None = None


@dataclass(frozen=True)
class NewClue:
    """A clue as a submission stores it, before routing has said anything about it."""

    clue_id: str
    source: Source
    external_id: str
    submitted_by: str
    fingerprint: str
    submission: dict[str, Any]
    raw_body: str
    source_payload: dict[str, Any] | None
    received_at: datetime
    division: str
    employer_key: str
    project_key: str
    employer_uscc: str | None
    employer_name: str
    link_reason: str | None
    workers: int
    amount_owed: Decimal
    emergency: bool
    emergency_reasons: list[str]
    lead_clue_id: str | None


@dataclass(frozen=True)
class Clue:
    """A stored clue with its current status (the status read model fed by routing's events)."""

    clue_id: str
    source: Source
    external_id: str
    submitted_by: str
    fingerprint: str
    submission: dict[str, Any]
    source_payload: Any
    received_at: datetime
    division: str
    workers: int
    amount_owed: Decimal
    emergency: bool
    emergency_reasons: list[str]
    lead_clue_id: str | None
    link_reason: str | None
    status: ClueStatus
    stage: list[str]
    outcome: str | None
    amount_paid: Decimal | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ClueLink:
    """A clue linked to its lead as the same matter (rule 8), and why."""

    clue_id: str
    lead_clue_id: str
    reason: str | None
