"""Backlog of every outbox (from each service's /readyz) and every consumer group (lag per partition)."""

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families

from shared.kafka import Kafka, kafka_options

GROUP_PREFIX = "anxin-"


@dataclass(frozen=True)
class OutboxBacklog:
    service: str
    reachable: bool
    backlog: int | None
    oldest_seconds: float | None


@dataclass(frozen=True)
class WebhookBacklog:
    """Notify's deliveries: waiting (pending or being sent), failed, and the oldest waiting one's age."""

    reachable: bool
    pending: int | None
    failed: int | None
    oldest_pending_seconds: float | None


#: Notify's gauges (notify/api/metrics.py) and the field each fills.
WEBHOOK_GAUGES = {
    "anxin_deliveries_pending": "pending",
    "anxin_deliveries_failed": "failed",
    "anxin_deliveries_oldest_pending_seconds": "oldest_pending_seconds",
}


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return self.end - (self.committed or 0)


async def outbox_backlogs(urls: dict[str, str]) -> list[OutboxBacklog]:
    async def one(client: httpx.AsyncClient, service: str, url: str) -> OutboxBacklog:
        try:
            checks: dict[str, Any] = (await client.get(f"{url}/readyz")).json()["checks"]
        except (httpx.HTTPError, ValueError, KeyError):
            return OutboxBacklog(service, False, None, None)
        return OutboxBacklog(service, True, checks.get("outbox_backlog"), checks.get("outbox_oldest_seconds"))

    async with httpx.AsyncClient(timeout=10) as client:
        return list(await asyncio.gather(*(one(client, s, u) for s, u in urls.items())))


async def webhook_backlog(notify_url: str) -> WebhookBacklog:
    """Read from notify's /metrics, as Prometheus does."""
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(f"{notify_url}/metrics")
            response.raise_for_status()
        values = {
            sample.name: sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
            if sample.name in WEBHOOK_GAUGES
        }
    except (httpx.HTTPError, ValueError):
        return WebhookBacklog(False, None, None, None)
    pending, failed = values.get("anxin_deliveries_pending"), values.get("anxin_deliveries_failed")
    return WebhookBacklog(
        reachable=True,
        pending=int(pending) if pending is not None else None,
        failed=int(failed) if failed is not None else None,
        oldest_pending_seconds=values.get("anxin_deliveries_oldest_pending_seconds"),
    )


async def consumer_lags(kafka: Kafka, groups: list[str] | None = None) -> list[PartitionLag]:
    """Committed offset and end of every partition each group reads; lag is their difference."""
    admin = AIOKafkaAdminClient(**kafka_options(kafka), request_timeout_ms=10_000)
    await admin.start()
    try:
        if groups is None:
            listed = await admin.list_consumer_groups()
            groups = sorted(g[0] for g in listed if str(g[0]).startswith(GROUP_PREFIX))
        committed = {group: await admin.list_consumer_group_offsets(group) for group in groups}
    finally:
        await admin.close()
    partitions = sorted({tp for offsets in committed.values() for tp in offsets})
    ends = await end_offsets(kafka, partitions)
    lags = []
    for group in groups:
        for tp, meta in sorted(committed[group].items()):
            offset = meta.offset if meta is not None and meta.offset >= 0 else None
            lags.append(PartitionLag(group, tp.topic, tp.partition, offset, ends.get(tp, 0)))
    return lags


async def end_offsets(kafka: Kafka, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
    if not partitions:
        return {}
    consumer = AIOKafkaConsumer(**kafka_options(kafka), enable_auto_commit=False)
    await consumer.start()
    try:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        return ends
    finally:
        await consumer.stop()
