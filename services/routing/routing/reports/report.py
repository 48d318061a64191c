"""Use cases of the reports: a summary of any period with growth, and a quarter's index."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.domain.index import UnitScore, score_units
from routing.reports.domain.periods import Period, Quarter, growth
from routing.reports.queries import (
    Figures,
    GroupBy,
    Received,
    incidence_bases,
    index_facts,
    received,
    summary,
)
from routing.reports.settings import ReportsSettings
from shared.places import DIVISIONS, division_name


@dataclass(frozen=True)
class Comparison:
    """The same figures in an earlier period, and the growth to now (None when they were 0)."""

    period: Period
    received: int
    amount_owed: Decimal
    received_growth: Decimal | None
    amount_owed_growth: Decimal | None


@dataclass(frozen=True)
class GroupReport:
    key: str
    label: str
    figures: Figures
    previous_period: Comparison
    year_earlier: Comparison


def group_label(group_by: GroupBy, key: str) -> str:
    if group_by == GroupBy.DIVISION:
        return division_name(key) if key in DIVISIONS or key == "330100" else key
    division, _, kind = key.partition(".")
    place = division_name(division) if division in DIVISIONS or division == "330100" else division
    return f"{place} {kind}"


async def build_summary(
    session: AsyncSession, *, period: Period, group_by: GroupBy, division: str | None
) -> list[GroupReport]:
    """Figures per group, ordered by key; ``division`` limits everything to that division's clues."""
    current = await summary(session, period=period, group_by=group_by, division=division)
    earlier = {
        which: (span, await received(session, period=span, group_by=group_by, division=division))
        for which, span in (("previous", period.previous()), ("year", period.year_earlier()))
    }

    def compare(which: str, key: str, figures: Figures) -> Comparison:
        span, counted = earlier[which]
        then = counted.get(key, Received(0, Decimal("0.00")))
        return Comparison(
            period=span,
            received=then.received,
            amount_owed=then.amount_owed,
            received_growth=growth(figures.counts["received"], then.received),
            amount_owed_growth=growth(figures.money["amount_owed"], then.amount_owed),
        )

    return [
        GroupReport(
            key=key,
            label=group_label(group_by, key),
            figures=figures,
            previous_period=compare("previous", key, figures),
            year_earlier=compare("year", key, figures),
        )
        for key, figures in sorted(current.items())
    ]


@dataclass(frozen=True)
class QuarterIndex:
    quarter: Quarter
    comparison: Period
    divisions: list[UnitScore]
    """All divisions ranked city-wide; a division office is shown its own row only."""
    industries: dict[str, list[UnitScore]]
    townships: dict[str, list[UnitScore]]
    division_figures: dict[str, Figures]
    """The quarter's summary by division, for the briefing's charts."""


async def build_index(
    session: AsyncSession, *, quarter: Quarter, settings: ReportsSettings, division: str | None
) -> QuarterIndex:
    policy = settings.policy()
    period = quarter.period
    comparison = (
        quarter.year_earlier().period
        if settings.growth_basis == "year_earlier"
        else quarter.previous().period
    )
    facts = await index_facts(
        session,
        period=period,
        earlier=comparison,
        divisions=DIVISIONS,
        bases=await incidence_bases(session),
    )
    figures = await summary(session, period=period, group_by=GroupBy.DIVISION, division=division)
    shown = [division] if division is not None else list(DIVISIONS)
    return QuarterIndex(
        quarter=quarter,
        comparison=comparison,
        divisions=[s for s in score_units(facts.divisions, policy) if division is None or s.key == division],
        industries={code: score_units(facts.industries[code], policy) for code in shown},
        townships={code: score_units(facts.townships[code], policy) for code in shown},
        division_figures={code: figures.get(code, Figures()) for code in shown},
    )
