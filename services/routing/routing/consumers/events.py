"""Consumes ``anxin.intake`` (new and linked clues) and ``anxin.deadlines`` (due dates to show)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from routing.app.handlers import Workflow
from routing.domain.errors import DomainError
from shared.consumer import PoisonMessage
from shared.events import CloudEvent
from shared.events.schemas import EVENT_SCHEMAS
from shared.sealing import Sealer, SealingError, open_personal_fields

HANDLED = frozenset({"clue.received", "clue.linked"})


def event_handler(
    workflow: Workflow, sealer: Sealer | None
) -> Callable[[AsyncSession, CloudEvent], Awaitable[None]]:
    """``sealer`` opens the clue's personal data, which routing shows to the clue's holders (the
    runtime refuses to start without it)."""

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        now = datetime.now(UTC)
        schema = EVENT_SCHEMAS.get(event.type)
        try:
            # Data that breaks its schema or the rules never applies: park it at once.
            if schema is not None and event.type in HANDLED:
                schema.model_validate(event.data)
            if event.type == "clue.received":
                if sealer is None:
                    raise RuntimeError("routing runs without ANXIN_PERSONAL_DATA_KEY")
                data = open_personal_fields(event.data, sealer, clue_id=event.subject)
                await workflow.receive_clue(session, data, now)
            elif event.type == "clue.linked":
                await workflow.link_clue(session, event.data, now)
            elif event.type.startswith("deadline."):
                await workflow.record_deadline(session, event.data)
        except ValidationError as error:
            # Field paths and messages only: the input may carry personal data.
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors(include_input=False)
            )
            raise PoisonMessage(f"{event.type} {event.id} is invalid: {problems}") from error
        except (DomainError, SealingError) as error:
            raise PoisonMessage(f"{event.type} {event.id}: {error}") from error

    return handle
