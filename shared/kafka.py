"""Kafka lifecycle: connections, producers, topic creation and readiness. Nothing connects at import."""

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context

log = logging.getLogger(__name__)

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


@dataclass(frozen=True)
class KafkaConnection:
    """Where the brokers are and how every client reaches them: plain on the local loopback stack,
    SASL over TLS in production (CommonSettings.kafka_*)."""

    bootstrap: str
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": self.security_protocol,
        }
        if self.security_protocol in ("SSL", "SASL_SSL"):
            options["ssl_context"] = create_ssl_context(cafile=str(self.ca_file) if self.ca_file else None)
        if self.security_protocol.startswith("SASL"):
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.username,
                "sasl_plain_password": self.password,
            }
        return options


#: A bare bootstrap string means a plain connection (tests, the local stack).
Kafka = str | KafkaConnection


def kafka_options(kafka: Kafka) -> dict[str, Any]:
    return (kafka if isinstance(kafka, KafkaConnection) else KafkaConnection(kafka)).client_options()


def make_producer(kafka: Kafka, *, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **kafka_options(kafka),
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


async def ensure_topics(kafka: Kafka, topics: Iterable[str], *, partitions: int) -> None:
    """Create the topics explicitly rather than relying on auto-creation."""
    admin = AIOKafkaAdminClient(**kafka_options(kafka), request_timeout_ms=10_000)
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


async def ensure_topics_with_retry(kafka: Kafka, topics: Iterable[str], *, partitions: int) -> None:
    wanted = list(topics)
    delay = 0.2
    while True:
        try:
            await ensure_topics(kafka, wanted, partitions=partitions)
            return
        except (KafkaError, OSError) as error:
            log.warning("creating topics: Kafka not reachable yet (%s), retrying", error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def kafka_ready(kafka: Kafka) -> bool:
    admin = AIOKafkaAdminClient(**kafka_options(kafka), request_timeout_ms=3_000)
    try:
        await asyncio.wait_for(admin.start(), timeout=4)
        await asyncio.wait_for(admin.list_topics(), timeout=4)
    except Exception:  # readiness reports any failure as not ready
        return False
    finally:
        await admin.close()
    return True
