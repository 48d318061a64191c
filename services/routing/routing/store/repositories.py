"""Routing's repositories: the SQL behind the use cases' ports, one place for each query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.domain.case import Clue, DeadlineView, Dispute, Task
from routing.domain.disputes import DECIDED, PENDING
from routing.domain.model import ClueStatus, TaskKind
from routing.domain.timeline import Entry
from routing.store.mapping import clues, disputes, tasks, timeline
from routing.store.tables import DeadlineViewRow, TimelineRow
from shared.events import CloudEvent
from shared.events.task_states import UNFINISHED_TASK_STATES
from shared.messaging import Outbox


def in_handling(clue_id: ColumnElement[str], root_id: str) -> ColumnElement[bool]:
    """`clue_id` names the root clue or one linked to it (rule 8: one handling)."""
    linked = select(clues.c.clue_id).where(clues.c.lead_clue_id == root_id).scalar_subquery()
    return or_(clue_id == root_id, clue_id.in_(linked))


class SqlClues:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, clue_id: str, *, lock: bool = False) -> Clue | None:
        if lock:
            return await self._session.get(Clue, clue_id, with_for_update=True, populate_existing=True)
        return await self._session.get(Clue, clue_id)

    async def add(self, clue: Clue) -> None:
        self._session.add(clue)
        await self._session.flush()

    async def linked_to(self, lead_clue_id: str, *, lock: bool = False, unclosed: bool = False) -> list[Clue]:
        query = select(Clue).where(clues.c.lead_clue_id == lead_clue_id)
        if unclosed:
            query = query.where(clues.c.status != ClueStatus.CLOSED)
        if lock:
            query = query.with_for_update()
        return list((await self._session.execute(query)).scalars())


class SqlTasks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, task_id: str, *, lock: bool = False) -> Task | None:
        if lock:
            return await self._session.get(Task, task_id, with_for_update=True, populate_existing=True)
        return await self._session.get(Task, task_id)

    async def add(self, task: Task) -> None:
        self._session.add(task)
        await self._session.flush()

    async def any_on_clue(self, clue_id: str, *, agency_id: str | None = None) -> bool:
        query = select(tasks.c.task_id).where(tasks.c.clue_id == clue_id)
        if agency_id is not None:
            query = query.where(tasks.c.agency_id == agency_id)
        return await self._exists(query)

    async def agency_states(self, agency_id: str, clue_ids: Sequence[str]) -> list[str]:
        return await agency_task_states(self._session, agency_id, clue_ids)

    async def any_unfinished(self, clue_id: str) -> bool:
        return await self._exists(
            select(tasks.c.task_id).where(
                tasks.c.clue_id == clue_id, tasks.c.state.in_(UNFINISHED_TASK_STATES)
            )
        )

    async def in_handling(self, root_id: str) -> list[Task]:
        rows = await self._session.execute(select(Task).where(in_handling(tasks.c.clue_id, root_id)))
        return list(rows.scalars())

    async def unfinished_kinds(self, root_id: str) -> list[str]:
        kinds = await self._session.execute(
            select(tasks.c.kind)
            .where(in_handling(tasks.c.clue_id, root_id), tasks.c.state.in_(UNFINISHED_TASK_STATES))
            .distinct()
        )
        return sorted(kinds.scalars())

    async def responding(self, root_id: str) -> frozenset[str]:
        rows = await self._session.execute(
            select(tasks.c.agency_id).where(
                in_handling(tasks.c.clue_id, root_id),
                tasks.c.kind == TaskKind.RESPOND,
                tasks.c.state.in_(UNFINISHED_TASK_STATES),
            )
        )
        return frozenset(rows.scalars())

    async def _exists(self, query: Select[tuple[str]]) -> bool:
        return (await self._session.execute(query.limit(1))).first() is not None


async def agency_task_states(session: AsyncSession, agency_id: str, clue_ids: Sequence[str]) -> list[str]:
    rows = await session.execute(
        select(tasks.c.state).where(tasks.c.agency_id == agency_id, tasks.c.clue_id.in_(clue_ids))
    )
    return list(rows.scalars())


class SqlDisputes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, dispute_id: str) -> Dispute | None:
        return await self._session.get(Dispute, dispute_id)

    async def add(self, dispute: Dispute) -> None:
        self._session.add(dispute)
        await self._session.flush()

    async def pending_in_handling(self, root_id: str) -> int:
        count = await self._session.execute(
            select(func.count()).where(in_handling(disputes.c.clue_id, root_id), disputes.c.state == PENDING)
        )
        return int(count.scalar_one())

    async def decisions(self, clue_id: str) -> list[tuple[TaskKind, str]]:
        rows = await self._session.execute(
            select(tasks.c.kind, disputes.c.decided_assignee)
            .select_from(disputes.join(tasks, tasks.c.task_id == disputes.c.task_id))
            .where(disputes.c.clue_id == clue_id, disputes.c.state == DECIDED)
            .order_by(disputes.c.decided_at)
        )
        return [(TaskKind(kind), assignee) for kind, assignee in rows if assignee]


class SqlTimeline:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def last(self, clue_id: str) -> tuple[int, str] | None:
        row = (
            await self._session.execute(
                select(timeline.c.seq, timeline.c.hash)
                .where(timeline.c.clue_id == clue_id)
                .order_by(timeline.c.seq.desc())
                .limit(1)
            )
        ).first()
        return (row.seq, row.hash) if row else None

    async def append(self, clue_id: str, entry: Entry) -> None:
        self._session.add(
            TimelineRow(
                clue_id=clue_id,
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                task_id=entry.task_id,
                detail=entry.detail,
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        await self._session.flush()


def entry_of(row: TimelineRow) -> Entry:
    return Entry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        task_id=row.task_id,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class SqlDeadlineViews:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, view: DeadlineView) -> None:
        await self._session.merge(
            DeadlineViewRow(
                deadline_id=view.deadline_id,
                clue_id=view.clue_id,
                task_id=view.task_id,
                rule=view.rule,
                due_at=view.due_at,
                state=view.state,
                late=view.late,
                provisional=view.provisional,
            )
        )


def deadline_of(row: DeadlineViewRow) -> DeadlineView:
    return DeadlineView(
        deadline_id=row.deadline_id,
        clue_id=row.clue_id,
        task_id=row.task_id,
        rule=row.rule,
        due_at=row.due_at,
        state=row.state,
        late=row.late,
        provisional=row.provisional,
    )


class SqlOutbox:
    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        self._session = session
        self._outbox = outbox

    async def add(self, event: CloudEvent) -> None:
        await self._outbox.add(self._session, event)
