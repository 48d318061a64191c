"""The case timeline (办理记录): every change to a case appends an entry chained by its hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from routing.app.ports import UnitOfWork
from routing.domain.case import Actor
from routing.domain.timeline import next_entry


async def record(
    uow: UnitOfWork,
    clue_id: str,
    actor: Actor,
    action: str,
    now: datetime,
    *,
    task_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    last = await uow.timeline.last(clue_id)
    entry = next_entry(last, at=now, actor=actor.name, action=action, task_id=task_id, detail=detail or {})
    await uow.timeline.append(clue_id, entry)
