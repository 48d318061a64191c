"""Wires intake's dependencies: settings, runtime (database, Kafka, relay, consumer), unit of work."""

from dataclasses import dataclass
from functools import partial

from intake.app.context import IntakeContext
from intake.consumers.routing_events import routing_events
from intake.settings import IntakeSettings
from intake.store.tables import inbox, outbox
from intake.store.unit_of_work import SqlUnitOfWork, transaction
from shared.events import INTAKE_TOPIC, ROUTING_TOPIC
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Intake:
    runtime: ServiceRuntime
    context: IntakeContext


def bootstrap(common: CommonSettings | None = None, settings: IntakeSettings | None = None) -> Intake:
    runtime = ServiceRuntime(
        service="intake",
        common=common or CommonSettings(),
        outbox_table=outbox,
        inbox_table=inbox,
        publishes_to=INTAKE_TOPIC,
        shows_personal_data=True,
        subscriptions=[
            Subscription("routing-events", [ROUTING_TOPIC], routing_events(unit_of_work=SqlUnitOfWork))
        ],
    )
    context = IntakeContext(
        settings=settings or IntakeSettings(),
        personal_data_sealer=runtime.sealer,
        transaction=partial(transaction, runtime.sessions),
        after_commit=runtime.after_commit,
    )
    return Intake(runtime=runtime, context=context)
