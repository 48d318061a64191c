"""Aggregation queries over the report tables: one indexed range scan per kind of fact.

Every figure of a period counts what happened in the period: clues received, closed, transferred,
filed or referred in it; deadlines falling due in it; industry results and disputes by their dates.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.domain.index import UnitFacts
from routing.reports.domain.periods import Period

SOURCES = ("national", "provincial", "city", "police110", "petition", "opinion", "onsite")
INDUSTRY_KINDS = ("construction", "transport", "water")
INDUSTRY_LABELS = {
    "construction": "住建 (construction)",
    "transport": "交通 (transport)",
    "water": "林水 (water)",
}


class GroupBy(StrEnum):
    DIVISION = "division"
    AGENCY = "agency"
    INDUSTRY = "industry"


# The group key of each fact table, by grouping. Only these fixed expressions reach the SQL.
_CLUE_KEY = {
    GroupBy.DIVISION: "c.division",
    GroupBy.INDUSTRY: "c.industry_agency",
    GroupBy.AGENCY: "a.agency_id",
}
_TASK_KEY = {
    GroupBy.DIVISION: "c.division",
    GroupBy.INDUSTRY: "c.industry_agency",
    GroupBy.AGENCY: "t.agency_id",
}
_DEADLINE_KEY = {
    GroupBy.DIVISION: "c.division",
    GroupBy.INDUSTRY: "c.industry_agency",
    GroupBy.AGENCY: "d.agency_id",
}
_DISPUTE_KEY = {
    GroupBy.DIVISION: "c.division",
    GroupBy.INDUSTRY: "c.industry_agency",
    GroupBy.AGENCY: "p.from_agency",
}
_AGENCY_JOIN = "JOIN routing.report_clue_agencies a ON a.clue_id = c.clue_id"

_IN = "{col} >= :start AND {col} < :end"
_RECEIVED = _IN.format(col="c.received_at")
_CLOSED = _IN.format(col="c.closed_at")

COUNT_FIGURES = (
    "received",
    "emergencies",
    "workers",
    "closed",
    "open_at_end",
    "transfers",
    "transfers_with_7d_rule",
    "transfers_within_7d",
    "industry_results",
    "industry_resolved",
    "industry_15d_settled",
    "industry_within_15d",
    "cases_filed",
    "criminal_referrals",
    "credit_referrals",
    "disputes",
    "deadlines_met_on_time",
    "deadlines_breached",
    "deadlines_overdue",
)
MONEY_FIGURES = ("amount_owed", "amount_recovered")


@dataclass
class Figures:
    """The counted facts of one group in one period."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIGURES, 0))
    money: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(MONEY_FIGURES, Decimal("0.00")))
    by_source: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))


def _scope(division: str | None) -> str:
    return " AND c.division = :division" if division is not None else ""


def _params(period: Period, division: str | None) -> dict[str, Any]:
    start, end = period.bounds()
    return {"start": start, "end": end, "division": division}


