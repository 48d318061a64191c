"""The alarms repository: pending alarms, found by ``ix_alarms_pending`` without a table scan.

Several instances may fire alarms; ``FOR UPDATE SKIP LOCKED`` lets exactly one claim each.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.app.ports import DueAlarm
from deadlines.domain.model import Alarm, AlarmKind
from deadlines.store.chunks import chunks
from deadlines.store.tables import AlarmRow


class SqlAlarms:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace_pending(self, deadline_id: str, alarms: Sequence[Alarm]) -> None:
        await self.drop_pending([deadline_id])
        await self.add([(deadline_id, alarm) for alarm in alarms])

    async def drop_pending(self, deadline_ids: Sequence[str]) -> None:
        for ids in chunks(list(deadline_ids)):
            await self.session.execute(
                delete(AlarmRow).where(AlarmRow.deadline_id.in_(ids), AlarmRow.fired_at.is_(None))
            )

    async def drop_all(self, deadline_ids: Sequence[str]) -> None:
        for ids in chunks(list(deadline_ids)):
            await self.session.execute(delete(AlarmRow).where(AlarmRow.deadline_id.in_(ids)))

    async def add(self, alarms: Sequence[tuple[str, Alarm]]) -> None:
        values = [
            {"deadline_id": deadline_id, "kind": alarm.code, "fire_at": alarm.fire_at}
            for deadline_id, alarm in alarms
        ]
        for chunk in chunks(values):
            await self.session.execute(
                pg_insert(AlarmRow).on_conflict_do_nothing(constraint="uq_alarms_deadline_kind"), chunk
            )

    async def claim_due(self, *, now: datetime, limit: int) -> list[DueAlarm]:
        rows = (
            await self.session.execute(
                select(AlarmRow)
                .where(AlarmRow.fired_at.is_(None), AlarmRow.fire_at <= now)
                .order_by(AlarmRow.fire_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).scalars()
        return [DueAlarm(r.id, r.deadline_id, r.kind, Alarm.parse(r.kind, r.fire_at)) for r in rows]

    async def mark_fired(self, alarm_id: int, at: datetime | None) -> None:
        row = await self.session.get(AlarmRow, alarm_id)
        assert row is not None, "only a claimed alarm is marked"
        row.fired_at = at

    async def breach_pending(self, deadline_id: str) -> bool:
        pending = await self.session.execute(
            select(AlarmRow.id).where(
                AlarmRow.deadline_id == deadline_id,
                AlarmRow.kind == str(AlarmKind.BREACHED),  # a breach alarm's code is its kind alone
                AlarmRow.fired_at.is_(None),
            )
        )
        return pending.first() is not None

    async def next_fire_at(self) -> datetime | None:
        result = await self.session.execute(
            select(func.min(AlarmRow.fire_at)).where(AlarmRow.fired_at.is_(None))
        )
        return result.scalar_one_or_none()
