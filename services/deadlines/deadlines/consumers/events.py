"""Consumes ``anxin.intake`` and ``anxin.routing``: starts, meets and cancels deadlines."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.app.handlers import DeadlineService
from shared.consumer import PoisonMessage
from shared.events import CloudEvent
from shared.events.schemas import EVENT_SCHEMAS

HANDLED = (
    "clue.received",
    "task.assigned",
    "task.updated",
    "clue.status",
    "dispute.opened",
    "dispute.decided",
)


def event_handler(service: DeadlineService) -> Callable[[AsyncSession, CloudEvent], Awaitable[None]]:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        if event.type not in HANDLED:
            return
        try:  # data that breaks its schema can never be applied: straight to the DLQ
            EVENT_SCHEMAS[event.type].model_validate(event.data)
        except ValidationError as error:
            raise PoisonMessage(f"{event.type} {event.id}: {error}") from error
        now = datetime.now(UTC)
        match event.type:
            case "clue.received":
                await service.on_clue_received(session, event.data, now)
            case "task.assigned":
                await service.on_task_assigned(session, event.data, now)
            case "task.updated":
                await service.on_task_updated(session, event.data, now)
            case "clue.status":
                await service.on_clue_status(session, event.data, now)
            case "dispute.opened" | "dispute.decided":
                # Disputes are timed by routing's clock: when it opened and decided them.
                await service.on_dispute(session, event.type, event.data, event.time)

    return handle
