"""CloudEvents 1.0 in structured JSON mode; the Kafka key and the ``subject`` are the clue id."""

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.events.schemas import EVENT_SCHEMAS
from shared.tracing import current_traceparent

CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
SCHEMA_BASE = "urn:anxin:events:"


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: str = "1.0"
    id: str
    source: str
    type: str
    subject: str
    time: datetime
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    traceparent: str | None = Field(
        default=None, description="W3C trace context (distributed-tracing extension)"
    )
    data: dict[str, Any] = Field(default_factory=dict)


def new_event(*, source: str, type: str, subject: str, data: dict[str, Any], time: datetime) -> CloudEvent:
    """A new event; ``data`` must match the type's schema (shared/events/schemas.py)."""
    if time.tzinfo is None:
        raise ValueError("event time must be timezone-aware")
    schema = EVENT_SCHEMAS.get(type)
    if schema is None:
        raise ValueError(f"unknown event type {type!r}: add its schema to shared/events/schemas.py")
    schema.model_validate(data)
    traceparent = current_traceparent()
    return CloudEvent(
        id=str(uuid.uuid4()),
        source=source,
        type=type,
        subject=subject,
        time=time,
        dataschema=f"{SCHEMA_BASE}{type}/v1",
        data=data,
        **({"traceparent": traceparent} if traceparent else {}),
    )


def encode_event(event: CloudEvent) -> bytes:
    return event.model_dump_json(exclude_none=True).encode()


def decode_event(raw: bytes) -> CloudEvent:
    return CloudEvent.model_validate_json(raw)
