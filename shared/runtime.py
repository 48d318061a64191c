"""What every service runs besides its HTTP routes: database, producer, outbox relay, consumers.

Kafka may be down when a service starts; the service still starts, accepts what it can store,
and its background tasks connect when the broker comes back. /readyz says what is missing.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.consumer import ConsumerTuning, EventConsumer, Handler
from shared.db import database_ready, make_engine, make_session_factory
from shared.events.topics import ALL_TOPICS, dlq_topic
from shared.kafka import (
    KafkaConnection,
    ensure_topics_with_retry,
    kafka_ready,
    make_producer,
    start_with_retry,
)
from shared.messaging import Inbox
from shared.relay import OutboxRelay
from shared.sealing import Sealer
from shared.settings import CommonSettings, ProductionSettingsError

log = logging.getLogger(__name__)

BackgroundJob = Callable[[], Awaitable[None]]


@dataclass
class Subscription:
    """One consumer group: the topics it reads and the handler applying each event."""

    name: str
    topics: list[str]
    handler: Handler
    group_suffix: str | None = None
    """A read model that must see every event gets a group (and an inbox) of its own."""
    inbox_table: Table | None = None


@dataclass
class ServiceRuntime:
    service: str
    common: CommonSettings
    inbox_table: Table
    outbox_table: Table | None = None
    publishes_to: str | None = None
    subscriptions: Sequence[Subscription] = ()
    jobs: list[BackgroundJob] = field(default_factory=list)
    commit_listeners: list[Callable[[], None]] = field(default_factory=list)
    shows_personal_data: bool = False
    """Intake and routing: they hold the key that opens personal data in events (shared/sealing.py)."""
    kafka: KafkaConnection = field(init=False)
    sealer: Sealer | None = field(init=False, default=None)
    engine: AsyncEngine = field(init=False)
    sessions: async_sessionmaker[AsyncSession] = field(init=False)
    producer: AIOKafkaProducer = field(init=False)
    relay: OutboxRelay | None = field(init=False, default=None)
    consumers: list[EventConsumer] = field(init=False, default_factory=list)
    producer_started: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.common.database_url)
        self.sessions = make_session_factory(self.engine)
        self.kafka = self.common.kafka_connection()
        if self.shows_personal_data:
            self.sealer = self.common.personal_data_sealer()
        self.producer = make_producer(self.kafka, client_id=f"anxin-{self.service}")
        if self.outbox_table is not None and self.publishes_to is not None:
            self.relay = OutboxRelay(
                engine=self.engine,
                table=self.outbox_table,
                producer=self.producer,
                poll_seconds=self.common.outbox_poll_seconds,
            )
        tuning = ConsumerTuning(
            session_timeout_ms=self.common.consumer_session_timeout_ms,
            heartbeat_interval_ms=self.common.consumer_heartbeat_interval_ms,
            max_poll_interval_ms=self.common.consumer_max_poll_interval_ms,
            max_records=self.common.consumer_max_records,
            batch_seconds=self.common.consumer_batch_seconds,
            drain_seconds=self.common.consumer_drain_seconds,
        )
        self.consumers = [
            EventConsumer(
                name=sub.name,
                topics=sub.topics,
                group_id=f"anxin-{self.service}" + (f"-{sub.group_suffix}" if sub.group_suffix else ""),
                kafka=self.kafka,
                sessions=self.sessions,
                inbox=Inbox(sub.inbox_table if sub.inbox_table is not None else self.inbox_table),
                handler=sub.handler,
                producer=self.producer,
                retries=self.common.consumer_retries,
                after_commit=self.after_commit,
                tuning=tuning,
            )
            for sub in self.subscriptions
        ]

    def after_commit(self) -> None:
        """Called after a consumer commits: wake the relay and anyone else listening."""
        if self.relay is not None:
            self.relay.wake()
        for listener in self.commit_listeners:
            listener()

    async def start(self) -> None:
        if self.shows_personal_data and self.sealer is None:
            raise ProductionSettingsError(
                f"refusing to start {self.service} in production mode: ANXIN_PERSONAL_DATA_KEY is not set"
            )
        self._spawn(self._connect_and_run(), "kafka")
        for job in self.jobs:
            self._spawn(job(), job.__name__)

    def _spawn(self, coroutine: Awaitable[None], name: str) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coroutine)
        task.set_name(f"{self.service}:{name}")
        task.add_done_callback(_log_crash)
        self._tasks.append(task)

    async def _connect_and_run(self) -> None:
        topics = [*ALL_TOPICS, *(dlq_topic(t) for t in ALL_TOPICS)]
        await ensure_topics_with_retry(self.kafka, topics, partitions=self.common.kafka_partitions)
        await start_with_retry(self.producer, what=f"{self.service} producer")
        self.producer_started.set()
        runners = [*(c.run() for c in self.consumers)]
        if self.relay is not None:
            runners.append(self.relay.run())
        await asyncio.gather(*runners)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.producer_started.is_set():
            await self.producer.stop()
        await self.engine.dispose()

    async def readiness(self) -> dict[str, Any]:
        database = await database_ready(self.engine)
        backlog, oldest = await self.relay.backlog() if database and self.relay else (None, None)
        return {
            "database": database,
            "kafka": await kafka_ready(self.kafka),
            "outbox_backlog": backlog,
            "outbox_oldest_seconds": oldest,
            "consumers": {
                c.name: {
                    "processed": c.processed,
                    "dead_lettered": c.dead_lettered,
                    "duplicates": c.duplicates,
                    "rebalances": c.rebalances,
                    "partitions": len(c.partitions),
                }
                for c in self.consumers
            },
        }


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s crashed", task.get_name(), exc_info=task.exception())
