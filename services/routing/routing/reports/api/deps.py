"""Dependencies of the reports' routes: the context built at startup, a transaction, the quarter."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request

from routing.reports.app.ports import ReportsContext, UnitOfWork
from routing.reports.domain.periods import Quarter
from routing.reports.settings import ReportsSettings
from shared.errors import InvalidError
from shared.params import EARLIEST_DAY, LATEST_DAY, LINE_PATTERN


def reports_context(request: Request) -> ReportsContext:
    """``app.state.reports``, set at startup (``routing.reports.bootstrap``)."""
    context: ReportsContext = request.app.state.reports
    return context


Context = Annotated[ReportsContext, Depends(reports_context)]


async def unit_of_work(context: Context) -> AsyncIterator[UnitOfWork]:
    """The request's transaction, committed after the route answers."""
    async with context.transaction() as uow:
        yield uow


def settings(context: Context) -> ReportsSettings:
    return context.settings


UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[ReportsSettings, Depends(settings)]


def quarter_of(text: str) -> Quarter:
    """The ``quarter`` query value as a quarter the system can hold, or 422 naming the field."""
    try:
        quarter = Quarter.parse(text)
    except ValueError as error:
        raise InvalidError([{"field": "quarter", "message": str(error)}]) from error
    if not EARLIEST_DAY.year <= quarter.year <= LATEST_DAY.year:
        message = f"must be a quarter of {EARLIEST_DAY.year}-{LATEST_DAY.year}"
        raise InvalidError([{"field": "quarter", "message": message}])
    return quarter


#: The shapes the checks below accept, published (not enforced by FastAPI: the 422 names ``quarter``).
QUARTER_PATTERN = r"^(20[0-9]{2}|2100)Q[1-4]$"
DAY_PATTERN = r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"

QuarterQuery = Annotated[
    str,
    Query(
        pattern=LINE_PATTERN,
        max_length=20,
        description="the quarter, YYYYQn, of 2000-2100",
        examples=["2026Q3"],
        json_schema_extra={"pattern": QUARTER_PATTERN},
    ),
]
