"""Kafka consumer runner: at-least-once delivery, applied once through the inbox.

Each message is applied in one database transaction that also claims its event id in the
inbox; the offset is committed only after that commit. Transient failures (database or broker
unreachable) are retried in place, which keeps per-clue order. A message that still fails after
``retries`` tries, or cannot be decoded, goes to ``<topic>.dlq`` with the error in its headers.

Rebalances are kept short (docs/decisions.md): a batch is sized from the measured cost of a record
to take about ``batch_seconds``; once a rebalance is announced the consumer takes no further batch,
and it lets its partitions go only after the batch in flight has committed (or ``drain_seconds``
passed), so that little is applied twice.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiokafka import (
    AIOKafkaConsumer,
    AIOKafkaProducer,
    ConsumerRebalanceListener,
    ConsumerRecord,
    TopicPartition,
)
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events import CloudEvent, decode_event, dlq_topic
from shared.kafka import Kafka, kafka_options
from shared.logs import current_clue_id
from shared.messaging import Inbox
from shared.tracing import context_of, tracer

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]
AfterCommit = Callable[[], None]

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError, ConnectionError)


class PoisonMessage(Exception):
    """A message that can never be applied: it goes to the DLQ at once."""


@dataclass(frozen=True)
class ConsumerTuning:
    """Group membership timings (CommonSettings.consumer_*)."""

    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 1_000
    max_poll_interval_ms: int = 30_000
    max_records: int = 200
    batch_seconds: float = 1.0
    """Fetches are sized from the measured cost of a record so that one batch takes about this long."""
    drain_seconds: float = 5.0


class _LetGoAfterTheBatch(ConsumerRebalanceListener):  # type: ignore[misc]
    """Before partitions move: stop taking batches and wait until the one in flight has committed."""

    def __init__(self, owner: "EventConsumer") -> None:
        self._owner = owner

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self._owner.drain(revoked)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        self._owner.assigned(assigned)


class EventConsumer:
    def __init__(
        self,
        *,
        name: str,
        topics: list[str],
        group_id: str,
        kafka: Kafka,
        sessions: async_sessionmaker[AsyncSession],
        inbox: Inbox,
        handler: Handler,
        producer: AIOKafkaProducer,
        retries: int = 3,
        after_commit: AfterCommit | None = None,
        tuning: ConsumerTuning | None = None,
    ) -> None:
        self.name = name
        self._topics = topics
        self._group_id = group_id
        self._kafka = kafka
        self._sessions = sessions
        self._inbox = inbox
        self._handler = handler
        self._producer = producer
        self._retries = retries
        self._after_commit = after_commit
        self._tuning = tuning or ConsumerTuning()
        self.consumer: AIOKafkaConsumer | None = None
        self.processed = 0
        self.dead_lettered = 0
        self.duplicates = 0
        """Events the inbox already had: replays after a crash or a rebalance."""
        self.rebalances = 0
        self.partitions: frozenset[TopicPartition] = frozenset()
        self._letting_go = False
        self._seconds_per_record: float | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    async def run(self) -> None:
        delay = 0.2
        while True:
            consumer = AIOKafkaConsumer(
                **kafka_options(self._kafka),
                group_id=self._group_id,
                client_id=f"{self._group_id}-{self.name}",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                session_timeout_ms=self._tuning.session_timeout_ms,
                rebalance_timeout_ms=self._tuning.session_timeout_ms,
                heartbeat_interval_ms=self._tuning.heartbeat_interval_ms,
                max_poll_interval_ms=self._tuning.max_poll_interval_ms,
            )
            consumer.subscribe(self._topics, listener=_LetGoAfterTheBatch(self))
            try:
                await consumer.start()
            except KafkaError as error:
                log.warning("%s: Kafka not reachable yet (%s), retrying", self.name, error)
                await consumer.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.consumer = consumer
            try:
                await self._consume(consumer)
            except KafkaError as error:
                log.warning("%s: consumer lost Kafka (%s); reconnecting", self.name, error)
                await asyncio.sleep(1)
            finally:
                self.consumer = None
                self.partitions = frozenset()
                await consumer.stop()

    def assigned(self, partitions: list[TopicPartition]) -> None:
        self.partitions = frozenset(partitions)
        self.rebalances += 1
        self._letting_go = False
        log.info("%s: assigned %d partitions", self.name, len(partitions))

    async def drain(self, revoked: list[TopicPartition]) -> None:
        """A rebalance began: take no further batch, and let the one in flight commit first."""
        self._letting_go = True
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout=self._tuning.drain_seconds)
        except TimeoutError:
            log.warning(
                "%s: batch still in flight after %.1fs; letting go", self.name, self._tuning.drain_seconds
            )
        log.info(
            "%s: letting go of %d partitions after %.3fs", self.name, len(revoked), time.monotonic() - started
        )
        self.partitions = frozenset()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            await self._consume_once(consumer)

    async def _consume_once(self, consumer: AIOKafkaConsumer) -> None:
        """One round over every partition with records waiting: at most a budget's worth of each,
        the rest fetched again next round, so that a busy partition cannot starve the others."""
        batches = await consumer.getmany(timeout_ms=500)
        size = self._fetch_size()
        for partition, fetched in batches.items():
            if self._letting_go:
                break  # the partition's next owner fetches these from the committed offset
            records, rest = fetched[:size], fetched[size:]
            if rest:
                consumer.seek(partition, rest[0].offset)
            self._idle.clear()
            started = time.monotonic()
            try:
                await self._apply_partition(consumer, partition, records)
            finally:
                self._idle.set()
            self._measure(time.monotonic() - started, len(records))

    def _fetch_size(self) -> int:
        """As many records as fit in the batch budget at the cost measured so far."""
        if self._seconds_per_record is None:
            return min(self._tuning.max_records, 10)
        fitting = int(self._tuning.batch_seconds / max(self._seconds_per_record, 1e-6))
        return max(1, min(self._tuning.max_records, fitting))

    def _measure(self, seconds: float, records: int) -> None:
        cost = seconds / records
        previous = self._seconds_per_record
        self._seconds_per_record = cost if previous is None else 0.7 * previous + 0.3 * cost

    async def _apply_partition(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        records: list[ConsumerRecord[bytes, bytes]],
    ) -> None:
        if await self._apply_batch(records):
            await self._commit(consumer, partition, records[-1].offset + 1)
            return
        for done, record in enumerate(records):
            if self._letting_go and done:
                await self._commit(consumer, partition, record.offset)
                return
            await self._apply(record)
        await self._commit(consumer, partition, records[-1].offset + 1)

    async def _apply_batch(self, records: list[ConsumerRecord[bytes, bytes]]) -> bool:
        """The fast path: a partition's batch in one transaction. On any failure nothing of it is
        kept and the caller applies the records one by one, with retries and the DLQ."""
        if len(records) < 2:
            return False
        try:
            events = [decode_event(record.value) for record in records]
        except (ValidationError, ValueError):
            return False
        try:
            async with self._sessions.begin() as session:
                applied = [
                    await self._claim_and_handle(session, record, event)
                    for record, event in zip(records, events, strict=True)
                ]
        except Exception as error:  # replayed one by one, where each failure is handled as it deserves
            log.info("%s: batch of %d failed (%r); applying one by one", self.name, len(records), error)
            return False
        self.processed += len(records)
        self.duplicates += applied.count(False)
        if self._after_commit is not None:
            self._after_commit()
        return True

    async def _commit(self, consumer: AIOKafkaConsumer, partition: TopicPartition, offset: int) -> None:
        try:
            await consumer.commit({partition: offset})
        except (CommitFailedError, IllegalStateError):
            # The partition moved to another member mid-batch; it replays, the inbox absorbs it.
            # (Reconnecting instead would leave and rejoin the group: two more rebalances.)
            log.info("%s: commit on %s failed after a rebalance; replay is harmless", self.name, partition)

    async def _apply(self, record: ConsumerRecord[bytes, bytes]) -> None:
        try:
            event = decode_event(record.value)
        except (ValidationError, ValueError) as error:
            await self._dead_letter(record, error)
            return
        current_clue_id.set(event.subject)
        failures = 0
        delay = 0.2
        while True:
            try:
                async with self._sessions.begin() as session:
                    applied = await self._claim_and_handle(session, record, event)
                self.processed += 1
                self.duplicates += not applied
                if self._after_commit is not None:
                    self._after_commit()
                return
            except PoisonMessage as error:
                await self._dead_letter(record, error)
                return
            except TRANSIENT_ERRORS as error:
                log.warning("%s: transient failure on %s (%s); retrying", self.name, event.id, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            except Exception as error:
                failures += 1
                log.warning("%s: %s failed (try %d): %r", self.name, event.id, failures, error)
                if failures >= self._retries:
                    await self._dead_letter(record, error)
                    return
                await asyncio.sleep(0.2 * failures)

    async def _claim_and_handle(
        self, session: AsyncSession, record: ConsumerRecord[bytes, bytes], event: CloudEvent
    ) -> bool:
        """Apply the event unless the inbox has it already (then False), in the trace it was published in."""
        current_clue_id.set(event.subject)
        with tracer.start_as_current_span(
            f"{self.name} {event.type}", context=context_of(event.traceparent), kind=SpanKind.CONSUMER
        ) as span:
            span.set_attribute("messaging.destination", record.topic)
            span.set_attribute("clue_id", event.subject)
            if await self._inbox.claim(session, event_id=event.id, topic=record.topic, event_type=event.type):
                await self._handler(session, event)
                return True
            span.set_attribute("duplicate", True)
            return False

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], error: BaseException) -> None:
        headers = [
            ("dlt-original-topic", record.topic.encode()),
            ("dlt-original-partition", str(record.partition).encode()),
            ("dlt-original-offset", str(record.offset).encode()),
            ("dlt-original-timestamp", str(record.timestamp).encode()),
            ("dlt-original-consumer-group", self._group_id.encode()),
            ("dlt-exception-fqcn", f"{type(error).__module__}.{type(error).__qualname__}".encode()),
            ("dlt-exception-message", str(error)[:2000].encode()),
        ]
        log.error(
            "%s: parking %s[%d]@%d on the DLQ: %r",
            self.name,
            record.topic,
            record.partition,
            record.offset,
            error,
        )
        await self._producer.send_and_wait(
            dlq_topic(record.topic), value=record.value, key=record.key, headers=headers
        )
        self.dead_lettered += 1
