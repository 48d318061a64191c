"""Wires notify: runtime (database, Kafka consumer), unit of work, the delivery worker, settings."""

from dataclasses import dataclass
from functools import partial

from notify.app.context import NotifyContext
from notify.consumers.events import events
from notify.secret_box import SecretBox
from notify.settings import NotifySettings
from notify.store.tables import inbox
from notify.store.unit_of_work import SqlUnitOfWork, transaction
from notify.worker.targets import vet_target
from notify.worker.worker import DeliveryWorker
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.runtime import ServiceRuntime, Subscription
from shared.settings import CommonSettings, Mode


@dataclass(frozen=True)
class Notify:
    runtime: ServiceRuntime
    context: NotifyContext
    worker: DeliveryWorker
    secrets: SecretBox

    @property
    def settings(self) -> NotifySettings:
        return self.context.settings


def bootstrap(common: CommonSettings | None = None, settings: NotifySettings | None = None) -> Notify:
    settings = settings or NotifySettings()
    runtime = ServiceRuntime(
        service="notify",
        common=common or CommonSettings(),
        inbox_table=inbox,
        subscriptions=[
            Subscription(
                "events", [INTAKE_TOPIC, ROUTING_TOPIC, DEADLINES_TOPIC], events(unit_of_work=SqlUnitOfWork)
            )
        ],
    )
    secrets = settings.secret_box()
    allowed = settings.allowlist()
    require_https = runtime.common.mode == Mode.PRODUCTION
    worker = DeliveryWorker(
        transaction=partial(transaction, runtime.sessions),
        settings=settings,
        secrets=secrets,
        allowed=allowed,
        require_https=require_https,
    )
    runtime.jobs.append(worker.run)
    runtime.commit_listeners.append(worker.wake)
    context = NotifyContext(
        settings=settings,
        secret_box=secrets,
        check_target=partial(vet_target, allowed=allowed, require_https=require_https),
        transaction=partial(transaction, runtime.sessions),
        after_commit=runtime.after_commit,
    )
    return Notify(runtime=runtime, context=context, worker=worker, secrets=secrets)
