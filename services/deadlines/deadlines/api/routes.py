"""Deadlines' HTTP routes: deadlines, counts per agency, and the holiday calendar."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from deadlines.api.schemas import AgencyCounts, DayOut, DeadlineOut, YearLoaded, YearScheduleIn
from deadlines.app.calendar_years import load_calendar
from deadlines.bootstrap import Deadlines
from deadlines.domain.calendar import YearSchedule
from deadlines.store.tables import AlarmRow, ClueRow, DeadlineRow, TaskRow
from shared.auth import CurrentPrincipal, Principal, current_principal, require_admin
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.params import AgencyIdQuery, ClueIdQuery, Day, DivisionQuery, NameQuery
from shared.problems import validation_problem

deadlines_router = APIRouter(prefix="/v1/deadlines", tags=["deadlines"])
calendar_router = APIRouter(prefix="/v1/calendar", tags=["calendar"])

StateFilter = Annotated[str | None, Query(pattern="^(running|met|breached|cancelled)$")]


def _deadlines(request: Request) -> Deadlines:
    service: Deadlines = request.app.state.deadlines
    return service


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


@deadlines_router.get(
    "", response_model=Page[DeadlineOut], summary="Deadlines the caller may see, newest first"
)
async def list_deadlines(
    request: Request,
    principal: CurrentPrincipal,
    clue_id: ClueIdQuery = None,
    agency_id: AgencyIdQuery = None,
    rule: NameQuery = None,
    state: StateFilter = None,
    provisional: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeadlineOut]:
    query = select(DeadlineRow).where(visible_to(principal))
    if clue_id:
        query = query.where(DeadlineRow.clue_id == clue_id)
    if agency_id:
        query = query.where(held_by(agency_id))
    if rule:
        query = query.where(DeadlineRow.rule == rule)
    if state:
        query = query.where(DeadlineRow.state == state)
    if provisional is not None:
        query = query.where(DeadlineRow.provisional == provisional)
    async with _deadlines(request).runtime.sessions() as session:
        page, next_cursor = await keyset_page(
            session, query, at=DeadlineRow.created_at, key=DeadlineRow.deadline_id, cursor=cursor, limit=limit
        )
    return Page[DeadlineOut](
        items=[DeadlineOut.model_validate(r, from_attributes=True) for r in page], next_cursor=next_cursor
    )


@deadlines_router.get(
    "/counts",
    response_model=list[AgencyCounts],
    summary="Per agency: running, due soon, breached, met on time, late",
)
async def deadline_counts(
    request: Request,
    principal: CurrentPrincipal,
    division: DivisionQuery = None,
) -> list[AgencyCounts]:
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
    warned = exists().where(
        AlarmRow.deadline_id == DeadlineRow.deadline_id,
        AlarmRow.kind.like("due_soon:%"),
        AlarmRow.fired_at.is_not(None),
    )
    query = (
        select(
            pairs.c.agency_id,
            func.count().filter(DeadlineRow.state == "running").label("running"),
            func.count().filter(and_(DeadlineRow.state == "running", warned)).label("due_soon"),
            func.count()
            .filter(and_(DeadlineRow.state == "breached", DeadlineRow.late.is_(False)))
            .label("breached"),
            func.count().filter(DeadlineRow.state == "met").label("met_on_time"),
            func.count().filter(DeadlineRow.late.is_(True)).label("met_late"),
        )
        .join(DeadlineRow, DeadlineRow.deadline_id == pairs.c.deadline_id)
        .where(pairs.c.agency_id.is_not(None))
        .group_by(pairs.c.agency_id)
        .order_by(pairs.c.agency_id)
    )
    async with _deadlines(request).runtime.sessions() as session:
        rows = (await session.execute(query)).all()
    return [AgencyCounts.model_validate(row._mapping) for row in rows]


@calendar_router.get(
    "/days/{day}",
    response_model=DayOut,
    summary="Whether a day is a working day",
    dependencies=[Depends(current_principal)],
)
async def get_day(day: Day, request: Request) -> DayOut:
    async with _deadlines(request).runtime.sessions() as session:
        calendar = await load_calendar(session)
    info = calendar.day(day)
    return DayOut(date=info.date, workday=info.workday, holiday=info.holiday, provisional=info.provisional)


@calendar_router.put(
    "/years/{year}",
    response_model=YearLoaded,
    summary="Load a year's official schedule (admin) and recompute the open deadlines crossing it",
)
async def put_year(
    body: YearScheduleIn,
    request: Request,
    principal: CurrentPrincipal,
    year: Annotated[int, Path(ge=2000, le=2100)],
) -> YearLoaded:
    require_admin(principal)
    try:
        schedule = YearSchedule(
            year=year,
            holidays={h.date: h.name for h in body.holidays},
            workdays=frozenset(body.workdays),
        )
    except ValueError as error:
        raise validation_problem([{"field": "body", "message": str(error)}]) from error
    service = _deadlines(request)
    async with service.runtime.sessions.begin() as session:
        recomputed = await service.service.load_year(
            session, schedule=schedule, loaded_by=str(principal), now=datetime.now(UTC)
        )
    service.scheduler.wake()
    service.runtime.after_commit()
    return YearLoaded(
        year=year,
        holidays=len(schedule.holidays),
        workdays=len(schedule.workdays),
        recomputed_deadlines=recomputed,
    )
