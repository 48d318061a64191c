"""Repositories of what deadlines knows of clues and tasks (fed by intake's and routing's events)."""

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.domain.model import Clue, Task
from deadlines.store.mapping import clue_from, clue_row, task_row
from deadlines.store.tables import ClueRow, TaskRow
from shared.events.task_states import UNFINISHED_TASK_STATES


class SqlClues:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, clue: Clue) -> None:
        await self.session.merge(clue_row(clue))

    async def get(self, clue_id: str) -> Clue | None:
        row = await self.session.get(ClueRow, clue_id)
        return clue_from(row) if row is not None else None

    async def followers(self, lead_clue_id: str) -> list[Clue]:
        rows = (
            await self.session.execute(
                select(ClueRow)
                .where(ClueRow.lead_clue_id == lead_clue_id, ClueRow.status != "closed")
                .order_by(ClueRow.received_at, ClueRow.clue_id)
            )
        ).scalars()
        return [clue_from(row) for row in rows]


class SqlTasks:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, task: Task) -> None:
        await self.session.merge(task_row(task))

    async def set_state(self, task_id: str, state: str) -> None:
        await self.session.execute(update(TaskRow).where(TaskRow.task_id == task_id).values(state=state))

    async def ids_of_clue(self, clue_id: str) -> frozenset[str]:
        rows = await self.session.execute(select(TaskRow.task_id).where(TaskRow.clue_id == clue_id))
        return frozenset(rows.scalars())

    async def unfinished_holders(self, clue_ids: Sequence[str]) -> list[str]:
        holders = await self.session.execute(
            select(TaskRow.agency_id)
            .where(TaskRow.clue_id.in_(clue_ids), TaskRow.state.in_(UNFINISHED_TASK_STATES))
            .distinct()
        )
        return sorted(holders.scalars())
