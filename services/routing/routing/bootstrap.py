"""Wires routing: runtime (database, Kafka, relay, consumers), the unit of work and the agency registry."""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from routing.app.ports import RoutingContext
from routing.consumers.events import routing_events
from routing.domain.agencies import AgencyRegistry
from routing.reports.bootstrap import Reports, wire_reports
from routing.settings import RoutingSettings
from routing.store.tables import inbox, outbox
from routing.store.unit_of_work import SqlUnitOfWork, reading, transaction
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.messaging import Outbox
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Routing:
    runtime: ServiceRuntime
    settings: RoutingSettings
    context: RoutingContext
    reports: Reports


def load_registry(path: Path) -> AgencyRegistry:
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return AgencyRegistry.build(kind_names=config.get("kind_names"), names=config.get("names"))


def bootstrap(common: CommonSettings | None = None, settings: RoutingSettings | None = None) -> Routing:
    settings = settings or RoutingSettings()
    registry = load_registry(settings.agencies_file)
    routing_outbox = Outbox(outbox, ROUTING_TOPIC)

    def unit_of_work(session: AsyncSession) -> SqlUnitOfWork:
        return SqlUnitOfWork(session, routing_outbox)

    common = common or CommonSettings()
    reports = wire_reports()
    runtime = ServiceRuntime(
        service="routing",
        common=common,
        shows_personal_data=True,
        inbox_table=inbox,
        outbox_table=outbox,
        publishes_to=ROUTING_TOPIC,
        subscriptions=[
            Subscription(
                "events",
                [INTAKE_TOPIC, DEADLINES_TOPIC],
                routing_events(unit_of_work=unit_of_work, sealer=common.personal_data_sealer()),
            ),
            reports.subscription,
        ],
    )
    context = RoutingContext(
        transaction=partial(transaction, runtime.sessions, routing_outbox),
        reader=partial(reading, runtime.sessions),
        after_commit=runtime.after_commit,
        registry=registry,
        max_returns=settings.max_returns,
    )
    return Routing(runtime=runtime, settings=settings, context=context, reports=reports)
