"""The reports' figures: the counting queries run, and their rows read into domain values."""

from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.domain.figures import CENTS, SOURCES, Figures, GroupBy, Received
from routing.reports.domain.periods import Period
from routing.reports.domain.units import QuarterTallies, Resolution, Tally
from routing.reports.store import queries
from routing.reports.store.queries import Query

CLUE_COUNTS = (
    "received",
    "emergencies",
    "workers",
    "closed",
    "open_at_end",
    "transfers",
    "transfers_with_7d_rule",
    "transfers_within_7d",
    "cases_filed",
    "criminal_referrals",
    "credit_referrals",
)
DEADLINE_COUNTS = (
    "deadlines_met_on_time",
    "deadlines_breached",
    "deadlines_overdue",
    "industry_15d_settled",
    "industry_within_15d",
)


def money(value: Any) -> Decimal:
    return Decimal(value).quantize(CENTS)


class SqlReportFigures:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def summary(self, period: Period, *, group_by: GroupBy, division: str | None) -> dict[str, Figures]:
        start, end = period.bounds()
        groups: dict[str, Figures] = {}

        async def rows(statement: Query) -> list[tuple[Figures, RowMapping]]:
            result = await self._session.execute(statement)
            return [
                (groups.setdefault(r["key"], Figures()), r) for r in result.mappings() if r["key"] is not None
            ]

        for figures, row in await rows(queries.clue_figures(group_by, division, start, end)):
            figures.counts.update({name: int(row[name]) for name in CLUE_COUNTS})
            figures.money.update(
                amount_owed=money(row["amount_owed"]), amount_recovered=money(row["amount_recovered"])
            )
            figures.by_source.update({source: int(row[f"source_{source}"]) for source in SOURCES})
        for figures, row in await rows(queries.industry_result_counts(group_by, division, start, end)):
            figures.counts.update(
                industry_results=int(row["industry_results"]), industry_resolved=int(row["industry_resolved"])
            )
        for figures, row in await rows(queries.deadline_figures(group_by, division, start, end)):
            figures.counts.update({name: int(row[name]) for name in DEADLINE_COUNTS})
        for figures, row in await rows(queries.dispute_counts(group_by, division, start, end)):
            figures.counts["disputes"] = int(row["disputes"])
        return groups

    async def received(
        self, period: Period, *, group_by: GroupBy, division: str | None
    ) -> dict[str, Received]:
        start, end = period.bounds()
        result = await self._session.execute(queries.received(group_by, division, start, end))
        return {
            row["key"]: Received(int(row["received"]), money(row["amount_owed"]))
            for row in result.mappings()
            if row["key"] is not None
        }

    async def quarter_tallies(self, period: Period, *, earlier: Period) -> QuarterTallies:
        start, end = period.bounds()
        earlier_start, earlier_end = earlier.bounds()
        counted = await self._session.execute(queries.unit_tallies(start, end, earlier_start, earlier_end))
        divisions: dict[str, Tally] = {}
        townships: dict[tuple[str, str], Tally] = {}
        industries: dict[str, Tally] = {}
        for row in counted.mappings():
            tally = Tally(
                int(row["received"]),
                int(row["earlier"]),
                int(row["enforcement"]),
                int(row["resolution_total"]),
                int(row["resolution_effective"]),
            )
            # GROUPING(column) is 1 where the grouping set leaves the column out.
            if row["by_township"] and row["by_industry"]:
                divisions[row["division"]] = tally
            elif not row["by_township"] and row["township"] is not None:
                townships[(row["division"], row["township"])] = tally
            elif not row["by_industry"] and row["industry_agency"] is not None:
                industries[row["industry_agency"]] = tally
        results = await self._session.execute(queries.industry_resolutions(start, end))
        return QuarterTallies(
            divisions=divisions,
            townships=townships,
            industries=industries,
            industry_results={r.agency_id: Resolution(int(r.total), int(r.effective)) for r in results},
        )
