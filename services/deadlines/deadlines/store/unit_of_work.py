"""The SQL unit of work: deadlines' repositories and outbox on one ``AsyncSession``.

It never commits: whoever opened the transaction (consumer batch, HTTP dependency, scheduler) does.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deadlines.domain.rules import Policy
from deadlines.store.alarms import SqlAlarms
from deadlines.store.calendar import SqlCalendar
from deadlines.store.clues import SqlClues, SqlTasks
from deadlines.store.deadlines import SqlDeadlines
from deadlines.store.queries import SqlDeadlineReads
from shared.events import CloudEvent
from shared.messaging import Outbox


class SqlOutbox:
    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        self.session = session
        self._outbox = outbox

    async def add(self, event: CloudEvent) -> None:
        await self._outbox.add(self.session, event)


class SqlUnitOfWork:
    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        self.session = session
        self.clues = SqlClues(session)
        self.tasks = SqlTasks(session)
        self.deadlines = SqlDeadlines(session)
        self.alarms = SqlAlarms(session)
        self.calendar = SqlCalendar(session)
        self.outbox = SqlOutbox(session, outbox)


def unit_of_work_factory(outbox: Outbox) -> Callable[[AsyncSession], SqlUnitOfWork]:
    """For the consumer: the unit of work around the session of its batch."""

    def build(session: AsyncSession) -> SqlUnitOfWork:
        return SqlUnitOfWork(session, outbox)

    return build


class SqlDeadlinesPorts:
    """Transactions and reads for the HTTP API, the scheduler and the metrics."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        *,
        policy: Policy,
        after_commit: Callable[[], None],
    ) -> None:
        self.policy = policy
        self._sessions = sessions
        self._outbox = outbox
        self._after_commit = after_commit

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        async with self._sessions.begin() as session:
            yield SqlUnitOfWork(session, self._outbox)

    @asynccontextmanager
    async def reads(self) -> AsyncIterator[SqlDeadlineReads]:
        async with self._sessions() as session:
            yield SqlDeadlineReads(session)

    def after_commit(self) -> None:
        self._after_commit()
