"""The SQL unit of work: notify's repositories around one ``AsyncSession``."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notify.store.deliveries import DeliveryRepository
from notify.store.repository import ClueSourceRepository, SubscriptionRepository, TaskHolderRepository


class SqlUnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.subscriptions = SubscriptionRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.clues = ClueSourceRepository(session)
        self.holders = TaskHolderRepository(session)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[SqlUnitOfWork]:
    """A unit of work in a new transaction, committed when the block ends without error."""
    async with sessions.begin() as session:
        yield SqlUnitOfWork(session)
