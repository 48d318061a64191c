"""HTTP schemas of notify."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from notify.domain.recipients import WebhookEventType
from shared.api import ApiModel
from shared.params import Line, Moment


class SubscriptionPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Line = Field(min_length=8, max_length=2000)
    events: list[WebhookEventType] = Field(min_length=1)


class SecretOut(ApiModel):
    secret: str


class SubscriptionOut(ApiModel):
    principal: str
    url: str
    events: list[str]
    previous_secret_until: datetime | None
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


class RotatedSecret(ApiModel):
    secret: str
    previous_secret_valid_until: datetime


class DeliveryOut(ApiModel):
    delivery_id: str
    event_id: str
    event_type: str
    clue_id: str
    principal: str
    state: Literal["pending", "delivering", "succeeded", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    payload: dict[str, Any]
    created_at: datetime
    delivered_at: datetime | None


class ReplayFailed(BaseModel):
    """Send again the caller's failed deliveries created in ``[since, until)``."""

    model_config = ConfigDict(extra="forbid")

    since: Moment
    until: Moment | None = None


class Replayed(ApiModel):
    redelivered: int
