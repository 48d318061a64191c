"""Wires deadlines: runtime (database, Kafka, relay, consumer), its ports and the alarm scheduler."""

from dataclasses import dataclass

from deadlines.consumers.events import event_dispatcher
from deadlines.consumers.scheduler import AlarmScheduler
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import inbox, outbox
from deadlines.store.unit_of_work import SqlDeadlinesPorts, unit_of_work_factory
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.messaging import Outbox
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Deadlines:
    runtime: ServiceRuntime
    settings: DeadlinesSettings
    ports: SqlDeadlinesPorts
    scheduler: AlarmScheduler


def bootstrap(common: CommonSettings | None = None, settings: DeadlinesSettings | None = None) -> Deadlines:
    settings = settings or DeadlinesSettings()
    policy = settings.policy()
    events_out = Outbox(outbox, DEADLINES_TOPIC)
    dispatcher = event_dispatcher(unit_of_work=unit_of_work_factory(events_out), policy=policy)
    runtime = ServiceRuntime(
        service="deadlines",
        common=common or CommonSettings(),
        inbox_table=inbox,
        outbox_table=outbox,
        publishes_to=DEADLINES_TOPIC,
        subscriptions=[Subscription("events", [INTAKE_TOPIC, ROUTING_TOPIC], dispatcher)],
    )
    ports = SqlDeadlinesPorts(runtime.sessions, events_out, policy=policy, after_commit=runtime.after_commit)
    scheduler = AlarmScheduler(
        transaction=ports.transaction,
        max_sleep_seconds=settings.max_sleep_seconds,
        after_fire=runtime.after_commit,
    )
    runtime.jobs.append(scheduler.run)
    runtime.commit_listeners.append(scheduler.wake)
    return Deadlines(runtime=runtime, settings=settings, ports=ports, scheduler=scheduler)
