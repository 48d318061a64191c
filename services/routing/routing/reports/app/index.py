"""Use case: the Wage Security Index (安薪指数) of a quarter, every unit scored and ranked."""

from dataclasses import dataclass

from routing.reports.app.commands import ShowIndex
from routing.reports.app.ports import UnitOfWork
from routing.reports.domain.figures import Figures, GroupBy
from routing.reports.domain.index import UnitScore, score_units
from routing.reports.domain.periods import Period, Quarter
from routing.reports.domain.units import BaseKey, index_facts
from routing.reports.settings import ReportsSettings
from shared.places import DIVISIONS


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


async def build_index(query: ShowIndex, *, uow: UnitOfWork, settings: ReportsSettings) -> QuarterIndex:
    policy = settings.policy()
    quarter, division = query.quarter, query.division
    earlier = quarter.year_earlier() if settings.growth_basis == "year_earlier" else quarter.previous()
    comparison = earlier.period
    tallies = await uow.figures.quarter_tallies(quarter.period, earlier=comparison)
    bases: dict[BaseKey, int] = {
        (b.scope, b.division, b.name): b.base for b in await uow.incidence_bases.all()
    }
    facts = index_facts(tallies, divisions=DIVISIONS, bases=bases)
    figures = await uow.figures.summary(quarter.period, group_by=GroupBy.DIVISION, division=division)
    shown = [division] if division is not None else list(DIVISIONS)
    return QuarterIndex(
        quarter=quarter,
        comparison=comparison,
        divisions=[s for s in score_units(facts.divisions, policy) if division is None or s.key == division],
        industries={code: score_units(facts.industries[code], policy) for code in shown},
        townships={code: score_units(facts.townships[code], policy) for code in shown},
        division_figures={code: figures.get(code, Figures()) for code in shown},
    )
