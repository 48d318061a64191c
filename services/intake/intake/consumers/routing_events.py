"""Consumes ``anxin.routing``: the status read model and who holds tasks on each clue."""

from sqlalchemy.ext.asyncio import AsyncSession

from intake.app.handlers import apply_routing_event
from shared.events import CloudEvent


async def handle_routing_event(session: AsyncSession, event: CloudEvent) -> None:
    await apply_routing_event(session, event_type=event.type, data=event.data)
