"""Wires deadlines: runtime (database, Kafka, relay, consumer), the deadline service and scheduler."""

from dataclasses import dataclass

from deadlines.app.handlers import DeadlineService
from deadlines.app.scheduler import AlarmScheduler
from deadlines.consumers.events import event_handler
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import inbox, outbox
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.messaging import Outbox
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Deadlines:
    runtime: ServiceRuntime
    settings: DeadlinesSettings
    service: DeadlineService
    scheduler: AlarmScheduler


def bootstrap(common: CommonSettings | None = None, settings: DeadlinesSettings | None = None) -> Deadlines:
    settings = settings or DeadlinesSettings()
    service = DeadlineService(settings, Outbox(outbox, DEADLINES_TOPIC))
    runtime = ServiceRuntime(
        service="deadlines",
        common=common or CommonSettings(),
        inbox_table=inbox,
        outbox_table=outbox,
        publishes_to=DEADLINES_TOPIC,
        subscriptions=[Subscription("events", [INTAKE_TOPIC, ROUTING_TOPIC], event_handler(service))],
    )
    scheduler = AlarmScheduler(
        sessions=runtime.sessions,
        service=service,
        max_sleep_seconds=settings.max_sleep_seconds,
        after_fire=runtime.after_commit,
    )
    runtime.jobs.append(scheduler.run)
    runtime.commit_listeners.append(scheduler.wake)
    return Deadlines(runtime=runtime, settings=settings, service=service, scheduler=scheduler)
