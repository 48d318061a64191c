"""One dispatch style for every consumer: event type -> typed command -> use case.

A service lists, per event type it handles, how to decode the event's data into a command and which
use case applies it. The dispatcher is the consumer's handler (``shared.consumer``): it runs inside the
consumer's transaction, builds the service's unit of work around it and calls the use case with the
clock. Data that breaks its schema, or a command that a rule refuses, can never be applied and goes to
the DLQ at once (``PoisonMessage``); any other failure is retried in place by the consumer.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.consumer import PoisonMessage
from shared.errors import DomainError
from shared.events import CloudEvent
from shared.events.schemas import EVENT_SCHEMAS

C = TypeVar("C")
U = TypeVar("U")
U_contra = TypeVar("U_contra", contravariant=True)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class On(Generic[C, U]):
    """What one event type becomes: ``decode`` turns the event (its data already checked against its
    schema) into a command, and ``apply`` is the use case, called as ``apply(command, uow, now)``."""

    decode: Callable[[CloudEvent], C]
    apply: Callable[[C, U, datetime], Awaitable[Any]]


class EventDispatcher(Generic[U]):
    """The consumer handler of one service: events of types not listed are ignored."""

    def __init__(
        self,
        routes: Mapping[str, On[Any, U]],
        *,
        unit_of_work: Callable[[AsyncSession], U],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.routes = routes
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def __call__(self, session: AsyncSession, event: CloudEvent) -> None:
        route = self.routes.get(event.type)
        if route is None:
            return
        command = decode_command(event, route.decode)
        try:
            await route.apply(command, self._unit_of_work(session), self._clock())
        except DomainError as error:
            raise PoisonMessage(f"{event.type} {event.id}: {error}") from error


def decode_command(event: CloudEvent, decode: Callable[[CloudEvent], C]) -> C:
    """The event's command; PoisonMessage when its data breaks the schema of its type or the command's
    own checks. Field paths and messages only, never the input: it may carry personal data."""
    try:
        schema = EVENT_SCHEMAS.get(event.type)
        if schema is not None:
            schema.model_validate(event.data)
        return decode(event)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors(include_input=False)
        )
        raise PoisonMessage(f"{event.type} {event.id} is invalid: {problems}") from error
    except (KeyError, TypeError, ValueError) as error:
        raise PoisonMessage(f"{event.type} {event.id} is invalid: {error!r}") from error
