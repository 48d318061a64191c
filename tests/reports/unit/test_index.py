"""The Wage Security Index: raw components, normalisation, weighting, missing data and ranks."""

from decimal import Decimal

import pytest

from routing.reports.domain.index import (
    Component,
    IndexPolicy,
    Normalisation,
    UnitFacts,
    normalise,
    raw_components,
    score_units,
)
from routing.reports.settings import ReportsSettings

EQUAL = {c: Decimal(1) for c in Component}


def policy(how: Normalisation = Normalisation.MIN_MAX, min_components: int = 3) -> IndexPolicy:
    return IndexPolicy(weights=EQUAL, normalisation=how, min_components=min_components, incidence_per=100)


def unit(key: str, received: int, **facts: int | None) -> UnitFacts:
    values: dict[str, int | None] = {
        "earlier_received": received,
        "incidence_base": 100,
        "enforcement_actions": 0,
        "resolution_total": 10,
        "resolution_effective": 5,
    }
    values.update(facts)
    return UnitFacts(key=key, label=key, received=received, **values)  # type: ignore[arg-type]


def test_raw_components() -> None:
    facts = unit(
        "a", 40, earlier_received=32, incidence_base=800, enforcement_actions=6, resolution_effective=7
    )
    raw = raw_components(facts, policy())
    assert raw == {
        Component.VOLUME: Decimal(40),
        Component.INCIDENCE: Decimal("5.0000"),
        Component.GROWTH: Decimal("0.2500"),
        Component.ENFORCEMENT: Decimal("15.0000"),
        Component.RESOLUTION: Decimal("0.7000"),
    }


def test_components_without_data_are_missing_never_invented() -> None:
    raw = raw_components(unit("a", 0, earlier_received=0, incidence_base=None, resolution_total=0), policy())
    assert raw[Component.VOLUME] == 0
    assert raw[Component.INCIDENCE] is None
    assert raw[Component.GROWTH] is None
    assert raw[Component.ENFORCEMENT] is None
    assert raw[Component.RESOLUTION] is None


def test_min_max_puts_the_best_at_100_and_the_worst_at_0() -> None:
    values = [Decimal(10), Decimal(20), Decimal(30)]
    assert normalise(values, Decimal(10), lower_is_better=True, how=Normalisation.MIN_MAX) == 100
    assert normalise(values, Decimal(20), lower_is_better=True, how=Normalisation.MIN_MAX) == 50
    assert normalise(values, Decimal(30), lower_is_better=True, how=Normalisation.MIN_MAX) == 0
    assert normalise(values, Decimal(30), lower_is_better=False, how=Normalisation.MIN_MAX) == 100


def test_rank_normalisation_counts_ties_as_half() -> None:
    values = [Decimal(1), Decimal(2), Decimal(2), Decimal(3)]
    assert normalise(values, Decimal(1), lower_is_better=True, how=Normalisation.RANK) == 100
    assert normalise(values, Decimal(2), lower_is_better=True, how=Normalisation.RANK) == Decimal("50.00")
    assert normalise(values, Decimal(3), lower_is_better=True, how=Normalisation.RANK) == 0


def test_all_equal_or_alone_is_100() -> None:
    assert normalise([Decimal(5)], Decimal(5), lower_is_better=True, how=Normalisation.MIN_MAX) == 100
    assert (
        normalise([Decimal(5), Decimal(5)], Decimal(5), lower_is_better=False, how=Normalisation.RANK) == 100
    )


def test_fewer_clues_and_better_resolution_rank_first() -> None:
    good = unit("good", 10, resolution_effective=9)
    bad = unit("bad", 30, resolution_effective=1)
    scores = score_units([bad, good], policy())
    assert [s.key for s in scores] == ["good", "bad"]
    assert [s.rank for s in scores] == [1, 2]
    assert scores[0].components[Component.VOLUME].normalised == 100
    assert scores[1].components[Component.RESOLUTION].normalised == 0


def test_score_is_reweighted_over_the_present_components() -> None:
    weights = {c: Decimal(0) for c in Component} | {
        Component.VOLUME: Decimal(3),
        Component.INCIDENCE: Decimal(1),
    }
    weighted = IndexPolicy(
        weights=weights, normalisation=Normalisation.MIN_MAX, min_components=1, incidence_per=100
    )
    a = unit("a", 10, incidence_base=None)  # incidence missing: the score is the volume alone
    b = unit("b", 20, incidence_base=None)
    c = unit("c", 15, incidence_base=100)
    scores = {s.key: s for s in score_units([a, b, c], weighted)}
    assert scores["a"].score == 100
    assert scores["b"].score == 0
    assert scores["c"].score == Decimal("62.50")  # (3 * 50 + 1 * 100) / 4
    assert scores["a"].missing == (Component.INCIDENCE,)


def test_too_few_components_gives_no_score_and_no_rank() -> None:
    empty = unit("empty", 0, earlier_received=0, incidence_base=None, resolution_total=0)
    busy = unit("busy", 12)
    scores = score_units([empty, busy], policy(min_components=3))
    assert [(s.key, s.rank) for s in scores] == [("busy", 1), ("empty", None)]
    assert scores[1].score is None
    assert scores[1].components[Component.VOLUME].normalised == 100  # shown, though not scored


def test_equal_scores_share_a_rank() -> None:
    scores = score_units([unit("a", 10), unit("b", 10), unit("c", 20)], policy())
    assert [s.rank for s in scores] == [1, 1, 3]


@pytest.mark.parametrize("bad", [{Component.VOLUME: Decimal(1)}, dict.fromkeys(Component, Decimal(0))])
def test_policy_refuses_incomplete_or_zero_weights(bad: dict[Component, Decimal]) -> None:
    with pytest.raises(ValueError, match="weight"):
        IndexPolicy(weights=bad, normalisation=Normalisation.MIN_MAX, min_components=3, incidence_per=100)


def test_settings_defaults_match_the_documented_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = ReportsSettings().policy()
    assert sum(defaults.weights.values()) == 1
    assert defaults.weights[Component.RESOLUTION] == Decimal("0.25")
    monkeypatch.setenv("ANXIN_REPORTS_WEIGHT_GROWTH", "0.5")
    monkeypatch.setenv("ANXIN_REPORTS_NORMALISATION", "rank")
    changed = ReportsSettings().policy()
    assert changed.weights[Component.GROWTH] == Decimal("0.5")
    assert changed.normalisation == Normalisation.RANK


def test_the_worst_is_zero_not_minus_zero() -> None:
    worst = normalise([Decimal(8), Decimal(60)], Decimal(60), lower_is_better=True, how=Normalisation.MIN_MAX)
    assert str(worst) == "0.00"
