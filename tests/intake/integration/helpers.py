"""Helpers for intake's integration tests, against the running stack.

Intake's tests reserve divisions 330102, 330105 and 330106 (shared with the walking skeleton, which
uses other employers): every test makes fresh external ids and employers.
"""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.events import INTAKE_TOPIC
from tests.support.stack import DATABASE_URL, INTAKE, KAFKA, client, eventually

Json = dict[str, Any]
DATABASE = DATABASE_URL


async def post_clue(principal: str, payload: Json) -> httpx.Response:
    async with client(INTAKE, principal) as intake:
        return await intake.post("/v1/clues", json=payload)


async def submit(principal: str, payload: Json) -> str:
    response = await post_clue(principal, payload)
    assert response.status_code == 201, response.text
    clue_id: str = response.json()["clue_id"]
    return clue_id


async def get_clue(principal: str, clue_id: str) -> httpx.Response:
    async with client(INTAKE, principal) as intake:
        return await intake.get(f"/v1/clues/{clue_id}")


async def stored_rows(query: str, **params: object) -> list[RowMapping]:
    engine = create_async_engine(DATABASE)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(query), params)).mappings())
    finally:
        await engine.dispose()


async def clues_with_external_id(source: str, external_id: str) -> int:
    rows = await stored_rows(
        "select count(*) as n from intake.clues where source = :source and external_id = :external_id",
        source=source,
        external_id=external_id,
    )
    count: int = rows[0]["n"]
    return count


@dataclass
class Message:
    key: bytes | None
    headers: list[tuple[str, bytes]]
    event: Json


@dataclass
class TopicReader:
    """Reads a topic from where it ended when the reader started, without a consumer group."""

    consumer: AIOKafkaConsumer
    seen: list[Message] = field(default_factory=list)

    async def find(self, predicate: Callable[[Message], bool], *, within: float = 30.0, what: str) -> Message:
        async def probe() -> Message | None:
            batches = await self.consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    self.seen.append(Message(record.key, list(record.headers), json.loads(record.value)))
            return next((m for m in self.seen if predicate(m)), None)

        return await eventually(probe, within=within, interval=0.0, what=what)


@asynccontextmanager
async def reading(topic: str = INTAKE_TOPIC) -> AsyncIterator[TopicReader]:
    # Without a group id the consumer takes every partition of the topic itself.
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=KAFKA, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = sorted(consumer.assignment())
        assert partitions, f"topic {topic} has no partitions"
        await consumer.seek_to_end(*partitions)
        for partition in partitions:  # resolve the end offsets now, before the test publishes
            await consumer.position(partition)
        yield TopicReader(consumer)
    finally:
        await consumer.stop()


def of_clue(clue_id: str, event_type: str) -> Callable[[Message], bool]:
    return lambda m: m.event.get("subject") == clue_id and m.event.get("type") == event_type
