"""What notify's use cases are asked to do: decoded from events (consumers/) and requests (api/)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.auth import Principal


@dataclass(frozen=True, slots=True)
class PlanDeliveries:
    """Any consumed event: remember what later events need, and deliver it to who subscribed."""

    event_id: str
    event_type: str
    subject: str
    time: datetime
    data: dict[str, Any]
    traceparent: str | None


@dataclass(frozen=True, slots=True)
class Subscribe:
    """Create or replace the caller's subscription (PUT /v1/subscriptions/me)."""

    principal: Principal
    url: str
    events: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListDeliveries:
    reader: Principal
    state: str | None
    clue_id: str | None
    limit: int
    cursor: str | None


@dataclass(frozen=True, slots=True)
class RedeliverFailed:
    """The caller's failed deliveries created in ``[since, until)`` (until open when None)."""

    principal: Principal
    since: datetime
    until: datetime | None


@dataclass(frozen=True, slots=True)
class RedeliverRange:
    """Every principal's deliveries in a state, created in ``[since, until)`` (admin)."""

    operator: Principal
    state: str
    since: datetime
    until: datetime | None
    subscriber: str | None
