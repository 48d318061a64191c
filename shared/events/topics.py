"""Kafka topics: each service publishes on one, so one clue's events from one service stay in order."""

INTAKE_TOPIC = "anxin.intake"
ROUTING_TOPIC = "anxin.routing"
DEADLINES_TOPIC = "anxin.deadlines"
ALL_TOPICS = (INTAKE_TOPIC, ROUTING_TOPIC, DEADLINES_TOPIC)


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"
