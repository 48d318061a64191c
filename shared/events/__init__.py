"""Wire contracts: the CloudEvents envelope, topics and the data schema of each event type."""

from shared.events.envelope import CloudEvent, decode_event, encode_event, new_event
from shared.events.topics import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC, dlq_topic

__all__ = [
    "DEADLINES_TOPIC",
    "INTAKE_TOPIC",
    "ROUTING_TOPIC",
    "CloudEvent",
    "decode_event",
    "dlq_topic",
    "encode_event",
    "new_event",
]
