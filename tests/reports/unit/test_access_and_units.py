"""Who reads the reports, and which units the index compares."""

import pytest

from routing.reports.domain.access import visible_division
from routing.reports.domain.units import QuarterTallies, Resolution, Tally, index_facts
from shared.auth import Principal
from shared.errors import ForbiddenError

TWO = {"330106": "西湖区", "330110": "余杭区"}


@pytest.mark.parametrize(
    ("principal", "division"),
    [("admin", None), ("agency:330100.office", None), ("agency:330106.office", "330106")],
)
def test_offices_and_admin_read(principal: str, division: str | None) -> None:
    assert visible_division(Principal.parse(principal)) == division


@pytest.mark.parametrize("principal", ["source:national", "agency:330106.gov", "agency:330100.construction"])
def test_anyone_else_is_forbidden(principal: str) -> None:
    with pytest.raises(ForbiddenError, match="leading-group offices"):
        visible_division(Principal.parse(principal))


def test_every_unit_is_shown_with_what_it_counted() -> None:
    tallies = QuarterTallies(
        divisions={"330106": Tally(received=9), "999999": Tally(received=1)},
        townships={("330106", "北山街道"): Tally(received=4), ("999999", "x"): Tally(received=1)},
        industries={"330106.water": Tally(received=3, resolution_total=9, resolution_effective=1)},
        industry_results={
            "330106.water": Resolution(total=2, effective=2),
            "330110.transport": Resolution(1, 0),
        },
    )
    bases = {
        ("township", "330110", "仓前街道"): 30,
        ("division", "330106", ""): 100,
        ("industry", "330106", "water"): 5,
    }
    facts = index_facts(tallies, divisions=TWO, bases=bases)
    assert [(u.key, u.received, u.incidence_base) for u in facts.divisions] == [
        ("330106", 9, 100),
        ("330110", 0, None),
    ]
    water = facts.industries["330106"][2]
    assert (water.key, water.label, water.received, water.incidence_base) == (
        "330106.water",
        "林水 (water)",
        3,
        5,
    )
    assert (water.resolution_total, water.resolution_effective) == (2, 2)  # its own industry_resolve results
    transport = facts.industries["330110"][1]
    assert (transport.key, transport.resolution_total, transport.received) == ("330110.transport", 1, 0)
    assert [u.key for u in facts.townships["330106"]] == ["330106/北山街道"]
    assert [(u.key, u.incidence_base) for u in facts.townships["330110"]] == [("330110/仓前街道", 30)]
