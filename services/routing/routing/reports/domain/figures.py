"""The counted figures of a group (a division, an agency or an industry authority) in a period."""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from routing.reports.domain.periods import Period, ratio
from shared.places import CITY, DIVISIONS, division_name

SOURCES = ("national", "provincial", "city", "police110", "petition", "opinion", "onsite")

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
CENTS = Decimal("0.01")


class GroupBy(StrEnum):
    DIVISION = "division"
    AGENCY = "agency"
    INDUSTRY = "industry"


@dataclass
class Figures:
    """The counted facts of one group in one period."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIGURES, 0))
    money: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(MONEY_FIGURES, Decimal("0.00")))
    by_source: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))


def on_time_rate(figures: Figures) -> Decimal | None:
    """Deadlines met on time among those settled (met on time or breached) in the period."""
    met, breached = figures.counts["deadlines_met_on_time"], figures.counts["deadlines_breached"]
    return ratio(met, met + breached)


@dataclass(frozen=True)
class Received:
    """Clues received and the amount owed: the figures growth compares."""

    received: int
    amount_owed: Decimal


NOTHING_RECEIVED = Received(0, Decimal("0.00"))


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
        return _place(key)
    division, _, kind = key.partition(".")
    return f"{_place(division)} {kind}"


def _place(code: str) -> str:
    return division_name(code) if code in DIVISIONS or code == CITY else code
