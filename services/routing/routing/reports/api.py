"""GET /v1/reports/... (CONTRACT.md assigns /v1/reports to routing) and the incidence base.

Offices and admin only: a division office sees its division, the city office and admin everything.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.reports.briefing import render_csv, render_html
from routing.reports.domain.index import Component, UnitScore
from routing.reports.domain.periods import Period, Quarter
from routing.reports.queries import GroupBy
from routing.reports.report import Comparison, GroupReport, QuarterIndex, build_index, build_summary
from routing.reports.settings import ReportsSettings
from routing.reports.tables import report_incidence_base
from shared.api import ApiModel
from shared.auth import CurrentPrincipal, Principal, require_admin
from shared.money import format_amount
from shared.params import EARLIEST_DAY, LATEST_DAY, Day, Line, QuarterQuery
from shared.places import DIVISIONS
from shared.problems import ProblemError, validation_problem

reports = APIRouter(prefix="/v1/reports", tags=["reports"])

MAX_DAYS = 3660


@dataclass(frozen=True)
class ReportsContext:
    sessions: async_sessionmaker[AsyncSession]
    settings: ReportsSettings


def reports_context(request: Request) -> ReportsContext:
    """``app.state.reports``; inside routing it is built once from routing's runtime on first use."""
    context: ReportsContext | None = getattr(request.app.state, "reports", None)
    if context is None:
        context = ReportsContext(request.app.state.routing.runtime.sessions, ReportsSettings())
        request.app.state.reports = context
    return context


Context = Annotated[ReportsContext, Depends(reports_context)]


async def _session(context: Context) -> AsyncIterator[AsyncSession]:
    async with context.sessions() as session, session.begin():
        yield session


SessionDep = Annotated[AsyncSession, Depends(_session)]


def visible_division(principal: Principal) -> str | None:
    """None for everything; a division code for a division office; 403 for anyone else."""
    if principal.is_admin or principal.is_city_office:
        return None
    if principal.is_office and principal.division in DIVISIONS:
        return principal.division
    raise ProblemError(403, "Forbidden", "Reports are for the leading-group offices and admin.")


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


# -- schemas -------------------------------------------------------------------------------------


class ComparisonOut(ApiModel):
    from_: date = Field(serialization_alias="from")
    to: date
    received: int
    amount_owed: str
    received_growth: str | None = Field(
        description='(now - then) / then, e.g. "0.2500"; null when then was 0'
    )
    amount_owed_growth: str | None

    @classmethod
    def of(cls, c: Comparison) -> "ComparisonOut":
        return cls(
            from_=c.period.start,
            to=c.period.end,
            received=c.received,
            amount_owed=format_amount(c.amount_owed),
            received_growth=_ratio(c.received_growth),
            amount_owed_growth=_ratio(c.amount_owed_growth),
        )


class TransfersOut(ApiModel):
    count: int = Field(description="clues first transferred to an industry authority in the period")
    with_7d_rule: int = Field(description="of those, clues the 7-day rule applies to (settled)")
    within_7d: int
    share_within_7d: str | None


class IndustryResultsOut(ApiModel):
    count: int = Field(description="industry_resolve results reported in the period")
    resolved: int
    settled_15d: int = Field(description="industry_15d periods settled in the period")
    within_15d: int
    share_within_15d: str | None


class DeadlinesOut(ApiModel):
    met_on_time: int = Field(description="deadlines falling due in the period, met in time")
    breached: int = Field(description="falling due in the period and breached (met late or still running)")
    still_overdue: int
    on_time_rate: str | None


