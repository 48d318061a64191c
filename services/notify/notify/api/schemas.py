"""HTTP schemas of notify: every property typed, with its enum, format and an example."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from notify.domain.recipients import WebhookEventType
from shared.api import BusinessTime, ReadSchema
from shared.params import Line, Moment

DeliveryState = Literal["pending", "delivering", "succeeded", "failed"]
MOMENT = "2026-12-03T09:15:00+08:00"
CLUE_ID = "0b9f7f3e-8d5a-4c39-9a4e-2f1c7e0d6a11"
DELIVERY_ID = "msg_5f1c2e8a9b7d4c3e8f0a1b2c3d4e5f60"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw="


class SubscriptionPut(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"url": "https://hooks.example.com/anxin", "events": ["clue.status"]}]
        },
    )

    url: Line = Field(
        min_length=8,
        max_length=2000,
        description="the https endpoint that receives the webhooks",
        examples=["https://hooks.example.com/anxin"],
        json_schema_extra={"format": "uri"},
    )
    events: list[WebhookEventType] = Field(
        min_length=1,
        description="event types to receive; each must be one that reaches the caller, else 422",
        examples=[["clue.status"]],
    )


class SecretOut(BaseModel):
    secret: str = Field(description="signs every webhook (Standard Webhooks); keep it", examples=[SECRET])


class SubscriptionOut(ReadSchema):
    principal: str = Field(examples=["source:petition"])
    url: str = Field(examples=["https://hooks.example.com/anxin"], json_schema_extra={"format": "uri"})
    events: list[WebhookEventType] = Field(examples=[["clue.status"]])
    previous_secret_until: BusinessTime | None = Field(
        description="until when the previous secret also signs (after a rotation)", examples=[MOMENT]
    )
    disabled_at: BusinessTime | None = Field(description="when deliveries stopped (410 Gone), if they did")
    disabled_reason: str | None
    created_at: BusinessTime = Field(examples=[MOMENT])
    updated_at: BusinessTime = Field(examples=[MOMENT])


class RotatedSecret(BaseModel):
    secret: str = Field(description="the new secret", examples=[SECRET])
    previous_secret_valid_until: BusinessTime = Field(
        description="the old secret keeps signing until then", examples=[MOMENT]
    )


class AttemptOut(ReadSchema):
    """One try at sending a delivery: every try is kept, redeliveries included."""

    started_at: BusinessTime = Field(examples=[MOMENT])
    status: int | None = Field(description="the endpoint's HTTP status; null when none came", examples=[500])
    error: str | None = Field(description="why the try failed", examples=["HTTP 500"])
    duration_ms: int = Field(ge=0, examples=[120])


class DeliveryOut(ReadSchema):
    delivery_id: str = Field(description="also the `webhook-id` header", examples=[DELIVERY_ID])
    event_id: str = Field(description="the event's id (CloudEvents `id`)")
    event_type: WebhookEventType
    clue_id: str = Field(examples=[CLUE_ID])
    principal: str = Field(examples=["source:petition"])
    sequence: int = Field(
        description="increases with every delivery made; per clue, a lower one than already applied is "
        "older news (the same number is in the webhook body)",
        examples=[1042],
    )
    state: DeliveryState
    attempts: int = Field(ge=0, description="every try it ever had, redeliveries included", examples=[1])
    attempt_history: list[AttemptOut] = Field(description="each try, oldest first")
    next_attempt_at: BusinessTime | None = Field(description="when it is tried next while pending")
    last_status: int | None = Field(examples=[204])
    last_error: str | None
    payload: dict[str, Any] = Field(
        description="the webhook body: type, timestamp (+08:00), sequence, data",
        examples=[
            {
                "type": "clue.status",
                "timestamp": MOMENT,
                "sequence": 1042,
                "data": {"clue_id": CLUE_ID, "status": "in_progress"},
            }
        ],
    )
    created_at: BusinessTime = Field(examples=[MOMENT])
    delivered_at: BusinessTime | None = Field(examples=[MOMENT])


class ReplayFailed(BaseModel):
    """Send again the caller's failed deliveries created in ``[since, until)``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"since": "2026-12-03T00:00:00+08:00"}]}
    )

    since: Moment
    until: Moment | None = None


class Replayed(BaseModel):
    redelivered: int = Field(ge=0, description="how many are pending again", examples=[2])
