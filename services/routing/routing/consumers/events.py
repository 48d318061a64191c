"""Consumes ``anxin.intake`` (new and linked clues) and ``anxin.deadlines`` (due dates to show)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.app.handlers import Workflow
from shared.events import CloudEvent


def event_handler(workflow: Workflow) -> Callable[[AsyncSession, CloudEvent], Awaitable[None]]:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        now = datetime.now(UTC)
        if event.type == "clue.received":
            await workflow.receive_clue(session, event.data, now)
        elif event.type == "clue.linked":
            await workflow.link_clue(session, event.data, now)
        elif event.type.startswith("deadline."):
            await workflow.record_deadline(session, event.data)

    return handle
