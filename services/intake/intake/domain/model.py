"""Clues as intake knows them (欠薪线索)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


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
