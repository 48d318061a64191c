"""The SQL unit of work: routing's repositories and outbox around one session (one transaction)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.store.mapping import start_mappers
from routing.store.queries import SqlCaseReader
from routing.store.repositories import (
    SqlClues,
    SqlDeadlineViews,
    SqlDisputes,
    SqlOutbox,
    SqlTasks,
    SqlTimeline,
)
from shared.messaging import Outbox


class SqlUnitOfWork:
    """Built around the boundary's session: the boundary (HTTP dependency or consumer batch) commits."""

    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        start_mappers()
        self.clues = SqlClues(session)
        self.tasks = SqlTasks(session)
        self.disputes = SqlDisputes(session)
        self.timeline = SqlTimeline(session)
        self.deadlines = SqlDeadlineViews(session)
        self.outbox = SqlOutbox(session, outbox)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox
) -> AsyncIterator[SqlUnitOfWork]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    async with sessions.begin() as session:
        yield SqlUnitOfWork(session, outbox)


@asynccontextmanager
async def reading(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[SqlCaseReader]:
    start_mappers()
    async with sessions() as session:
        yield SqlCaseReader(session)
