"""Use case: the summary of any period by division, agency or industry authority, with growth."""

from routing.reports.app.commands import ShowSummary
from routing.reports.app.ports import UnitOfWork
from routing.reports.domain.figures import (
    NOTHING_RECEIVED,
    Comparison,
    Figures,
    GroupReport,
    Received,
    group_label,
)
from routing.reports.domain.periods import Period, growth


async def summarise(query: ShowSummary, *, uow: UnitOfWork) -> list[GroupReport]:
    """Figures per group, ordered by key, each compared with the period before and a year earlier."""
    group_by, division = query.group_by, query.division
    current = await uow.figures.summary(query.period, group_by=group_by, division=division)
    previous, year_earlier = query.period.previous(), query.period.year_earlier()
    before = await uow.figures.received(previous, group_by=group_by, division=division)
    a_year_before = await uow.figures.received(year_earlier, group_by=group_by, division=division)
    return [
        GroupReport(
            key=key,
            label=group_label(query.group_by, key),
            figures=figures,
            previous_period=_compare(figures, previous, before.get(key, NOTHING_RECEIVED)),
            year_earlier=_compare(figures, year_earlier, a_year_before.get(key, NOTHING_RECEIVED)),
        )
        for key, figures in sorted(current.items())
    ]


def _compare(figures: Figures, period: Period, then: Received) -> Comparison:
    return Comparison(
        period=period,
        received=then.received,
        amount_owed=then.amount_owed,
        received_growth=growth(figures.counts["received"], then.received),
        amount_owed_growth=growth(figures.money["amount_owed"], then.amount_owed),
    )
