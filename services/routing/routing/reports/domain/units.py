"""The units the index compares: each division, and per division its industry authorities and townships.

The read model counts what each unit did in the quarter (a :class:`Tally`); here every unit the index
shows is given its facts, including units that counted nothing and townships known only by their base.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from routing.reports.domain.index import UnitFacts

INDUSTRY_KINDS = ("construction", "transport", "water")
INDUSTRY_LABELS = {
    "construction": "住建 (construction)",
    "transport": "交通 (transport)",
    "water": "林水 (water)",
}

BaseKey = tuple[str, str, str]
"""(scope, division, name) of an incidence base; name is '' for a division."""


@dataclass(frozen=True)
class Tally:
    """One unit's counts in the quarter and in its comparison period."""

    received: int = 0
    earlier: int = 0
    enforcement: int = 0
    resolution_total: int = 0
    resolution_effective: int = 0


@dataclass(frozen=True)
class Resolution:
    """An industry authority's own industry_resolve results: its effective resolution rate."""

    total: int
    effective: int


@dataclass(frozen=True)
class QuarterTallies:
    divisions: Mapping[str, Tally]
    townships: Mapping[tuple[str, str], Tally]
    """By (division, township name)."""
    industries: Mapping[str, Tally]
    """By industry authority, e.g. 330106.construction."""
    industry_results: Mapping[str, Resolution]


@dataclass(frozen=True)
class IndexFacts:
    """Unit facts of a quarter: divisions, and per division its industry authorities and townships."""

    divisions: list[UnitFacts]
    industries: dict[str, list[UnitFacts]]
    townships: dict[str, list[UnitFacts]]


def index_facts(
    tallies: QuarterTallies, *, divisions: Mapping[str, str], bases: Mapping[BaseKey, int]
) -> IndexFacts:
    """Every unit of ``divisions``; ``bases`` maps (scope, division, name) to the incidence base."""
    by_division = {code: tallies.divisions.get(code, Tally()) for code in divisions}
    by_industry = {f"{code}.{kind}": Tally() for code in divisions for kind in INDUSTRY_KINDS}
    by_industry |= {key: t for key, t in tallies.industries.items() if key.split(".", 1)[0] in divisions}
    # An industry authority's effective resolution rate is that of its own industry_resolve results.
    for agency_id, result in tallies.industry_results.items():
        if agency_id in by_industry:
            by_industry[agency_id] = replace(
                by_industry[agency_id], resolution_total=result.total, resolution_effective=result.effective
            )
    by_township = {(division, name): Tally() for (scope, division, name) in bases if scope == "township"}
    by_township |= {key: t for key, t in tallies.townships.items() if key[0] in divisions}

    industries: dict[str, list[UnitFacts]] = {code: [] for code in divisions}
    for agency_id, tally in sorted(by_industry.items()):
        division, kind = agency_id.split(".", 1)
        if division in industries:
            base = bases.get(("industry", division, kind))
            industries[division].append(_unit(agency_id, INDUSTRY_LABELS[kind], tally, base))
    townships: dict[str, list[UnitFacts]] = {code: [] for code in divisions}
    for (division, name), tally in sorted(by_township.items()):
        base = bases.get(("township", division, name))
        townships[division].append(_unit(f"{division}/{name}", name, tally, base))
    return IndexFacts(
        divisions=[
            _unit(code, label, by_division[code], bases.get(("division", code, "")))
            for code, label in divisions.items()
        ],
        industries=industries,
        townships=townships,
    )


def _unit(key: str, label: str, tally: Tally, base: int | None) -> UnitFacts:
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
