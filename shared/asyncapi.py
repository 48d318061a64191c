"""AsyncAPI 3 document of the topics a service publishes and consumes, generated from the event
schemas the code validates against (shared/events/schemas.py), so it cannot drift."""

from collections.abc import Iterable
from typing import Any

from shared.events.envelope import CloudEvent
from shared.events.schemas import EVENT_SCHEMAS, TOPIC_TYPES

REF = "#/components/schemas/{model}"


def _operation_id(action: str, topic: str) -> str:
    return action + "".join(part.capitalize() for part in topic.split("."))


def asyncapi_document(
    *, service: str, publishes: Iterable[str], consumes: Iterable[str], bootstrap: str
) -> dict[str, Any]:
    published, consumed = sorted(set(publishes)), sorted(set(consumes))
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    envelope = CloudEvent.model_json_schema(ref_template=REF)
    envelope.pop("$defs", None)
    schemas["CloudEvent"] = envelope
    for topic in published + consumed:
        if topic in channels:
            continue
        channel_messages = {}
        for event_type in TOPIC_TYPES[topic]:
            model = EVENT_SCHEMAS[event_type]
            data_schema = model.model_json_schema(ref_template=REF)
            schemas.update(data_schema.pop("$defs", {}))
            schemas[model.__name__] = data_schema
            messages[event_type] = {
                "name": event_type,
                "title": event_type,
                "summary": (model.__doc__ or event_type).strip().splitlines()[0],
                "contentType": "application/cloudevents+json; charset=UTF-8",
                "headers": {"type": "object", "properties": {"content-type": {"type": "string"}}},
                "payload": {
                    "allOf": [
                        {"$ref": "#/components/schemas/CloudEvent"},
                        {
                            "type": "object",
                            "properties": {
                                "type": {"const": event_type},
                                "subject": {
                                    "type": "string",
                                    "description": "the clue id; also the Kafka key",
                                },
                                "data": {"$ref": f"#/components/schemas/{model.__name__}"},
                            },
                        },
                    ]
                },
                "bindings": {"kafka": {"key": {"type": "string", "description": "clue_id"}}},
            }
            channel_messages[event_type] = {"$ref": f"#/components/messages/{event_type}"}
        channels[topic] = {"address": topic, "messages": channel_messages}
    for action, topics in (("send", published), ("receive", consumed)):
        for topic in topics:
            operations[_operation_id(action, topic)] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{topic}"},
                "messages": [{"$ref": f"#/channels/{topic}/messages/{t}"} for t in TOPIC_TYPES[topic]],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"Anxin {service} events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in structured JSON mode; key and subject are the clue id. "
            "A message that cannot be processed goes to <topic>.dlq with the error in its headers.",
        },
        "defaultContentType": "application/cloudevents+json; charset=UTF-8",
        "servers": {"kafka": {"host": bootstrap, "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }
