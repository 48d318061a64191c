"""Routing's consumer of ``anxin.intake`` and ``anxin.deadlines``: event type -> command -> use case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from routing.app.clues import link_clue, receive_clue
from routing.app.commands import LinkClue, ReceiveClue, RecordDeadline
from routing.app.deadlines import record_deadline
from routing.app.ports import UnitOfWork
from routing.consumers.deadlines import deadline_changed
from routing.consumers.intake import clue_linked, clue_received
from shared.dispatch import EventDispatcher, On
from shared.events import DEADLINES_TOPIC
from shared.events.schemas import TOPIC_TYPES
from shared.sealing import Sealer


async def _receive(command: ReceiveClue, uow: UnitOfWork, now: datetime) -> None:
    await receive_clue(command, uow=uow, now=now)


async def _link(command: LinkClue, uow: UnitOfWork, now: datetime) -> None:
    await link_clue(command, uow=uow, now=now)


async def _record(command: RecordDeadline, uow: UnitOfWork, _now: datetime) -> None:
    await record_deadline(command, uow=uow)


def routing_events(
    *, unit_of_work: Callable[[Any], UnitOfWork], sealer: Sealer | None
) -> EventDispatcher[UnitOfWork]:
    """``unit_of_work`` builds the unit of work around the consumer's session."""
    routes: dict[str, On[Any, UnitOfWork]] = {
        "clue.received": On(clue_received(sealer), _receive),
        "clue.linked": On(clue_linked, _link),
    }
    for event_type in TOPIC_TYPES[DEADLINES_TOPIC]:
        routes[event_type] = On(deadline_changed, _record)
    return EventDispatcher(routes, unit_of_work=unit_of_work)
