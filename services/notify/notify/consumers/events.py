"""Consumes every topic: each event is remembered and delivered to the principals subscribed to it."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from notify.app.commands import PlanDeliveries
from notify.app.plan_deliveries import plan_deliveries
from notify.app.ports import UnitOfWork
from shared.dispatch import EventDispatcher, On
from shared.events import CloudEvent
from shared.events.schemas import EVENT_SCHEMAS


def planned(event: CloudEvent) -> PlanDeliveries:
    return PlanDeliveries(
        event_id=event.id,
        event_type=event.type,
        subject=event.subject,
        time=event.time,
        data=event.data,
        traceparent=event.traceparent,
    )


async def _plan(cmd: PlanDeliveries, uow: UnitOfWork, now: datetime) -> None:
    await plan_deliveries(cmd, uow=uow, now=now)


#: Every event type: notify remembers clues and task holders as well as delivering webhooks.
ROUTES: dict[str, On[Any, UnitOfWork]] = {event_type: On(planned, _plan) for event_type in EVENT_SCHEMAS}


def events(*, unit_of_work: Callable[[Any], UnitOfWork]) -> EventDispatcher[UnitOfWork]:
    """The handler of the ``events`` subscription; ``unit_of_work`` wraps the consumer's session."""
    return EventDispatcher(ROUTES, unit_of_work=unit_of_work)
