"""Outbox and inbox tables, owned by each service in its own schema.

The outbox is written in the same transaction as the state change and drained by
:class:`shared.relay.OutboxRelay`; the inbox records processed event ids so a consumer applies
each event once however often Kafka delivers it.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import CloudEvent


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Index("ix_outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    )


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("event_id", String(64), primary_key=True),
        Column("topic", String(200), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class Outbox:
    """Writes events to this service's outbox inside the caller's transaction."""

    def __init__(self, table: Table, topic: str) -> None:
        self.table = table
        self.topic = topic

    async def add(self, session: AsyncSession, event: CloudEvent) -> None:
        await session.execute(
            insert(self.table).values(
                event_id=event.id,
                topic=self.topic,
                key=event.subject,
                event=event.model_dump(mode="json", exclude_none=True),
            )
        )


class Inbox:
    def __init__(self, table: Table) -> None:
        self.table = table

    async def claim(self, session: AsyncSession, *, event_id: str, topic: str, event_type: str) -> bool:
        """Record the event as processed; False when it already was (a redelivery)."""
        result = await session.execute(
            pg_insert(self.table)
            .values(event_id=event_id, topic=topic, event_type=event_type)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(self.table.c.event_id)
        )
        return result.first() is not None
