"""Consumes ``anxin.intake`` and ``anxin.routing``: starts, meets and cancels deadlines."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.app.handlers import DeadlineService
from shared.events import CloudEvent


def event_handler(service: DeadlineService) -> Callable[[AsyncSession, CloudEvent], Awaitable[None]]:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
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
                await service.on_dispute(session, event.type, event.data, event.time)
            case _:
                pass

    return handle