class GroupOut(ApiModel):
    key: str
    label: str
    received: int
    received_by_source: dict[str, int]
    emergencies: int
    workers: int = Field(description="workers of the clues received; linked clues (same matter) add none")
    amount_owed: str
    closed: int
    open: int = Field(description="clues received by the end of the period and not closed by then")
    amount_recovered: str
    transfers: TransfersOut
    industry_results: IndustryResultsOut
    cases_filed: int
    criminal_referrals: int
    credit_referrals: int
    disputes: int
    deadlines: DeadlinesOut
    previous_period: ComparisonOut
    year_earlier: ComparisonOut

    @classmethod
    def of(cls, g: GroupReport) -> "GroupOut":
        n, money = g.figures.counts, g.figures.money

        def share(part: str, whole: str) -> str | None:
            return _ratio(Decimal(n[part]) / n[whole]) if n[whole] else None

        deadlines_settled = n["deadlines_met_on_time"] + n["deadlines_breached"]
        return cls(
            key=g.key,
            label=g.label,
            received=n["received"],
            received_by_source=dict(g.figures.by_source),
            emergencies=n["emergencies"],
            workers=n["workers"],
            amount_owed=format_amount(money["amount_owed"]),
            closed=n["closed"],
            open=n["open_at_end"],
            amount_recovered=format_amount(money["amount_recovered"]),
            transfers=TransfersOut(
                count=n["transfers"],
                with_7d_rule=n["transfers_with_7d_rule"],
                within_7d=n["transfers_within_7d"],
                share_within_7d=share("transfers_within_7d", "transfers_with_7d_rule"),
            ),
            industry_results=IndustryResultsOut(
                count=n["industry_results"],
                resolved=n["industry_resolved"],
                settled_15d=n["industry_15d_settled"],
                within_15d=n["industry_within_15d"],
                share_within_15d=share("industry_within_15d", "industry_15d_settled"),
            ),
            cases_filed=n["cases_filed"],
            criminal_referrals=n["criminal_referrals"],
            credit_referrals=n["credit_referrals"],
            disputes=n["disputes"],
            deadlines=DeadlinesOut(
                met_on_time=n["deadlines_met_on_time"],
                breached=n["deadlines_breached"],
                still_overdue=n["deadlines_overdue"],
                on_time_rate=_ratio(Decimal(n["deadlines_met_on_time"]) / deadlines_settled)
                if deadlines_settled
                else None,
            ),
            previous_period=ComparisonOut.of(g.previous_period),
            year_earlier=ComparisonOut.of(g.year_earlier),
        )


class SummaryOut(ApiModel):
    from_: date = Field(serialization_alias="from")
    to: date
    group_by: GroupBy
    groups: list[GroupOut]


class ComponentOut(ApiModel):
    raw: str | None = Field(description="the measured value; null when there is no data (never estimated)")
    normalised: str | None = Field(description="0-100 among the units compared, 100 best")
    weight: str


class UnitOut(ApiModel):
    key: str
    label: str
    rank: int | None
    score: str | None
    components: dict[Component, ComponentOut]
    missing: list[Component]

    @classmethod
    def of(cls, s: UnitScore) -> "UnitOut":
        return cls(
            key=s.key,
            label=s.label,
            rank=s.rank,
            score=None if s.score is None else str(s.score),
            components={
                c: ComponentOut(
                    raw=None if part.raw is None else str(part.raw),
                    normalised=None if part.normalised is None else str(part.normalised),
                    weight=str(part.weight),
                )
                for c, part in s.components.items()
            },
            missing=list(s.missing),
        )


class DivisionUnitsOut(ApiModel):
    industry_authorities: list[UnitOut]
    townships: list[UnitOut]


class PolicyOut(ApiModel):
    weights: dict[Component, str]
    normalisation: str
    growth_basis: str
    min_components: int
    incidence_per: int


class IndexOut(ApiModel):
    quarter: str
    comparison_from: date
    comparison_to: date
    policy: PolicyOut
    divisions: list[UnitOut]
    units: dict[str, DivisionUnitsOut]


class IncidenceBaseItem(BaseModel):
    scope: Literal["division", "township", "industry"]
    division: str = Field(description="a division code, e.g. 330106")
    name: Line | None = Field(
        default=None,
        max_length=100,
        description="township: its name; industry: construction, transport or water; division: none",
    )
    base: int = Field(gt=0, description="e.g. the number of active projects or employers")
    basis: Line = Field(default="active_projects", min_length=1, max_length=40)

    @field_validator("division")
    @classmethod
    def _known_division(cls, value: str) -> str:
        if value not in DIVISIONS:
            raise ValueError(f"unknown division {value!r}; use one of the 13 division codes")
        return value


class IncidenceBaseIn(BaseModel):
    items: list[IncidenceBaseItem] = Field(min_length=1, max_length=5000)


class IncidenceBaseOut(ApiModel):
    items: list[IncidenceBaseItem]


# -- routes --------------------------------------------------------------------------------------


@reports.get("/summary", summary="Figures by division, agency or industry authority for a date range")
async def get_summary(
    principal: CurrentPrincipal,
    session: SessionDep,
    from_: Annotated[Day, Query(alias="from", description="first day, YYYY-MM-DD")],
    to: Annotated[Day, Query(description="last day, included")],
    group_by: GroupBy = GroupBy.DIVISION,
) -> SummaryOut:
    division = visible_division(principal)
    if to < from_ or (to - from_).days >= MAX_DAYS:
        raise validation_problem(
            [{"field": "to", "message": f"must be on or after 'from' and at most {MAX_DAYS} days later"}]
        )
    groups = await build_summary(session, period=Period(from_, to), group_by=group_by, division=division)
    return SummaryOut(from_=from_, to=to, group_by=group_by, groups=[GroupOut.of(g) for g in groups])


