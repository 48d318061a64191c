"""The counting queries of the reports, built from named parts: one indexed range scan per kind of fact.

Every figure of a period counts what happened in the period: clues received, closed, transferred,
filed or referred in it; deadlines falling due in it; industry results and disputes by their dates.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    func,
    or_,
    select,
    true,
    tuple_,
)

from routing.reports.domain.figures import SOURCES, GroupBy
from routing.reports.store.tables import (
    report_clue_agencies,
    report_clues,
    report_deadlines,
    report_disputes,
    report_tasks,
)

Query = Select[*tuple[Any, ...]]

clues, agencies = report_clues.c, report_clue_agencies.c
tasks, deadlines, disputes = report_tasks.c, report_deadlines.c, report_disputes.c

# The group key of each kind of fact, by grouping. Agencies: the agencies a clue's tasks went to, the
# agency of the task or deadline itself, the agency that opened the dispute.
CLUE_KEY: Mapping[GroupBy, ColumnElement[str]] = {
    GroupBy.DIVISION: clues.division,
    GroupBy.INDUSTRY: clues.industry_agency,
    GroupBy.AGENCY: agencies.agency_id,
}
TASK_KEY = {**CLUE_KEY, GroupBy.AGENCY: tasks.agency_id}
DEADLINE_KEY = {**CLUE_KEY, GroupBy.AGENCY: deadlines.agency_id}
DISPUTE_KEY = {**CLUE_KEY, GroupBy.AGENCY: disputes.from_agency}


def within(column: ColumnElement[datetime], start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """``count(*) FILTER (WHERE condition)``"""
    return func.count().filter(condition)


def sum_if(column: ColumnElement[Any], condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """``coalesce(sum(column) FILTER (WHERE condition), 0)``"""
    return func.coalesce(func.sum(column).filter(condition), 0)


def in_division(division: str | None) -> ColumnElement[bool]:
    """Only one division's clues, or all of them."""
    return true() if division is None else clues.division == division


def clues_of(group_by: GroupBy) -> FromClause:
    """Grouped by agency, a clue counts once for each agency its tasks went to."""
    if group_by == GroupBy.AGENCY:
        return report_clues.join(report_clue_agencies, agencies.clue_id == clues.clue_id)
    return report_clues


def clue_figures(group_by: GroupBy, division: str | None, start: datetime, end: datetime) -> Query:
    received = within(clues.received_at, start, end)
    closed = within(clues.closed_at, start, end)
    transferred = within(clues.transfer_at, start, end)
    first_of_matter = clues.lead_clue_id.is_(None)  # linked clues (same matter) add no workers or amount
    key = CLUE_KEY[group_by]
    return (
        select(
            key.label("key"),
            count_if(received).label("received"),
            *(count_if(and_(received, clues.source == s)).label(f"source_{s}") for s in SOURCES),
            count_if(and_(received, clues.emergency)).label("emergencies"),
            sum_if(clues.workers, and_(received, first_of_matter)).label("workers"),
            sum_if(clues.amount_owed, and_(received, first_of_matter)).label("amount_owed"),
            count_if(closed).label("closed"),
            sum_if(clues.amount_paid, closed).label("amount_recovered"),
            count_if(or_(clues.closed_at.is_(None), clues.closed_at >= end)).label("open_at_end"),
            count_if(transferred).label("transfers"),
            count_if(and_(transferred, clues.transfer_on_time.is_not(None))).label("transfers_with_7d_rule"),
            count_if(and_(transferred, clues.transfer_on_time)).label("transfers_within_7d"),
            count_if(within(clues.case_filed_at, start, end)).label("cases_filed"),
            count_if(within(clues.criminal_referral_at, start, end)).label("criminal_referrals"),
            count_if(within(clues.credit_referral_at, start, end)).label("credit_referrals"),
        )
        .select_from(clues_of(group_by))
        .where(
            clues.received_at < end,
            or_(clues.closed_at.is_(None), clues.closed_at >= start),
            in_division(division),
        )
        .group_by(key)
    )


