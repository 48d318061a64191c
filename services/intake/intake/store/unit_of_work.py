"""The SQL unit of work: intake's repositories and outbox around one ``AsyncSession``."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.store.repository import ClueRepository, TaskHolderRepository
from intake.store.tables import outbox
from shared.events import INTAKE_TOPIC, CloudEvent
from shared.messaging import Outbox as OutboxTable


class SessionOutbox:
    """Events written to intake's outbox in the session's transaction."""

    _table = OutboxTable(outbox, INTAKE_TOPIC)

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, event: CloudEvent) -> None:
        await self._table.add(self.session, event)


class SqlUnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.clues = ClueRepository(session)
        self.holders = TaskHolderRepository(session)
        self.outbox = SessionOutbox(session)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[SqlUnitOfWork]:
    """A unit of work in a new transaction, committed when the block ends without error."""
    async with sessions.begin() as session:
        yield SqlUnitOfWork(session)
