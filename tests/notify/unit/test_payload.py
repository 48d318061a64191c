"""The webhook body: ``{"type", "timestamp", "data"}``, data with ``clue_id`` and no personal data."""

from datetime import UTC, datetime
from typing import Any

from notify.domain.payload import webhook_payload as payload_of
from shared.events import CloudEvent


def event(type_: str, data: dict[str, object]) -> CloudEvent:
    return CloudEvent(
        id="e-1",
        source="/anxin/intake",
        type=type_,
        subject="c-1",
        time=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        data=data,
    )


def webhook_payload(event: CloudEvent) -> dict[str, Any]:
    return payload_of(event_type=event.type, time=event.time, data=event.data, subject=event.subject)


def test_body_carries_type_timestamp_and_clue_id() -> None:
    body = webhook_payload(event("deadline.breached", {"rule": "overall"}))
    assert body == {
        "type": "deadline.breached",
        # Issue 18 (item 9): the body's timestamp is in +08:00, as the contract's moments are.
        "timestamp": "2026-11-27T16:00:00+08:00",
        "data": {"rule": "overall", "clue_id": "c-1"},
    }


def test_personal_data_never_leaves_in_a_webhook() -> None:
    body = webhook_payload(
        event("clue.received", {"clue_id": "c-1", "complainant": {"name": "张三", "phone": "13812345678"}})
    )
    assert "complainant" not in body["data"]
    assert "13812345678" not in str(body)
