"""Wires notify: runtime (database, Kafka consumer), the delivery worker, settings."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify.app.delivery import DeliveryWorker
from notify.app.handlers import plan_deliveries
from notify.settings import NotifySettings
from notify.store.secretbox import SecretBox
from notify.store.tables import inbox
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC, CloudEvent
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings, Mode


@dataclass(frozen=True)
class Notify:
    runtime: ServiceRuntime
    settings: NotifySettings
    worker: DeliveryWorker
    secrets: SecretBox


async def handle_event(session: AsyncSession, event: CloudEvent) -> None:
    await plan_deliveries(session, event, now=datetime.now(UTC))


def bootstrap(common: CommonSettings | None = None, settings: NotifySettings | None = None) -> Notify:
    settings = settings or NotifySettings()
    runtime = ServiceRuntime(
        service="notify",
        common=common or CommonSettings(),
        inbox_table=inbox,
        subscriptions=[Subscription("events", [INTAKE_TOPIC, ROUTING_TOPIC, DEADLINES_TOPIC], handle_event)],
    )
    secrets = settings.secret_box()
    worker = DeliveryWorker(
        sessions=runtime.sessions,
        settings=settings,
        secrets=secrets,
        allowed=settings.allowlist(),
        require_https=runtime.common.mode == Mode.PRODUCTION,
    )
    runtime.jobs.append(worker.run)
    runtime.commit_listeners.append(worker.wake)
    return Notify(runtime=runtime, settings=settings, worker=worker, secrets=secrets)
