"""Outbox relay: publishes a service's outbox rows to Kafka in commit order.

One relay per service is active at a time, held by a PostgreSQL advisory lock, so several
instances of a service are safe and per-clue order is kept. Polling is the truth; ``wake()``
is only a hint that new rows were committed.
"""

import asyncio
import contextlib
import logging
import zlib
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import Table, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.envelope import CONTENT_TYPE, CloudEvent, encode_event

log = logging.getLogger(__name__)

BATCH_SIZE = 500


class OutboxRelay:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        table: Table,
        producer: AIOKafkaProducer,
        poll_seconds: float,
    ) -> None:
        self._engine = engine
        self._table = table
        self._producer = producer
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._lock_key = zlib.crc32(f"outbox:{table.schema}".encode())
        self.published = 0

    def wake(self) -> None:
        self._wake.set()

    async def backlog(self) -> tuple[int, float | None]:
        """Unpublished rows and the age in seconds of the oldest one."""
        t = self._table
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(func.count(), func.min(t.c.created_at)).where(t.c.published_at.is_(None))
                )
            ).one()
        count, oldest = row
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else None
        return int(count), age

    async def run(self) -> None:
        while True:
            try:
                async with self._engine.connect() as lock_connection:
                    got = (
                        await lock_connection.execute(
                            text("select pg_try_advisory_lock(:key)"), {"key": self._lock_key}
                        )
                    ).scalar_one()
                    await lock_connection.commit()
                    if not got:
                        await self._sleep()
                        continue
                    log.info("outbox relay for %s is active", self._table.schema)
                    try:
                        await self._drain_forever()
                    finally:
                        # A pooled connection would keep a session lock: release it before returning.
                        with contextlib.suppress(Exception):
                            await lock_connection.execute(text("select pg_advisory_unlock_all()"))
                            await lock_connection.commit()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay for %s failed; restarting", self._table.schema)
                await asyncio.sleep(1)

    async def _drain_forever(self) -> None:
        while True:
            sent = await self.drain_once()
            if sent < BATCH_SIZE:
                await self._sleep()

    async def drain_once(self) -> int:
        t = self._table
        async with self._engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.event)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(BATCH_SIZE)
                )
            ).all()
        if not rows:
            return 0
        try:
            futures = [
                await self._send(row.topic, row.key, CloudEvent.model_validate(row.event)) for row in rows
            ]
            await asyncio.gather(*futures)
        except KafkaError as error:
            log.warning("outbox relay: Kafka unavailable (%s); %d rows wait", error, len(rows))
            await asyncio.sleep(1)
            return 0
        async with self._engine.begin() as connection:
            await connection.execute(
                update(t).where(t.c.id.in_([row.id for row in rows])).values(published_at=func.now())
            )
        self.published += len(rows)
        return len(rows)

    async def _send(self, topic: str, key: str, event: CloudEvent) -> "asyncio.Future[object]":
        headers = [("content-type", CONTENT_TYPE.encode())]
        if event.traceparent:
            headers.append(("traceparent", event.traceparent.encode()))
        future: asyncio.Future[object] = await self._producer.send(
            topic, value=encode_event(event), key=key.encode(), headers=headers
        )
        return future

    async def _sleep(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
        self._wake.clear()
