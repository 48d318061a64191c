"""Wires intake's dependencies: settings, runtime (database, Kafka, relay, consumer)."""

from dataclasses import dataclass

from intake.consumers.routing_events import handle_routing_event
from intake.domain.model import EmergencyPolicy
from intake.settings import IntakeSettings
from intake.store.tables import inbox, outbox
from shared.events import INTAKE_TOPIC, ROUTING_TOPIC
from shared.messaging import Outbox
from shared.runtime import ServiceRuntime, Subscription
from shared.sealing import Sealer
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Intake:
    runtime: ServiceRuntime
    settings: IntakeSettings
    outbox: Outbox

    @property
    def sealer(self) -> Sealer:
        assert self.runtime.sealer is not None, "the runtime refuses to start without it"
        return self.runtime.sealer

    @property
    def emergency_policy(self) -> EmergencyPolicy:
        return EmergencyPolicy(
            min_workers=self.settings.emergency_min_workers, min_amount=self.settings.emergency_min_amount
        )


def bootstrap(common: CommonSettings | None = None, settings: IntakeSettings | None = None) -> Intake:
    runtime = ServiceRuntime(
        service="intake",
        common=common or CommonSettings(),
        outbox_table=outbox,
        inbox_table=inbox,
        publishes_to=INTAKE_TOPIC,
        shows_personal_data=True,
        subscriptions=[Subscription("routing-events", [ROUTING_TOPIC], handle_routing_event)],
    )
    return Intake(runtime=runtime, settings=settings or IntakeSettings(), outbox=Outbox(outbox, INTAKE_TOPIC))