async def summary(
    session: AsyncSession, *, period: Period, group_by: GroupBy, division: str | None = None
) -> dict[str, Figures]:
    """Figures per group key for the period; ``division`` limits them to one division's clues."""
    params = _params(period, division)
    groups: dict[str, Figures] = {}

    def figures(key: str) -> Figures:
        return groups.setdefault(key, Figures())

    by_source = ",\n".join(
        f"count(*) FILTER (WHERE {_RECEIVED} AND c.source = '{source}') AS source_{source}"
        for source in SOURCES
    )
    join = _AGENCY_JOIN if group_by == GroupBy.AGENCY else ""
    clue_rows = await session.execute(
        text(
            f"""
            SELECT {_CLUE_KEY[group_by]} AS key,
              count(*) FILTER (WHERE {_RECEIVED}) AS received,
              {by_source},
              count(*) FILTER (WHERE {_RECEIVED} AND c.emergency) AS emergencies,
              coalesce(sum(c.workers) FILTER (WHERE {_RECEIVED} AND c.lead_clue_id IS NULL), 0) AS workers,
              coalesce(sum(c.amount_owed) FILTER (WHERE {_RECEIVED} AND c.lead_clue_id IS NULL), 0)
                AS amount_owed,
              count(*) FILTER (WHERE {_CLOSED}) AS closed,
              coalesce(sum(c.amount_paid) FILTER (WHERE {_CLOSED}), 0) AS amount_recovered,
              count(*) FILTER (WHERE c.closed_at IS NULL OR c.closed_at >= :end) AS open_at_end,
              count(*) FILTER (WHERE {_IN.format(col="c.transfer_at")}) AS transfers,
              count(*) FILTER (WHERE {_IN.format(col="c.transfer_at")} AND c.transfer_on_time IS NOT NULL)
                AS transfers_with_7d_rule,
              count(*) FILTER (WHERE {_IN.format(col="c.transfer_at")} AND c.transfer_on_time)
                AS transfers_within_7d,
              count(*) FILTER (WHERE {_IN.format(col="c.case_filed_at")}) AS cases_filed,
              count(*) FILTER (WHERE {_IN.format(col="c.criminal_referral_at")}) AS criminal_referrals,
              count(*) FILTER (WHERE {_IN.format(col="c.credit_referral_at")}) AS credit_referrals
            FROM routing.report_clues c {join}
            WHERE c.received_at < :end AND (c.closed_at IS NULL OR c.closed_at >= :start){_scope(division)}
            GROUP BY 1
            """
        ),
        params,
    )
    for row in clue_rows.mappings():
        if row["key"] is None:
            continue
        target = figures(row["key"])
        for name in (
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
        ):
            target.counts[name] = int(row[name])
        for name in MONEY_FIGURES:
            target.money[name] = Decimal(row[name]).quantize(Decimal("0.01"))
        for source in SOURCES:
            target.by_source[source] = int(row[f"source_{source}"])

    task_rows = await session.execute(
        text(
            f"""
            SELECT {_TASK_KEY[group_by]} AS key, count(*) AS industry_results,
                   count(*) FILTER (WHERE t.resolved) AS industry_resolved
            FROM routing.report_tasks t JOIN routing.report_clues c ON c.clue_id = t.clue_id
            WHERE t.kind = 'industry_resolve' AND {_IN.format(col="t.done_at")}{_scope(division)}
            GROUP BY 1
            """
        ),
        params,
    )
    for row in task_rows.mappings():
        if row["key"] is not None:
            figures(row["key"]).counts.update(
                industry_results=int(row["industry_results"]), industry_resolved=int(row["industry_resolved"])
            )

    due = _IN.format(col="d.due_at")
    settled_15d = f"d.rule = 'industry_15d' AND {_IN.format(col='d.settled_at')}"
    deadline_rows = await session.execute(
        text(
            f"""
            SELECT {_DEADLINE_KEY[group_by]} AS key,
              count(*) FILTER (WHERE {due} AND d.state = 'met') AS deadlines_met_on_time,
              count(*) FILTER (WHERE {due} AND d.state = 'breached') AS deadlines_breached,
              count(*) FILTER (WHERE {due} AND d.state = 'breached' AND d.settled_at IS NULL)
                AS deadlines_overdue,
              count(*) FILTER (WHERE {settled_15d}) AS industry_15d_settled,
              count(*) FILTER (WHERE {settled_15d} AND d.state = 'met') AS industry_within_15d
            FROM routing.report_deadlines d JOIN routing.report_clues c ON c.clue_id = d.clue_id
            WHERE (({due}) OR ({_IN.format(col="d.settled_at")})){_scope(division)}
            GROUP BY 1
            """
        ),
        params,
    )
    for row in deadline_rows.mappings():
        if row["key"] is not None:
            figures(row["key"]).counts.update(
                {
                    name: int(row[name])
                    for name in (
                        "deadlines_met_on_time",
                        "deadlines_breached",
                        "deadlines_overdue",
                        "industry_15d_settled",
                        "industry_within_15d",
                    )
                }
            )

    dispute_rows = await session.execute(
        text(
            f"""
            SELECT {_DISPUTE_KEY[group_by]} AS key, count(*) AS disputes
            FROM routing.report_disputes p JOIN routing.report_clues c ON c.clue_id = p.clue_id
            WHERE {_IN.format(col="p.opened_at")}{_scope(division)}
            GROUP BY 1
            """
        ),
        params,
    )
    for row in dispute_rows.mappings():
        if row["key"] is not None:
            figures(row["key"]).counts["disputes"] = int(row["disputes"])
    return groups


@dataclass(frozen=True)
class Received:
    received: int
    amount_owed: Decimal


async def received(
    session: AsyncSession, *, period: Period, group_by: GroupBy, division: str | None = None
) -> dict[str, Received]:
    """Clues received and amounts owed per group: the figures growth compares."""
    join = _AGENCY_JOIN if group_by == GroupBy.AGENCY else ""
    rows = await session.execute(
        text(
            f"""
            SELECT {_CLUE_KEY[group_by]} AS key, count(*) AS received,
                   coalesce(sum(c.amount_owed) FILTER (WHERE c.lead_clue_id IS NULL), 0) AS amount_owed
            FROM routing.report_clues c {join}
            WHERE {_RECEIVED}{_scope(division)}
            GROUP BY 1
            """
        ),
        _params(period, division),
    )
    return {
        row["key"]: Received(int(row["received"]), Decimal(row["amount_owed"]).quantize(Decimal("0.01")))
        for row in rows.mappings()
        if row["key"] is not None
    }


@dataclass(frozen=True)
class IndexFacts:
    """Unit facts of a quarter: divisions, and per division its industry authorities and townships."""

    divisions: list[UnitFacts]
    industries: dict[str, list[UnitFacts]]
    townships: dict[str, list[UnitFacts]]


