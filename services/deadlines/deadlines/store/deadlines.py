"""The deadlines repository: one place for each query on ``deadlines.deadlines``."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, and_, cast, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.domain.model import OPEN_STATES, Deadline, DeadlineState, Task
from deadlines.store.chunks import chunks
from deadlines.store.mapping import deadline_from, limit_to_json
from deadlines.store.tables import DeadlineRow


class SqlDeadlines:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, deadline: Deadline) -> Deadline | None:
        inserted = await self.session.execute(
            pg_insert(DeadlineRow)
            .values(
                deadline_id=deadline.deadline_id,
                clue_id=deadline.clue_id,
                task_id=deadline.task_id,
                scope=deadline.scope,
                rule=deadline.rule,
                agency_id=deadline.agency_id,
                division=deadline.division,
                source=deadline.source,
                starts_on=deadline.starts_on,
                start_at=deadline.start_at,
                limit=limit_to_json(deadline.limit),
                last_day=deadline.last_day,
                due_at=deadline.due_at,
                provisional=deadline.provisional,
                state=deadline.state,
            )
            .on_conflict_do_nothing(constraint="uq_deadlines_clue_rule_scope")
            .returning(DeadlineRow.deadline_id)
        )
        if inserted.first() is None:
            return None
        return await self.get(deadline.deadline_id)

    async def get(self, deadline_id: str, *, lock: bool = False, refresh: bool = False) -> Deadline | None:
        if lock:
            row = await self.session.get(DeadlineRow, deadline_id, with_for_update=True)
        else:
            row = await self.session.get(DeadlineRow, deadline_id, populate_existing=refresh)
        return deadline_from(row) if row is not None else None

    async def save(self, deadline: Deadline) -> None:
        row = await self.session.get(DeadlineRow, deadline.deadline_id)
        assert row is not None, "only a stored deadline is saved"
        row.state, row.late, row.met_at = deadline.state, deadline.late, deadline.met_at
        row.breached_at, row.cancelled_at = deadline.breached_at, deadline.cancelled_at
        if deadline.updated_at is not None:
            row.updated_at = deadline.updated_at

    async def _select(self, *conditions: Any) -> list[Deadline]:
        rows = (await self.session.execute(select(DeadlineRow).where(*conditions))).scalars()
        return [deadline_from(row) for row in rows]

    async def of_clue(self, clue_id: str) -> list[Deadline]:
        return await self._select(DeadlineRow.clue_id == clue_id)

    async def open_of_clue(self, clue_id: str, *, rules: Sequence[str] | None = None) -> list[Deadline]:
        conditions = [DeadlineRow.clue_id == clue_id, DeadlineRow.met_at.is_(None)]
        conditions.append(DeadlineRow.state.in_(OPEN_STATES))
        if rules is not None:
            conditions.append(DeadlineRow.rule.in_(rules))
        return await self._select(*conditions)

    async def open_of_task(self, task_id: str, rule: str) -> list[Deadline]:
        return await self._select(
            DeadlineRow.task_id == task_id,
            DeadlineRow.rule == rule,
            DeadlineRow.met_at.is_(None),
            DeadlineRow.state.in_(OPEN_STATES),
        )

    async def of_clue_rule(self, clue_id: str, rule: str) -> Deadline | None:
        found = await self._select(
            DeadlineRow.clue_id == clue_id, DeadlineRow.rule == rule, DeadlineRow.scope == ""
        )
        return found[0] if found else None

    async def hand_over(self, *, old_task_id: str, task: Task, now: datetime) -> None:
        await self.session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.task_id == old_task_id)
            .values(task_id=task.task_id, agency_id=task.agency_id, updated_at=now)
        )

    async def move_to_division(self, clue_id: str, division: str) -> None:
        await self.session.execute(
            update(DeadlineRow).where(DeadlineRow.clue_id == clue_id).values(division=division)
        )

    async def open_dispute(self, task_id: str, *, at: datetime) -> None:
        await self.session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.task_id == task_id, DeadlineRow.in_dispute_since.is_(None))
            .values(in_dispute_since=at)
        )

    async def close_dispute(self, task_ids: Sequence[str], *, at: datetime) -> None:
        # Whole seconds in dispute, never negative (a decision stamped before its opening).
        elapsed = func.greatest(
            func.extract("epoch", literal(at, DateTime(timezone=True)) - DeadlineRow.in_dispute_since), 0
        )
        await self.session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.task_id.in_(task_ids), DeadlineRow.in_dispute_since.is_not(None))
            .values(
                dispute_seconds=DeadlineRow.dispute_seconds + cast(func.floor(elapsed), Integer),
                in_dispute_since=None,
                updated_at=at,
            )
        )

    async def crossing(self, first_day: date, last_day: date) -> list[Deadline]:
        query = select(*DeadlineRow.__table__.c).where(
            or_(
                and_(DeadlineRow.state == DeadlineState.RUNNING, DeadlineRow.met_at.is_(None)),
                and_(
                    DeadlineRow.state == DeadlineState.BREACHED,
                    DeadlineRow.provisional.is_(True),
                    DeadlineRow.cancelled_at.is_(None),
                ),
            ),
            DeadlineRow.starts_on <= last_day,
            DeadlineRow.last_day >= first_day,
        )
        return [deadline_from(row) for row in (await self.session.execute(query)).all()]

    async def save_periods(self, deadlines: Sequence[Deadline]) -> None:
        # Every change sets the same columns, so that they update in bulk by primary key.
        changes = [
            {
                "deadline_id": d.deadline_id,
                "last_day": d.last_day,
                "due_at": d.due_at,
                "provisional": d.provisional,
                "state": d.state,
                "late": d.late,
                "updated_at": d.updated_at,
                "breached_at": d.breached_at,
            }
            for d in deadlines
        ]
        for chunk in chunks(changes):
            await self.session.execute(update(DeadlineRow), chunk)
