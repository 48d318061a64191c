"""Wires the reports into routing: the projector's consumer group, and the routes' context."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.reports.app.ports import ReportsContext
from routing.reports.consumers.projector import projector
from routing.reports.settings import ReportsSettings
from routing.reports.store.tables import report_inbox
from routing.reports.store.unit_of_work import SqlUnitOfWork, transactions
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.runtime import Subscription


@dataclass(frozen=True)
class Reports:
    settings: ReportsSettings
    subscription: Subscription
    """The projector: all three topics, in a consumer group and with an inbox of its own."""

    def context(self, sessions: async_sessionmaker[AsyncSession]) -> ReportsContext:
        """What the routes read from ``app.state.reports``."""
        return reports_context(sessions, self.settings)


def wire_reports(settings: ReportsSettings | None = None) -> Reports:
    return Reports(
        settings=settings or ReportsSettings(),
        subscription=Subscription(
            "reports",
            [INTAKE_TOPIC, ROUTING_TOPIC, DEADLINES_TOPIC],
            projector(SqlUnitOfWork),
            group_suffix="reports",
            inbox_table=report_inbox,
        ),
    )


def reports_context(
    sessions: async_sessionmaker[AsyncSession], settings: ReportsSettings | None = None
) -> ReportsContext:
    return ReportsContext(transactions(sessions), settings or ReportsSettings())
