"""The event envelope and the AsyncAPI document generated from the same schemas."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.asyncapi import asyncapi_document
from shared.events import decode_event, encode_event, new_event
from shared.events.schemas import EVENT_SCHEMAS, TOPIC_TYPES

NOW = datetime(2026, 9, 24, 2, 15, tzinfo=UTC)
STATUS = {
    "clue_id": "c-1",
    "source": "national",
    "submitted_by": "source:national",
    "status": "in_progress",
    "stage": ["verify"],
    "division": "330106",
}


def test_an_event_round_trips_as_structured_cloudevent_json() -> None:
    event = new_event(source="/anxin/routing", type="clue.status", subject="c-1", data=STATUS, time=NOW)
    decoded = decode_event(encode_event(event))
    assert decoded == event
    assert decoded.specversion == "1.0"
    assert decoded.dataschema == "urn:anxin:events:clue.status/v1"


def test_data_that_does_not_match_its_schema_is_never_published() -> None:
    incomplete = {k: v for k, v in STATUS.items() if k != "status"}
    with pytest.raises(ValidationError, match="status"):
        new_event(source="/anxin/routing", type="clue.status", subject="c-1", data=incomplete, time=NOW)


def test_unknown_types_and_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        new_event(source="/x", type="clue.teleported", subject="c-1", data={"clue_id": "c-1"}, time=NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        new_event(source="/x", type="clue.status", subject="c-1", data=STATUS, time=datetime(2026, 1, 1))  # noqa: DTZ001


def test_every_contract_type_has_a_schema_on_its_topic() -> None:
    assert set(TOPIC_TYPES) == {"anxin.intake", "anxin.routing", "anxin.deadlines"}
    assert {t for types in TOPIC_TYPES.values() for t in types} == set(EVENT_SCHEMAS)


@pytest.mark.parametrize(
    ("service", "publishes", "consumes"),
    [
        ("intake", ["anxin.intake"], ["anxin.routing"]),
        ("routing", ["anxin.routing"], ["anxin.intake", "anxin.deadlines"]),
        ("deadlines", ["anxin.deadlines"], ["anxin.intake", "anxin.routing"]),
        ("notify", [], ["anxin.intake", "anxin.routing", "anxin.deadlines"]),
    ],
)
def test_asyncapi_lists_what_a_service_sends_and_receives(
    service: str, publishes: list[str], consumes: list[str]
) -> None:
    doc = asyncapi_document(
        service=service, publishes=publishes, consumes=consumes, bootstrap="127.0.0.1:9092"
    )
    assert doc["asyncapi"] == "3.0.0"
    assert set(doc["channels"]) == set(publishes) | set(consumes)
    actions = {
        op["channel"]["$ref"].removeprefix("#/channels/"): op["action"] for op in doc["operations"].values()
    }
    assert actions == {**dict.fromkeys(consumes, "receive"), **dict.fromkeys(publishes, "send")}
    for topic in doc["channels"]:
        assert set(doc["channels"][topic]["messages"]) == set(TOPIC_TYPES[topic])
    for message in doc["components"]["messages"].values():
        data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
        assert data_ref.removeprefix("#/components/schemas/") in doc["components"]["schemas"]
