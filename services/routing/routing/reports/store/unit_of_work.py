"""The SQL unit of work: the read model's repositories over one session, inside its transaction."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.reports.app.ports import Transaction, UnitOfWork
from routing.reports.store.figures import SqlReportFigures
from routing.reports.store.incidence import SqlIncidenceBases
from routing.reports.store.projection import (
    SqlReportClues,
    SqlReportDeadlines,
    SqlReportDisputes,
    SqlReportTasks,
)


class SqlUnitOfWork:
    """Never commits: the consumer's batch or the request's transaction does."""

    def __init__(self, session: AsyncSession) -> None:
        self.clues = SqlReportClues(session)
        self.tasks = SqlReportTasks(session)
        self.deadlines = SqlReportDeadlines(session)
        self.disputes = SqlReportDisputes(session)
        self.incidence_bases = SqlIncidenceBases(session)
        self.figures = SqlReportFigures(session)


def transactions(sessions: async_sessionmaker[AsyncSession]) -> Transaction:
    """One transaction per call, committed when its block ends without error."""

    @asynccontextmanager
    async def transaction() -> AsyncIterator[UnitOfWork]:
        async with sessions() as session, session.begin():
            yield SqlUnitOfWork(session)

    return transaction
