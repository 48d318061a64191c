"""The Wage Security Index (安薪指数), as the notice's section 六 uses it.

Each unit (a division, or a division's industry authorities and townships) gets five raw
components; each present component is normalised to 0-100 among the units compared with it
(100 is best); the score is the weighted mean of the present components, re-weighted over what is
present. A component without data stays missing, and a unit with fewer than ``min_components``
present components gets no score and no rank. docs/wage-security-index.md explains the formula.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from routing.reports.domain.periods import growth, ratio

SCORE_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


class Component(StrEnum):
    VOLUME = "volume"  # 线索件量
    INCIDENCE = "incidence"  # 线索件案发率
    GROWTH = "growth"  # 增长率
    ENFORCEMENT = "enforcement"  # 打击力度
    RESOLUTION = "resolution"  # 有效化解率


LOWER_IS_BETTER = frozenset({Component.VOLUME, Component.INCIDENCE, Component.GROWTH})


class Normalisation(StrEnum):
    MIN_MAX = "min_max"
    """(value - worst) / (best - worst) * 100; all equal gives 100."""
    RANK = "rank"
    """The share of the other units this one beats (ties count half), * 100; all equal gives 100."""


@dataclass(frozen=True)
class IndexPolicy:
    weights: Mapping[Component, Decimal]
    normalisation: Normalisation
    min_components: int
    incidence_per: int
    """Incidence is clues per this many base units (active projects or employers)."""

    def __post_init__(self) -> None:
        if set(self.weights) != set(Component):
            raise ValueError("give a weight for every component")
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights must be non-negative and not all zero")


@dataclass(frozen=True)
class UnitFacts:
    """What one unit did in the quarter, as counted from the read model."""

    key: str
    label: str
    received: int
    earlier_received: int
    """Clues received in the comparison period (the configured growth basis)."""
    incidence_base: int | None
    enforcement_actions: int
    """Cases filed, criminal referrals and credit punishments."""
    resolution_total: int
    resolution_effective: int


@dataclass(frozen=True)
class ComponentScore:
    raw: Decimal | None
    normalised: Decimal | None
    weight: Decimal


@dataclass(frozen=True)
class UnitScore:
    key: str
    label: str
    components: Mapping[Component, ComponentScore]
    score: Decimal | None
    rank: int | None

    @property
    def missing(self) -> tuple[Component, ...]:
        return tuple(c for c in Component if self.components[c].raw is None)


def raw_components(facts: UnitFacts, policy: IndexPolicy) -> dict[Component, Decimal | None]:
    incidence = None
    if facts.incidence_base:
        incidence = (Decimal(facts.received) * policy.incidence_per / facts.incidence_base).quantize(
            Decimal("0.0001"), ROUND_HALF_UP
        )
    enforcement = ratio(facts.enforcement_actions * 100, facts.received)
    return {
        Component.VOLUME: Decimal(facts.received),
        Component.INCIDENCE: incidence,
        Component.GROWTH: growth(facts.received, facts.earlier_received),
        Component.ENFORCEMENT: enforcement,
        Component.RESOLUTION: ratio(facts.resolution_effective, facts.resolution_total),
    }


def normalise(
    values: Sequence[Decimal], value: Decimal, *, lower_is_better: bool, how: Normalisation
) -> Decimal:
    """Where ``value`` stands among ``values`` (which include it), 0 worst to 100 best."""
    return normaliser(values, lower_is_better=lower_is_better, how=how)(value)


def normaliser(
    values: Sequence[Decimal], *, lower_is_better: bool, how: Normalisation
) -> Callable[[Decimal], Decimal]:
    """``normalise`` among ``values`` for any of them, with the peers sorted once: scoring every
    unit stays n log n (a division may hold thousands of townships)."""
    ordered = sorted(values)
    if not ordered or ordered[0] == ordered[-1]:
        return lambda _value: HUNDRED
    if how == Normalisation.MIN_MAX:
        best, worst = (ordered[0], ordered[-1]) if lower_is_better else (ordered[-1], ordered[0])

        def min_max(value: Decimal) -> Decimal:
            return abs((value - worst) / (best - worst) * HUNDRED).quantize(SCORE_PLACES, ROUND_HALF_UP)

        return min_max
    others = len(ordered) - 1

    def rank(value: Decimal) -> Decimal:
        below, up_to = bisect_left(ordered, value), bisect_right(ordered, value)
        beaten = len(ordered) - up_to if lower_is_better else below
        ties = up_to - below - 1
        return ((Decimal(beaten) + Decimal(ties) / 2) / others * HUNDRED).quantize(
            SCORE_PLACES, ROUND_HALF_UP
        )

    return rank


def score_units(units: Sequence[UnitFacts], policy: IndexPolicy) -> list[UnitScore]:
    """Scores and ranks units compared with one another; best first, unscored last."""
    raws = {u.key: raw_components(u, policy) for u in units}
    present = {c: [v for r in raws.values() if (v := r[c]) is not None] for c in Component}
    normalisers = {
        c: normaliser(present[c], lower_is_better=c in LOWER_IS_BETTER, how=policy.normalisation)
        for c in Component
    }
    scored: list[tuple[UnitFacts, dict[Component, ComponentScore], Decimal | None]] = []
    for unit in units:
        components: dict[Component, ComponentScore] = {}
        for component in Component:
            raw = raws[unit.key][component]
            normalised = None
            if raw is not None:
                normalised = normalisers[component](raw)
            components[component] = ComponentScore(raw, normalised, policy.weights[component])
        scored.append((unit, components, _weighted(components, policy)))
    ordered = sorted(scored, key=lambda s: (s[2] is None, -(s[2] or 0), s[0].key))
    result: list[UnitScore] = []
    for position, (unit, components, score) in enumerate(ordered, start=1):
        rank = None
        if score is not None:
            tied = result[-1] if result and result[-1].score == score else None
            rank = tied.rank if tied is not None else position
        result.append(UnitScore(unit.key, unit.label, components, score, rank))
    return result


def _weighted(components: Mapping[Component, ComponentScore], policy: IndexPolicy) -> Decimal | None:
    present = [c for c in components.values() if c.normalised is not None]
    weight = sum((c.weight for c in present), Decimal(0))
    if len(present) < policy.min_components or weight == 0:
        return None
    total = sum((c.weight * (c.normalised or Decimal(0)) for c in present), Decimal(0))
    return (total / weight).quantize(SCORE_PLACES, ROUND_HALF_UP)
