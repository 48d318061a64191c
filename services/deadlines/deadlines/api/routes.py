"""Deadlines' HTTP routes: deadlines, counts per agency, and the holiday calendar."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from deadlines.api.deps import PolicyDep, ReadsDep, UnitOfWorkDep
from deadlines.api.schemas import AgencyCounts, CalendarDay, DayOut, DeadlineOut, YearLoaded, YearScheduleIn
from deadlines.app.calendar_years import load_calendar_year
from deadlines.app.commands import LoadCalendarYear
from deadlines.app.ports import DeadlineFilter
from deadlines.domain.calendar import YearSchedule
from shared.auth import CurrentPrincipal, current_principal, require_admin
from shared.errors import InvalidError
from shared.pagination import Cursor, Limit, Page
from shared.params import AgencyIdQuery, ClueIdQuery, DivisionQuery, NameQuery
from shared.problems import MEDIA_TYPE

deadlines_router = APIRouter(prefix="/v1/deadlines", tags=["deadlines"])
calendar_router = APIRouter(prefix="/v1/calendar", tags=["calendar"])


def problem_response(description: str) -> dict[str, Any]:
    """A status this route answers that shared/openapi.py does not add by itself."""
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


StateFilter = Annotated[str | None, Query(pattern="^(running|met|breached|cancelled)$")]


@deadlines_router.get(
    "",
    response_model=Page[DeadlineOut],
    summary="Deadlines the caller may see, newest first",
    responses={400: problem_response("`cursor` is not a `next_cursor` this service issued")},
    description=(
        "Filters combine (AND). An agency sees the deadlines of the clues it holds or held a task on; the"
        " admin and the division offices see more. Pages follow `next_cursor`. Timestamps are in +08:00;"
        " `due_at` is `23:59:59+08:00` of the last day."
    ),
)
async def list_deadlines(
    reads: ReadsDep,
    principal: CurrentPrincipal,
    clue_id: ClueIdQuery = None,
    agency_id: AgencyIdQuery = None,
    rule: NameQuery = None,
    state: StateFilter = None,
    provisional: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeadlineOut]:
    where = DeadlineFilter(
        clue_id=clue_id, agency_id=agency_id, rule=rule, state=state, provisional=provisional
    )
    page, next_cursor = await reads.page(principal, where, cursor=cursor, limit=limit)
    return Page[DeadlineOut](
        items=[DeadlineOut.model_validate(d, from_attributes=True) for d in page], next_cursor=next_cursor
    )


@deadlines_router.get(
    "/counts",
    response_model=list[AgencyCounts],
    summary="Per agency: running, due soon, breached, met on time, late",
    description="One row per agency whose deadlines the caller may see; `division` narrows to one division.",
)
async def deadline_counts(
    reads: ReadsDep,
    principal: CurrentPrincipal,
    division: DivisionQuery = None,
) -> list[AgencyCounts]:
    counts = await reads.agency_counts(principal, division=division)
    return [AgencyCounts.model_validate(c, from_attributes=True) for c in counts]


@calendar_router.get(
    "/days/{day}",
    response_model=DayOut,
    summary="Whether a day is a working day",
    description=(
        "From the loaded official schedule (holidays and make-up working days); a year not loaded counts"
        " weekends only and answers `provisional: true`."
    ),
    dependencies=[Depends(current_principal)],
)
async def get_day(day: CalendarDay, reads: ReadsDep) -> DayOut:
    info = (await reads.calendar()).day(day)
    return DayOut(date=info.date, workday=info.workday, holiday=info.holiday, provisional=info.provisional)


@calendar_router.put(
    "/years/{year}",
    response_model=YearLoaded,
    summary="Load a year's official schedule (admin) and recompute the open deadlines crossing it",
    description=(
        "Replaces the year's holidays and make-up working days. Every day must lie in `year`; a day may not"
        " be both a holiday and a working day (422). Open deadlines crossing the year are recomputed; a"
        " breach only the provisional calendar caused is undone (`deadline.corrected`). Admin only (403)."
    ),
)
async def put_year(
    body: YearScheduleIn,
    principal: CurrentPrincipal,
    year: Annotated[int, Path(ge=2000, le=2100, examples=[2026], description="the days of `body` lie in it")],
    uow: UnitOfWorkDep,
    policy: PolicyDep,
) -> YearLoaded:
    require_admin(principal)
    try:
        schedule = YearSchedule(
            year=year,
            holidays={h.date: h.name for h in body.holidays},
            workdays=frozenset(body.workdays),
        )
    except ValueError as error:
        raise InvalidError([{"field": "body", "message": str(error)}]) from error
    command = LoadCalendarYear(schedule=schedule, loaded_by=str(principal))
    recomputed = await load_calendar_year(command, uow=uow, now=datetime.now(UTC), policy=policy)
    return YearLoaded(
        year=year,
        holidays=len(schedule.holidays),
        workdays=len(schedule.workdays),
        recomputed_deadlines=recomputed,
    )