def _quarter(text_value: str) -> Quarter:
    try:
        quarter = Quarter.parse(text_value)
    except ValueError as error:
        raise validation_problem([{"field": "quarter", "message": str(error)}]) from error
    if not EARLIEST_DAY.year <= quarter.year <= LATEST_DAY.year:
        message = f"must be a quarter of {EARLIEST_DAY.year}-{LATEST_DAY.year}"
        raise validation_problem([{"field": "quarter", "message": message}])
    return quarter


QuarterParam = QuarterQuery


async def _index(
    principal: Principal, session: AsyncSession, context: ReportsContext, quarter: str
) -> QuarterIndex:
    division = visible_division(principal)
    return await build_index(session, quarter=_quarter(quarter), settings=context.settings, division=division)


@reports.get("/index", summary="The Wage Security Index (安薪指数) of a quarter, every component shown")
async def get_index(
    principal: CurrentPrincipal, session: SessionDep, context: Context, quarter: QuarterParam
) -> IndexOut:
    index = await _index(principal, session, context, quarter)
    policy = context.settings
    return IndexOut(
        quarter=str(index.quarter),
        comparison_from=index.comparison.start,
        comparison_to=index.comparison.end,
        policy=PolicyOut(
            weights={c: str(w) for c, w in policy.policy().weights.items()},
            normalisation=policy.normalisation,
            growth_basis=policy.growth_basis,
            min_components=policy.min_components,
            incidence_per=policy.incidence_per,
        ),
        divisions=[UnitOut.of(s) for s in index.divisions],
        units={
            code: DivisionUnitsOut(
                industry_authorities=[UnitOut.of(s) for s in index.industries[code]],
                townships=[UnitOut.of(s) for s in index.townships[code]],
            )
            for code in index.division_figures
        },
    )


@reports.get(
    "/briefing",
    response_class=HTMLResponse,
    summary="The quarterly briefing (通报晾晒) as an HTML page with charts",
)
async def get_briefing(
    principal: CurrentPrincipal, session: SessionDep, context: Context, quarter: QuarterParam
) -> HTMLResponse:
    index = await _index(principal, session, context, quarter)
    return HTMLResponse(render_html(index, context.settings))


@reports.get(
    "/briefing.csv",
    response_class=Response,
    summary="The quarterly briefing's ranking tables as CSV",
    responses={200: {"content": {"text/csv": {}}}},
)
async def get_briefing_csv(
    principal: CurrentPrincipal, session: SessionDep, context: Context, quarter: QuarterParam
) -> Response:
    index = await _index(principal, session, context, quarter)
    return Response(
        render_csv(index),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="briefing-{index.quarter}.csv"'},
    )


@reports.put("/reference/incidence-base", summary="Load the incidence base (admin)")
async def put_incidence_base(
    principal: CurrentPrincipal, session: SessionDep, body: IncidenceBaseIn
) -> IncidenceBaseOut:
    """Upserts each item; units not named keep their base. Incidence is clues per ``incidence_per`` of it."""
    require_admin(principal)
    errors = []
    for i, item in enumerate(body.items):
        if item.scope == "division" and item.name:
            errors.append(
                {"field": f"items.{i}.name", "message": "a division base takes no name; leave it out"}
            )
        if item.scope == "township" and not (item.name and item.name.strip()):
            errors.append({"field": f"items.{i}.name", "message": "give the township's name"})
        if item.scope == "industry" and item.name not in ("construction", "transport", "water"):
            errors.append({"field": f"items.{i}.name", "message": "use construction, transport or water"})
    if errors:
        raise validation_problem(errors)
    now = datetime.now(UTC)
    for item in body.items:
        values = {
            "scope": item.scope,
            "division": item.division,
            "name": (item.name or "").strip(),
            "base": item.base,
            "basis": item.basis,
            "updated_at": now,
        }
        await session.execute(
            pg_insert(report_incidence_base)
            .values(**values)
            .on_conflict_do_update(
                index_elements=["scope", "division", "name"],
                set_={"base": item.base, "basis": item.basis, "updated_at": now},
            )
        )
    return await _bases(session)


@reports.get("/reference/incidence-base", summary="The incidence base as loaded")
async def get_incidence_base(principal: CurrentPrincipal, session: SessionDep) -> IncidenceBaseOut:
    division = visible_division(principal)
    out = await _bases(session)
    return IncidenceBaseOut(items=[i for i in out.items if division is None or i.division == division])


async def _bases(session: AsyncSession) -> IncidenceBaseOut:
    rows = await session.execute(
        text("SELECT scope, division, name, base, basis FROM routing.report_incidence_base ORDER BY 1, 2, 3")
    )
    return IncidenceBaseOut(
        items=[
            IncidenceBaseItem(
                scope=r.scope, division=r.division, name=r.name or None, base=r.base, basis=r.basis
            )
            for r in rows
        ]
    )
