"""The holiday calendar repository: official schedules an operator loaded, by year."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.domain.calendar import HolidayCalendar, YearSchedule
from deadlines.store.tables import CalendarYearRow


class SqlCalendar:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self) -> HolidayCalendar:
        return await load_calendar(self.session)

    async def save_year(self, schedule: YearSchedule, *, loaded_by: str, now: datetime) -> None:
        await self.session.merge(
            CalendarYearRow(
                year=schedule.year,
                holidays={d.isoformat(): name for d, name in sorted(schedule.holidays.items())},
                workdays=sorted(d.isoformat() for d in schedule.workdays),
                loaded_by=loaded_by,
                loaded_at=now,
            )
        )
        await self.session.flush()


async def load_calendar(session: AsyncSession) -> HolidayCalendar:
    rows = (await session.execute(select(CalendarYearRow))).scalars()
    return HolidayCalendar({row.year: schedule_from_row(row) for row in rows})


def schedule_from_row(row: CalendarYearRow) -> YearSchedule:
    return YearSchedule(
        year=row.year,
        holidays={date.fromisoformat(d): name for d, name in row.holidays.items()},
        workdays=frozenset(date.fromisoformat(d) for d in row.workdays),
    )
