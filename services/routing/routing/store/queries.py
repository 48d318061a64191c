"""The read side of routing's HTTP routes: lists and lookups filtered by who sees what.

Who sees what (CONTRACT.md): admin and the city office see everything; an agency its own tasks
and the disputes it raised or arbitrates; a division office its division's; a source the tasks on
its clues.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any, cast

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from routing.domain.access import Caller
from routing.domain.case import Clue, DeadlineView, Dispute, Task
from routing.domain.timeline import Entry
from routing.store.mapping import clues, deadline_views, disputes, tasks, timeline
from routing.store.repositories import agency_task_states, deadline_of, entry_of
from routing.store.tables import DeadlineViewRow, TimelineRow
from shared.pagination import keyset_page


def tasks_visible(caller: Caller) -> ColumnElement[bool]:
    if caller.is_admin or caller.is_city_office:
        return true()
    clue_of_task = select(clues.c.clue_id).where(clues.c.clue_id == tasks.c.clue_id)
    conditions: list[ColumnElement[bool]] = []
    if caller.agency_id:
        conditions.append(tasks.c.agency_id == caller.agency_id)
    if caller.is_office:
        conditions.append(exists(clue_of_task.where(clues.c.division == caller.division)))
    conditions.append(exists(clue_of_task.where(clues.c.submitted_by == str(caller))))
    return or_(*conditions)


def disputes_visible(caller: Caller) -> ColumnElement[bool]:
    if caller.is_admin or caller.is_city_office:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if caller.agency_id:
        conditions += [disputes.c.arbiter == caller.agency_id, disputes.c.from_agency == caller.agency_id]
    if caller.is_office:
        in_division = select(clues.c.clue_id).where(
            clues.c.clue_id == disputes.c.clue_id, clues.c.division == caller.division
        )
        conditions.append(exists(in_division))
    return or_(*conditions) if conditions else ~true()


def _attribute(column: ColumnElement[Any]) -> InstrumentedAttribute[Any]:
    # keyset_page reads only what a column has too: comparisons, ordering and its key.
    return cast(InstrumentedAttribute[Any], column)


class SqlCaseReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def clue(self, clue_id: str) -> Clue | None:
        return await self._session.get(Clue, clue_id)

    async def agency_states(self, agency_id: str, clue_ids: Sequence[str]) -> list[str]:
        return await agency_task_states(self._session, agency_id, clue_ids)

    async def visible_task(self, caller: Caller, task_id: str) -> Task | None:
        query = select(Task).where(tasks.c.task_id == task_id, tasks_visible(caller))
        return (await self._session.execute(query)).scalar_one_or_none()

    async def tasks_page(
        self,
        caller: Caller,
        *,
        clue_id: str | None,
        state: str | None,
        kind: str | None,
        updated_since: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Task], str | None]:
        query = select(Task).where(tasks_visible(caller))
        if clue_id:
            query = query.where(tasks.c.clue_id == clue_id)
        if state:
            query = query.where(tasks.c.state == state)
        if kind:
            query = query.where(tasks.c.kind == kind)
        if updated_since:
            query = query.where(tasks.c.updated_at > updated_since)
        at, key = _attribute(tasks.c.updated_at), _attribute(tasks.c.task_id)
        return await keyset_page(self._session, query, at=at, key=key, cursor=cursor, limit=limit)

    async def visible_dispute(self, caller: Caller, dispute_id: str) -> Dispute | None:
        query = select(Dispute).where(disputes.c.dispute_id == dispute_id, disputes_visible(caller))
        return (await self._session.execute(query)).scalar_one_or_none()

    async def disputes_page(
        self, caller: Caller, *, clue_id: str | None, state: str | None, cursor: str | None, limit: int
    ) -> tuple[list[Dispute], str | None]:
        query = select(Dispute).where(disputes_visible(caller))
        if clue_id:
            query = query.where(disputes.c.clue_id == clue_id)
        if state:
            query = query.where(disputes.c.state == state)
        at, key = _attribute(disputes.c.created_at), _attribute(disputes.c.dispute_id)
        return await keyset_page(self._session, query, at=at, key=key, cursor=cursor, limit=limit)

    async def tasks_of(self, clue_id: str) -> list[Task]:
        query = select(Task).where(tasks.c.clue_id == clue_id).order_by(tasks.c.created_at)
        return list((await self._session.execute(query)).scalars())

    async def disputes_of(self, clue_id: str) -> list[Dispute]:
        query = select(Dispute).where(disputes.c.clue_id == clue_id).order_by(disputes.c.created_at)
        return list((await self._session.execute(query)).scalars())

    async def due_dates(self, clue_id: str, *, task_id: str | None = None) -> list[DeadlineView]:
        query = select(DeadlineViewRow).where(deadline_views.c.clue_id == clue_id)
        if task_id is not None:
            query = query.where(or_(deadline_views.c.task_id.is_(None), deadline_views.c.task_id == task_id))
        return [deadline_of(row) for row in (await self._session.execute(query)).scalars()]

    async def timeline(self, clue_id: str, *, task_id: str | None = None) -> list[Entry]:
        query = select(TimelineRow).where(timeline.c.clue_id == clue_id)
        if task_id is not None:
            query = query.where(timeline.c.task_id == task_id)
        rows = await self._session.execute(query.order_by(timeline.c.seq))
        return [entry_of(row) for row in rows.scalars()]

    async def related(self, clue: Clue) -> list[str]:
        lead = clue.root_id
        rows = await self._session.execute(
            select(clues.c.clue_id).where(
                or_(clues.c.clue_id == lead, clues.c.lead_clue_id == lead), clues.c.clue_id != clue.clue_id
            )
        )
        return sorted(rows.scalars())

    async def timelines_in(self, division: str) -> list[tuple[str, list[Entry]]]:
        return await timelines(self._session, division=division)


async def timelines(
    session: AsyncSession, *, clue_ids: Sequence[str] = (), division: str | None = None
) -> list[tuple[str, list[Entry]]]:
    """Case timelines by clue id: every one, or those of `clue_ids`, or of the division's clues."""
    query = select(TimelineRow)
    if division is not None:
        query = query.join_from(TimelineRow, clues, clues.c.clue_id == timeline.c.clue_id).where(
            clues.c.division == division
        )
    if clue_ids:
        query = query.where(timeline.c.clue_id.in_(clue_ids))
    rows = (await session.execute(query.order_by(timeline.c.clue_id, timeline.c.seq))).scalars().all()
    return [
        (clue_id, [entry_of(r) for r in group]) for clue_id, group in groupby(rows, key=lambda r: r.clue_id)
    ]


__all__ = ["SqlCaseReader", "disputes_visible", "tasks_visible", "timelines"]
