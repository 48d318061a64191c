"""Loading a year's official holiday schedule: store it, then recompute the deadlines it moves.

Running deadlines take their new period, and so do breached provisional ones (domain/recompute.py):
a breach that only the fallback calendar caused is undone and announced once as ``deadline.corrected``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.domain.calendar import HolidayCalendar, YearSchedule
from deadlines.domain.deadline import DeadlineState, Limit, period_for
from deadlines.domain.periods import CountingMode
from deadlines.domain.recompute import Standing, needs_recompute, recompute
from deadlines.store.tables import AlarmRow, CalendarYearRow, DeadlineRow

if TYPE_CHECKING:
    from deadlines.app.handlers import DeadlineService

RECOMPUTE_CHUNK = 5000
T = TypeVar("T")


async def load_calendar(session: AsyncSession) -> HolidayCalendar:
    rows = (await session.execute(select(CalendarYearRow))).scalars()
    return HolidayCalendar({row.year: schedule_from_row(row) for row in rows})


def schedule_from_row(row: CalendarYearRow) -> YearSchedule:
    return YearSchedule(
        year=row.year,
        holidays={date.fromisoformat(d): name for d, name in row.holidays.items()},
        workdays=frozenset(date.fromisoformat(d) for d in row.workdays),
    )


def limit_to_json(limit: Limit) -> dict[str, Any]:
    return {"days": limit.days, "mode": str(limit.mode), "hours": limit.hours}


def limit_from_json(raw: dict[str, Any]) -> Limit:
    return Limit(
        days=raw.get("days"), mode=CountingMode(raw.get("mode", "calendar_days")), hours=raw.get("hours")
    )


async def load_year(
    service: DeadlineService,
    session: AsyncSession,
    *,
    schedule: YearSchedule,
    loaded_by: str,
    now: datetime,
) -> int:
    """Store an official schedule and recompute every open deadline that crosses its year."""
    await session.merge(
        CalendarYearRow(
            year=schedule.year,
            holidays={d.isoformat(): name for d, name in sorted(schedule.holidays.items())},
            workdays=sorted(d.isoformat() for d in schedule.workdays),
            loaded_by=loaded_by,
            loaded_at=now,
        )
    )
    await session.flush()
    calendar = await load_calendar(session)
    rows = (
        await session.execute(
            select(
                DeadlineRow.deadline_id,
                DeadlineRow.limit,
                DeadlineRow.start_at,
                DeadlineRow.starts_on,
                DeadlineRow.due_at,
                DeadlineRow.provisional,
                DeadlineRow.state,
                DeadlineRow.met_at,
                DeadlineRow.breached_at,
            ).where(
                or_(
                    and_(DeadlineRow.state == DeadlineState.RUNNING, DeadlineRow.met_at.is_(None)),
                    and_(
                        DeadlineRow.state == DeadlineState.BREACHED,
                        DeadlineRow.provisional.is_(True),
                        DeadlineRow.cancelled_at.is_(None),
                    ),
                ),
                DeadlineRow.starts_on <= date(schedule.year, 12, 31),
                DeadlineRow.last_day >= date(schedule.year, 1, 1),
            )
        )
    ).all()
    changes: list[dict[str, Any]] = []
    alarms: list[dict[str, Any]] = []
    rearmed: list[str] = []  # pending alarms replaced by the new period's
    rearmed_all: list[str] = []  # breaches undone: fired alarms too, so that it can breach again
    corrected: list[str] = []  # announced once as deadline.corrected
    for row in rows:
        if not needs_recompute(
            state=row.state, provisional=row.provisional, met=row.met_at is not None, cancelled=False
        ):
            continue
        limit = limit_from_json(row.limit)
        period = period_for(limit, start=row.start_at, starts_on=row.starts_on, calendar=calendar)
        standing = Standing(
            state=row.state, due_at=row.due_at, provisional=row.provisional, met_at=row.met_at
        )
        outcome = recompute(standing, period, now=now)
        if outcome is None:
            continue
        change: dict[str, Any] = {
            "deadline_id": row.deadline_id,
            "last_day": period.last_day,
            "due_at": outcome.due_at,
            "provisional": outcome.provisional,
            "state": outcome.state,
            "late": outcome.late,
            "updated_at": now,
        }
        # Every change sets the same columns, so that they update in bulk by primary key.
        undone = outcome.corrected and outcome.state == DeadlineState.RUNNING
        change["breached_at"] = None if undone else row.breached_at
        changes.append(change)
        if outcome.corrected:
            corrected.append(row.deadline_id)
        if outcome.alarms:
            (rearmed_all if outcome.corrected else rearmed).append(row.deadline_id)
            alarms += service.alarm_rows(
                row.deadline_id, period, calendar, hours_based=limit.hours is not None, now=now
            )
    # In bulk, alarms before deadline rows: the scheduler locks in that order too.
    for ids in _chunks(rearmed, RECOMPUTE_CHUNK):
        await session.execute(
            delete(AlarmRow).where(AlarmRow.deadline_id.in_(ids), AlarmRow.fired_at.is_(None))
        )
    for ids in _chunks(rearmed_all, RECOMPUTE_CHUNK):
        await session.execute(delete(AlarmRow).where(AlarmRow.deadline_id.in_(ids)))
    for chunk in _chunks(changes, RECOMPUTE_CHUNK):
        await session.execute(update(DeadlineRow), chunk)
    for chunk in _chunks(alarms, RECOMPUTE_CHUNK):
        await session.execute(
            pg_insert(AlarmRow).on_conflict_do_nothing(constraint="uq_alarms_deadline_kind"), chunk
        )
    previous = {row.deadline_id: row for row in rows}
    for deadline_id in corrected:
        deadline = await session.get(DeadlineRow, deadline_id, populate_existing=True)
        assert deadline is not None
        before = previous[deadline_id]
        await service.emit(
            session,
            "deadline.corrected",
            deadline,
            now,
            extra={
                "corrected_from": {
                    "state": before.state,
                    "due_at": before.due_at.isoformat(),
                    "provisional": before.provisional,
                },
                "calendar_year": schedule.year,
            },
        )
    return len(changes)


def _chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