@dataclass
class _Tally:
    received: int = 0
    earlier: int = 0
    enforcement: int = 0
    resolution_total: int = 0
    resolution_effective: int = 0


async def index_facts(
    session: AsyncSession,
    *,
    period: Period,
    earlier: Period,
    divisions: Mapping[str, str],
    bases: Mapping[tuple[str, str, str], int],
) -> IndexFacts:
    """Counts every unit of the index; ``bases`` maps (scope, division, name) to the incidence base."""
    start, end = period.bounds()
    earlier_start, earlier_end = earlier.bounds()
    params = {"start": start, "end": end, "e_start": earlier_start, "e_end": earlier_end}
    rows = await session.execute(
        text(
            f"""
            SELECT c.division, c.township, c.industry_agency,
              GROUPING(c.township) AS by_township, GROUPING(c.industry_agency) AS by_industry,
              count(*) FILTER (WHERE {_RECEIVED}) AS received,
              count(*) FILTER (WHERE c.received_at >= :e_start AND c.received_at < :e_end) AS earlier,
              count(*) FILTER (WHERE {_IN.format(col="c.case_filed_at")})
                + count(*) FILTER (WHERE {_IN.format(col="c.criminal_referral_at")})
                + count(*) FILTER (WHERE {_IN.format(col="c.credit_referral_at")}) AS enforcement,
              count(*) FILTER (WHERE {_CLOSED} AND c.outcome <> 'unsubstantiated') AS resolution_total,
              count(*) FILTER (WHERE {_CLOSED} AND c.outcome = 'resolved') AS resolution_effective
            FROM routing.report_clues c
            WHERE c.received_at < :end AND (c.closed_at IS NULL OR c.closed_at >= least(:start, :e_start))
            GROUP BY GROUPING SETS ((c.division), (c.division, c.township), (c.division, c.industry_agency))
            """
        ),
        params,
    )
    by_division: dict[str, _Tally] = {code: _Tally() for code in divisions}
    by_industry: dict[str, _Tally] = {
        f"{code}.{kind}": _Tally() for code in divisions for kind in INDUSTRY_KINDS
    }
    by_township: dict[tuple[str, str], _Tally] = {
        (division, name): _Tally() for (scope, division, name) in bases if scope == "township"
    }
    for row in rows.mappings():
        tally = _Tally(
            int(row["received"]),
            int(row["earlier"]),
            int(row["enforcement"]),
            int(row["resolution_total"]),
            int(row["resolution_effective"]),
        )
        division = row["division"]
        if division not in divisions:
            continue
        if row["by_township"] and row["by_industry"]:
            by_division[division] = tally
        elif not row["by_township"] and row["township"] is not None:
            by_township[(division, row["township"])] = tally
        elif not row["by_industry"] and row["industry_agency"] is not None:
            by_industry[row["industry_agency"]] = tally
    # An industry authority's effective resolution rate is that of its own industry_resolve results.
    industry_results = await session.execute(
        text(
            f"""
            SELECT t.agency_id, count(*) AS total, count(*) FILTER (WHERE t.resolved) AS effective
            FROM routing.report_tasks t
            WHERE t.kind = 'industry_resolve' AND {_IN.format(col="t.done_at")}
            GROUP BY 1
            """
        ),
        params,
    )
    for row in industry_results.mappings():
        authority = by_industry.get(row["agency_id"])
        if authority is not None:
            authority.resolution_total = int(row["total"])
            authority.resolution_effective = int(row["effective"])

    def unit(key: str, label: str, tally: _Tally, base: int | None) -> UnitFacts:
        return UnitFacts(
            key=key,
            label=label,
            received=tally.received,
            earlier_received=tally.earlier,
            incidence_base=base,
            enforcement_actions=tally.enforcement,
            resolution_total=tally.resolution_total,
            resolution_effective=tally.resolution_effective,
        )

    industries: dict[str, list[UnitFacts]] = {code: [] for code in divisions}
    for agency_id, tally in sorted(by_industry.items()):
        division, kind = agency_id.split(".", 1)
        if division in industries:
            industries[division].append(
                unit(agency_id, INDUSTRY_LABELS[kind], tally, bases.get(("industry", division, kind)))
            )
    townships: dict[str, list[UnitFacts]] = {code: [] for code in divisions}
    for (division, name), tally in sorted(by_township.items()):
        townships[division].append(
            unit(f"{division}/{name}", name, tally, bases.get(("township", division, name)))
        )
    return IndexFacts(
        divisions=[
            unit(code, label, by_division[code], bases.get(("division", code, "")))
            for code, label in divisions.items()
        ],
        industries=industries,
        townships=townships,
    )


async def incidence_bases(session: AsyncSession) -> dict[tuple[str, str, str], int]:
    rows = await session.execute(
        text("SELECT scope, division, name, base FROM routing.report_incidence_base")
    )
    return {(r.scope, r.division, r.name): int(r.base) for r in rows}
