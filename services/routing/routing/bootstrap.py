"""Wires routing: runtime (database, Kafka, relay, consumer) and the workflow."""

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from routing.app.handlers import Workflow
from routing.consumers.events import event_handler
from routing.domain.agencies import Agency, build_registry, use_registry
from routing.reports.bootstrap import Reports, wire_reports
from routing.settings import RoutingSettings
from routing.store.tables import inbox, outbox
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.messaging import Outbox
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Routing:
    runtime: ServiceRuntime
    settings: RoutingSettings
    workflow: Workflow
    reports: Reports


def load_registry(path: Path) -> MappingProxyType[str, Agency]:
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return build_registry(kind_names=config.get("kind_names"), names=config.get("names"))


def bootstrap(common: CommonSettings | None = None, settings: RoutingSettings | None = None) -> Routing:
    settings = settings or RoutingSettings()
    use_registry(load_registry(settings.agencies_file))
    workflow = Workflow(settings, Outbox(outbox, ROUTING_TOPIC))
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
                event_handler(workflow, common.personal_data_sealer()),
            ),
            reports.subscription,
        ],
    )
    return Routing(runtime=runtime, settings=settings, workflow=workflow, reports=reports)