def industry_result_counts(group_by: GroupBy, division: str | None, start: datetime, end: datetime) -> Query:
    key = TASK_KEY[group_by]
    return (
        select(
            key.label("key"),
            func.count().label("industry_results"),
            count_if(tasks.resolved).label("industry_resolved"),
        )
        .select_from(report_tasks.join(report_clues, clues.clue_id == tasks.clue_id))
        .where(tasks.kind == "industry_resolve", within(tasks.done_at, start, end), in_division(division))
        .group_by(key)
    )


def deadline_figures(group_by: GroupBy, division: str | None, start: datetime, end: datetime) -> Query:
    due = within(deadlines.due_at, start, end)
    settled = within(deadlines.settled_at, start, end)
    settled_15d = and_(deadlines.rule == "industry_15d", settled)
    breached = and_(due, deadlines.state == "breached")
    key = DEADLINE_KEY[group_by]
    return (
        select(
            key.label("key"),
            count_if(and_(due, deadlines.state == "met")).label("deadlines_met_on_time"),
            count_if(breached).label("deadlines_breached"),
            count_if(and_(breached, deadlines.settled_at.is_(None))).label("deadlines_overdue"),
            count_if(settled_15d).label("industry_15d_settled"),
            count_if(and_(settled_15d, deadlines.state == "met")).label("industry_within_15d"),
        )
        .select_from(report_deadlines.join(report_clues, clues.clue_id == deadlines.clue_id))
        .where(or_(due, settled), in_division(division))
        .group_by(key)
    )


def dispute_counts(group_by: GroupBy, division: str | None, start: datetime, end: datetime) -> Query:
    key = DISPUTE_KEY[group_by]
    return (
        select(key.label("key"), func.count().label("disputes"))
        .select_from(report_disputes.join(report_clues, clues.clue_id == disputes.clue_id))
        .where(within(disputes.opened_at, start, end), in_division(division))
        .group_by(key)
    )


def unit_tallies(start: datetime, end: datetime, earlier_start: datetime, earlier_end: datetime) -> Query:
    """Per division, per (division, township) and per (division, industry authority): GROUPING SETS."""
    closed = within(clues.closed_at, start, end)
    enforcement = (
        count_if(within(clues.case_filed_at, start, end))
        + count_if(within(clues.criminal_referral_at, start, end))
        + count_if(within(clues.credit_referral_at, start, end))
    )
    return (
        select(
            clues.division,
            clues.township,
            clues.industry_agency,
            func.grouping(clues.township).label("by_township"),
            func.grouping(clues.industry_agency).label("by_industry"),
            count_if(within(clues.received_at, start, end)).label("received"),
            count_if(within(clues.received_at, earlier_start, earlier_end)).label("earlier"),
            enforcement.label("enforcement"),
            count_if(and_(closed, clues.outcome != "unsubstantiated")).label("resolution_total"),
            count_if(and_(closed, clues.outcome == "resolved")).label("resolution_effective"),
        )
        .where(
            clues.received_at < end,
            or_(clues.closed_at.is_(None), clues.closed_at >= min(start, earlier_start)),
        )
        .group_by(
            func.grouping_sets(
                tuple_(clues.division),
                tuple_(clues.division, clues.township),
                tuple_(clues.division, clues.industry_agency),
            )
        )
    )


def received(group_by: GroupBy, division: str | None, start: datetime, end: datetime) -> Query:
    """Clues received and the amount owed per group: what growth compares."""
    key = CLUE_KEY[group_by]
    return (
        select(
            key.label("key"),
            func.count().label("received"),
            sum_if(clues.amount_owed, clues.lead_clue_id.is_(None)).label("amount_owed"),
        )
        .select_from(clues_of(group_by))
        .where(within(clues.received_at, start, end), in_division(division))
        .group_by(key)
    )


def industry_resolutions(start: datetime, end: datetime) -> Query:
    """Per industry authority, its industry_resolve results done in the period, and how many resolved."""
    return (
        select(tasks.agency_id, func.count().label("total"), count_if(tasks.resolved).label("effective"))
        .where(tasks.kind == "industry_resolve", within(tasks.done_at, start, end))
        .group_by(tasks.agency_id)
    )
