"""Request and response bodies of /v1/reports, and how each is made from a use case's result."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from routing.reports.app.index import QuarterIndex
from routing.reports.domain.figures import Comparison, GroupBy, GroupReport
from routing.reports.domain.index import Component, UnitScore
from routing.reports.settings import ReportsSettings
from shared.api import ReadSchema
from shared.money import format_amount

#: Yuan, two decimal places, as every amount in the API.
Amount = Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]{2}$", examples=["86000.00"])]
#: A share or a growth rate with four decimal places ("0.2500" is 25 %); growth may be negative.
Ratio = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{4}$", examples=["0.2500"])]


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


class ComparisonOut(ReadSchema):
    from_: date = Field(serialization_alias="from", examples=["2026-04-01"])
    to: date = Field(examples=["2026-06-30"])
    received: int
    amount_owed: Amount
    received_growth: Ratio | None = Field(
        description='(now - then) / then, e.g. "0.2500"; null when then was 0'
    )
    amount_owed_growth: Ratio | None

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


class TransfersOut(ReadSchema):
    count: int = Field(description="clues first transferred to an industry authority in the period")
    with_7d_rule: int = Field(description="of those, clues the 7-day rule applies to (settled)")
    within_7d: int
    share_within_7d: Ratio | None


class IndustryResultsOut(ReadSchema):
    count: int = Field(description="industry_resolve results reported in the period")
    resolved: int
    settled_15d: int = Field(description="industry_15d periods settled in the period")
    within_15d: int
    share_within_15d: Ratio | None


class DeadlinesOut(ReadSchema):
    met_on_time: int = Field(description="deadlines falling due in the period, met in time")
    breached: int = Field(description="falling due in the period and breached (met late or still running)")
    still_overdue: int
    on_time_rate: Ratio | None


class GroupOut(ReadSchema):
    key: str = Field(examples=["330106"])
    label: str = Field(examples=["西湖区"])
    received: int
    received_by_source: dict[str, int]
    emergencies: int
    workers: int = Field(description="workers of the clues received; linked clues (same matter) add none")
    amount_owed: Amount
    closed: int
    open: int = Field(description="clues received by the end of the period and not closed by then")
    amount_recovered: Amount
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


class SummaryOut(ReadSchema):
    from_: date = Field(serialization_alias="from", examples=["2026-07-01"])
    to: date = Field(examples=["2026-09-30"])
    group_by: GroupBy
    groups: list[GroupOut]


class ComponentOut(ReadSchema):
    raw: str | None = Field(description="the measured value; null when there is no data (never estimated)")
    normalised: str | None = Field(description="0-100 among the units compared, 100 best")
    weight: str = Field(examples=["0.25"])


class UnitOut(ReadSchema):
    key: str = Field(examples=["330106"])
    label: str = Field(examples=["西湖区"])
    rank: int | None = Field(examples=[1])
    score: str | None = Field(examples=["87.50"])
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


class DivisionUnitsOut(ReadSchema):
    industry_authorities: list[UnitOut]
    townships: list[UnitOut]


class PolicyOut(ReadSchema):
    weights: dict[Component, str]
    normalisation: str
    growth_basis: str
    min_components: int
    incidence_per: int


class IndexOut(ReadSchema):
    quarter: str = Field(examples=["2026Q3"])
    comparison_from: date = Field(examples=["2025-07-01"])
    comparison_to: date = Field(examples=["2025-09-30"])
    policy: PolicyOut
    divisions: list[UnitOut]
    units: dict[str, DivisionUnitsOut]

    @classmethod
    def of(cls, index: QuarterIndex, settings: ReportsSettings) -> "IndexOut":
        return cls(
            quarter=str(index.quarter),
            comparison_from=index.comparison.start,
            comparison_to=index.comparison.end,
            policy=PolicyOut(
                weights={c: str(w) for c, w in settings.policy().weights.items()},
                normalisation=settings.normalisation,
                growth_basis=settings.growth_basis,
                min_components=settings.min_components,
                incidence_per=settings.incidence_per,
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
