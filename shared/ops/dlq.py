"""Replay of dead-lettered messages after a fix: each goes back to its original topic with its key.

Replay is safe because every consumer claims event ids in its inbox: a group that had already
applied the event skips it. The replayer commits its own progress (group ``anxin-ops-dlq-replay``),
so a message is replayed once however often the command runs."""

from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.events.topics import dlq_topic
from shared.kafka import Kafka, kafka_options, make_producer

REPLAY_GROUP = "anxin-ops-dlq-replay"
ORIGINAL_TOPIC_HEADER = "dlt-original-topic"


@dataclass(frozen=True)
class Replayed:
    dlq: str
    offset: int
    topic: str
    key: str | None


async def replay(
    kafka: Kafka, topic: str, *, max_messages: int | None = None, group: str = REPLAY_GROUP
) -> list[Replayed]:
    """Republish what waits on ``<topic>.dlq`` (up to ``max_messages``), oldest first per partition."""
    source = dlq_topic(topic)
    consumer = AIOKafkaConsumer(
        **kafka_options(kafka),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer: AIOKafkaProducer = make_producer(kafka, client_id="anxin-ops")
    await consumer.start()
    await producer.start()
    replayed: list[Replayed] = []
    try:
        partitions = [TopicPartition(source, p) for p in await _partitions(kafka, source)]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        for tp in partitions:
            committed = await consumer.committed(tp)
            if committed is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)
        for tp in partitions:
            while await consumer.position(tp) < ends[tp]:
                if max_messages is not None and len(replayed) >= max_messages:
                    return replayed
                batch = await consumer.getmany(tp, timeout_ms=1000, max_records=1)
                for record in batch.get(tp, []):
                    headers = dict(record.headers)
                    original = headers.get(ORIGINAL_TOPIC_HEADER, topic.encode()).decode()
                    kept = [(k, v) for k, v in record.headers if not k.startswith("dlt-")]
                    kept.append(
                        ("anxin-replayed-from", f"{source}@{record.partition}:{record.offset}".encode())
                    )
                    await producer.send_and_wait(original, value=record.value, key=record.key, headers=kept)
                    await consumer.commit({tp: record.offset + 1})
                    key = record.key.decode() if record.key is not None else None
                    replayed.append(Replayed(source, record.offset, original, key))
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed


async def _partitions(kafka: Kafka, topic: str) -> list[int]:
    admin = AIOKafkaAdminClient(**kafka_options(kafka), request_timeout_ms=10_000)
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(
        p["partition"]
        for t in described
        if t["topic"] == topic and not t["error_code"]
        for p in t["partitions"]
    )
