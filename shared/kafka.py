"""Kafka lifecycle: producers, topic creation and readiness. Nothing connects at import."""

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

log = logging.getLogger(__name__)


def make_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        linger_ms=2,
        request_timeout_ms=10_000,
        retry_backoff_ms=200,
    )


async def start_with_retry(client: AIOKafkaProducer, *, what: str) -> None:
    """Start a Kafka client, waiting for the broker however long it takes to come up."""
    delay = 0.2
    while True:
        try:
            await client.start()
            return
        except Exception as error:  # broker not up yet: keep trying, never give up
            log.warning("%s: Kafka not reachable yet (%s), retrying", what, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def ensure_topics(bootstrap: str, topics: Iterable[str], *, partitions: int) -> None:
    """Create the topics explicitly rather than relying on auto-creation."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(t, num_partitions=partitions, replication_factor=1) for t in topics if t not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


async def ensure_topics_with_retry(bootstrap: str, topics: Iterable[str], *, partitions: int) -> None:
    wanted = list(topics)
    delay = 0.2
    while True:
        try:
            await ensure_topics(bootstrap, wanted, partitions=partitions)
            return
        except (KafkaError, OSError) as error:
            log.warning("creating topics: Kafka not reachable yet (%s), retrying", error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def kafka_ready(bootstrap: str) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3_000)
    try:
        await asyncio.wait_for(admin.start(), timeout=4)
        await asyncio.wait_for(admin.list_topics(), timeout=4)
    except Exception:  # readiness reports any failure as not ready
        return False
    finally:
        await admin.close()
    return True
