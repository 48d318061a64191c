"""Reads for the HTTP API and the metrics: deadlines a principal may see, and counts of them."""

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from deadlines.app.ports import AgencyCounts, DeadlineFilter, RuleCounts
from deadlines.domain.calendar import HolidayCalendar
from deadlines.domain.model import AlarmKind, Deadline
from deadlines.store.calendar import load_calendar
from deadlines.store.mapping import deadline_from
from deadlines.store.tables import AlarmRow, ClueRow, DeadlineRow, TaskRow
from shared.auth import Principal
from shared.pagination import keyset_page


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """CONTRACT.md, Who sees what: deadlines on the clues the caller may see."""
    if principal.is_admin or principal.is_city_office:
        return DeadlineRow.deadline_id.is_not(None)
    conditions: list[ColumnElement[bool]] = []
    if principal.is_office and principal.division:
        conditions.append(DeadlineRow.division == principal.division)
    if principal.agency_id:
        # An alias of its own: a query that joins tasks itself (the counts) must not correlate it away.
        held = aliased(TaskRow)
        conditions.append(
            exists().where(held.clue_id == DeadlineRow.clue_id, held.agency_id == principal.agency_id)
        )
        # A linked clue is handled through its lead's tasks (rule 8), so their holders see its deadlines.
        conditions.append(DeadlineRow.agency_id == principal.agency_id)
        conditions.append(
            exists().where(
                ClueRow.clue_id == DeadlineRow.clue_id,
                TaskRow.clue_id == ClueRow.lead_clue_id,
                TaskRow.agency_id == principal.agency_id,
            )
        )
    conditions.append(
        exists().where(ClueRow.clue_id == DeadlineRow.clue_id, ClueRow.submitted_by == str(principal))
    )
    return or_(*conditions)


def held_by(agency_id: str) -> ColumnElement[bool]:
    return or_(
        DeadlineRow.agency_id == agency_id,
        exists().where(TaskRow.clue_id == DeadlineRow.clue_id, TaskRow.agency_id == agency_id),
    )


def warned() -> ColumnElement[bool]:
    """A due_soon alarm of the deadline has fired."""
    return exists().where(
        AlarmRow.deadline_id == DeadlineRow.deadline_id,
        AlarmRow.kind.like(f"{AlarmKind.DUE_SOON}:%"),
        AlarmRow.fired_at.is_not(None),
    )


class SqlDeadlineReads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, principal: Principal, where: DeadlineFilter, *, cursor: str | None, limit: int
    ) -> tuple[list[Deadline], str | None]:
        query = select(DeadlineRow).where(visible_to(principal))
        if where.clue_id:
            query = query.where(DeadlineRow.clue_id == where.clue_id)
        if where.agency_id:
            query = query.where(held_by(where.agency_id))
        if where.rule:
            query = query.where(DeadlineRow.rule == where.rule)
        if where.state:
            query = query.where(DeadlineRow.state == where.state)
        if where.provisional is not None:
            query = query.where(DeadlineRow.provisional == where.provisional)
        rows, next_cursor = await keyset_page(
            self.session,
            query,
            at=DeadlineRow.created_at,
            key=DeadlineRow.deadline_id,
            cursor=cursor,
            limit=limit,
        )
        return [deadline_from(row) for row in rows], next_cursor

    async def agency_counts(self, principal: Principal, *, division: str | None) -> list[AgencyCounts]:
        attributed = (
            select(
                DeadlineRow.deadline_id,
                func.coalesce(DeadlineRow.agency_id, TaskRow.agency_id).label("agency_id"),
            )
            .select_from(DeadlineRow)
            .join(TaskRow, TaskRow.clue_id == DeadlineRow.clue_id, isouter=True)
            .where(
                visible_to(principal),
                or_(DeadlineRow.agency_id.is_(None), DeadlineRow.agency_id == TaskRow.agency_id),
            )
            .distinct()
        )
        if division:
            attributed = attributed.where(DeadlineRow.division == division)
        pairs = attributed.subquery()
        query = (
            select(
                pairs.c.agency_id,
                func.count().filter(DeadlineRow.state == "running"),
                func.count().filter(and_(DeadlineRow.state == "running", warned())),
                func.count().filter(and_(DeadlineRow.state == "breached", DeadlineRow.late.is_(False))),
                func.count().filter(DeadlineRow.state == "met"),
                func.count().filter(DeadlineRow.late.is_(True)),
            )
            .join(DeadlineRow, DeadlineRow.deadline_id == pairs.c.deadline_id)
            .where(pairs.c.agency_id.is_not(None))
            .group_by(pairs.c.agency_id)
            .order_by(pairs.c.agency_id)
        )
        rows = (await self.session.execute(query)).all()
        return [AgencyCounts(*row) for row in rows]

    async def rule_counts(self) -> list[RuleCounts]:
        query = select(
            DeadlineRow.rule,
            func.count().filter(DeadlineRow.state == "running"),
            func.count().filter(and_(DeadlineRow.state == "running", warned())),
            func.count().filter(and_(DeadlineRow.state == "breached", DeadlineRow.late.is_(False))),
        ).group_by(DeadlineRow.rule)
        return [RuleCounts(*row) for row in (await self.session.execute(query)).all()]

    async def calendar(self) -> HolidayCalendar:
        return await load_calendar(self.session)
