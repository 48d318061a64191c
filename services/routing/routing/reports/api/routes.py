"""GET /v1/reports/...: offices and admin only. A division office sees its division, the city office
and admin everything."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from routing.reports.api.deps import DAY_PATTERN, QuarterQuery, SettingsDep, UnitOfWorkDep, quarter_of
from routing.reports.api.incidence import IncidenceBaseIn, IncidenceBaseOut
from routing.reports.api.schemas import GroupOut, IndexOut, SummaryOut
from routing.reports.app.briefing import export_briefing, render_briefing
from routing.reports.app.commands import ListIncidenceBase, LoadIncidenceBase, ShowIndex, ShowSummary
from routing.reports.app.incidence import list_incidence_base, load_incidence_base
from routing.reports.app.index import build_index
from routing.reports.app.summary import summarise
from routing.reports.domain.access import visible_division
from routing.reports.domain.figures import GroupBy
from routing.reports.domain.periods import report_period
from shared.auth import CurrentPrincipal, Principal, require_admin
from shared.params import Day

reports = APIRouter(prefix="/v1/reports", tags=["reports"])

_CSV_EXAMPLE = (
    "quarter,level,division,key,label,rank,score,…\r\n2026Q3,division,330106,330106,西湖区,1,87.5,…\r\n"
)
_HTML_EXAMPLE = '<!doctype html><html lang="zh">…</html>'


def _show_index(principal: Principal, quarter: str) -> ShowIndex:
    """Who may see it first (403), then the quarter (422)."""
    return ShowIndex(division=visible_division(principal), quarter=quarter_of(quarter))


@reports.get(
    "/summary",
    summary="Figures by division, agency or industry authority for a date range",
    description=(
        "Counts and amounts of the clues received from `from` to `to` (both included, Asia/Shanghai "
        "days, at most 3660 days; `to` before `from` is a 422), grouped by `group_by`, each with the "
        "previous period of the same length and the same dates a year earlier. A division office sees "
        "its division; the city office and admin see all. Amounts are decimal strings in yuan, "
        "ratios decimal strings to four places."
    ),
)
async def get_summary(
    principal: CurrentPrincipal,
    uow: UnitOfWorkDep,
    from_: Annotated[
        Day,
        Query(
            alias="from",
            description="first day, YYYY-MM-DD (2000-01-01 to 2100-12-31)",
            examples=["2026-07-01"],
            json_schema_extra={"pattern": DAY_PATTERN},
        ),
    ],
    to: Annotated[
        Day,
        Query(
            description="last day, included, on or after `from`",
            examples=["2026-09-30"],
            json_schema_extra={"pattern": DAY_PATTERN},
        ),
    ],
    group_by: Annotated[GroupBy, Query(description="how the figures are grouped")] = GroupBy.DIVISION,
) -> SummaryOut:
    division = visible_division(principal)
    query = ShowSummary(period=report_period(from_, to), group_by=group_by, division=division)
    groups = await summarise(query, uow=uow)
    return SummaryOut(from_=from_, to=to, group_by=group_by, groups=[GroupOut.of(g) for g in groups])


@reports.get(
    "/index",
    summary="The Wage Security Index (安薪指数) of a quarter, every component shown",
    description=(
        "Each division, and each division's townships and industry authorities, scored 0-100 from the "
        "components of the policy shown in `policy`; a component without data is null and listed in "
        "`missing` (never estimated). A division office sees its division's units."
    ),
)
async def get_index(
    principal: CurrentPrincipal, uow: UnitOfWorkDep, settings: SettingsDep, quarter: QuarterQuery
) -> IndexOut:
    index = await build_index(_show_index(principal, quarter), uow=uow, settings=settings)
    return IndexOut.of(index, settings)


@reports.get(
    "/briefing",
    response_class=HTMLResponse,
    summary="The quarterly briefing (通报晾晒) as an HTML page with charts",
    description="The index of the quarter as a printable page (UTF-8 HTML, no external assets).",
    responses={200: {"description": "The page", "content": {"text/html": {"example": _HTML_EXAMPLE}}}},
)
async def get_briefing(
    principal: CurrentPrincipal, uow: UnitOfWorkDep, settings: SettingsDep, quarter: QuarterQuery
) -> HTMLResponse:
    page = await render_briefing(_show_index(principal, quarter), uow=uow, settings=settings)
    return HTMLResponse(page)


@reports.get(
    "/briefing.csv",
    response_class=Response,
    summary="The quarterly briefing's ranking tables as CSV",
    description=(
        "The briefing's ranking tables as UTF-8 CSV, sent as an attachment; a cell that a spreadsheet "
        "would run as a formula is written so that it stays text."
    ),
    responses={
        200: {
            "description": "The CSV file",
            "content": {"text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE}},
            "headers": {
                "Content-Disposition": {
                    "description": "attachment; the file name names the quarter",
                    "schema": {"type": "string"},
                }
            },
        }
    },
)
async def get_briefing_csv(
    principal: CurrentPrincipal, uow: UnitOfWorkDep, settings: SettingsDep, quarter: QuarterQuery
) -> Response:
    export = await export_briefing(_show_index(principal, quarter), uow=uow, settings=settings)
    return Response(
        export.text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@reports.put(
    "/reference/incidence-base",
    summary="Load the incidence base (admin)",
    description=(
        "Upserts each item (by scope, division and name); units not named keep their base. The answer "
        "is the whole base as loaded. Only admin may load it (403 otherwise)."
    ),
)
async def put_incidence_base(
    principal: CurrentPrincipal, uow: UnitOfWorkDep, body: IncidenceBaseIn
) -> IncidenceBaseOut:
    """Upserts each item; units not named keep their base. Incidence is clues per ``incidence_per`` of it."""
    require_admin(principal)
    command = LoadIncidenceBase([item.to_base() for item in body.items])
    return IncidenceBaseOut.of(await load_incidence_base(command, uow=uow, now=datetime.now(UTC)))


@reports.get(
    "/reference/incidence-base",
    summary="The incidence base as loaded",
    description="Every unit's base; a division office sees its division's.",
)
async def get_incidence_base(principal: CurrentPrincipal, uow: UnitOfWorkDep) -> IncidenceBaseOut:
    query = ListIncidenceBase(division=visible_division(principal))
    return IncidenceBaseOut.of(await list_incidence_base(query, uow=uow))
