"""Subscriptions and deliveries as notify knows them (webhooks, signed per Standard Webhooks)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

DeliveryState = Literal["pending", "delivering", "succeeded", "failed"]
#: Redelivery sends these again (a pending one at once); a delivering one is being sent right now.
REDELIVERABLE = ("pending", "failed", "succeeded")
NOT_SENT_WHILE_DISABLED = "not sent: the subscription was disabled; fix it and redeliver"
NOT_SENT_REMOVED = "not sent: the subscription was removed; subscribe again and redeliver"
DISABLED_BY_410 = "not sent: the subscription was disabled after its endpoint answered 410 Gone"


@dataclass(frozen=True)
class Subscription:
    """A principal's webhook endpoint; its secrets are sealed at rest (the SecretBox opens them)."""

    principal: str
    url: str
    events: list[str]
    secret: str
    previous_secret: str | None = None
    previous_secret_until: datetime | None = None
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Subscriber:
    """What planning needs of a subscription."""

    principal: str
    events: list[str]
    disabled: bool


@dataclass(frozen=True)
class NewDelivery:
    delivery_id: str
    event_id: str
    event_type: str
    clue_id: str
    principal: str
    ordered: bool
    payload: dict[str, Any]
    state: DeliveryState
    next_attempt_at: datetime | None
    last_error: str | None
    event_time: datetime
    traceparent: str | None


@dataclass(frozen=True)
class Attempt:
    """One try at sending a delivery: the answer's status, or why there was none."""

    status: int | None
    error: str | None
    started_at: datetime
    duration_ms: int
    retry_after: float | None = None


@dataclass(frozen=True)
class Delivery:
    delivery_id: str
    event_id: str
    event_type: str
    clue_id: str
    principal: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    payload: dict[str, Any]
    created_at: datetime
    delivered_at: datetime | None
    sequence: int = 0
    attempt_history: tuple[Attempt, ...] = ()


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to one worker (state ``delivering`` until ``lease_until``), with its endpoint."""

    delivery_id: str
    payload: dict[str, object]
    attempts: int
    lease_until: datetime
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_until: datetime | None
    principal: str
    traceparent: str | None
    retry_from: int = 0


@dataclass(frozen=True)
class AttemptOutcome:
    """A delivery's state after an attempt."""

    state: DeliveryState
    next_attempt_at: datetime | None
    last_error: str | None
    delivered_at: datetime | None = None
