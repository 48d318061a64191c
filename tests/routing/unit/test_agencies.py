"""The agency registry: 13 divisions plus the city, every kind, Chinese names."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.domain.agencies import (
    DIVISIONS,
    KIND_NAMES,
    Agency,
    AgencyRegistry,
    agency_in,
    division_of,
    is_known_agency,
    kind_of,
)
from routing.domain.errors import UnknownAgencyError, UnknownDivisionError
from routing.domain.model import CITY_DIVISION, AgencyKind

pytestmark = pytest.mark.unit

REGISTRY = AgencyRegistry.build()

EXPECTED_DIVISIONS = {
    "330102": "上城区",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330112": "临安区",
    "330113": "临平区",
    "330114": "钱塘区",
    "330122": "桐庐县",
    "330127": "淳安县",
    "330182": "建德市",
}


def test_thirteen_divisions_with_their_names() -> None:
    assert dict(DIVISIONS) == EXPECTED_DIVISIONS


def test_every_kind_from_the_domain_brief() -> None:
    assert {k.value for k in AgencyKind} == {
        "gov",
        "office",
        "hrss",
        "construction",
        "transport",
        "water",
        "police",
        "petition",
        "drc",
        "finance",
        "housing",
        "politlegal",
    }
    assert set(KIND_NAMES) == set(AgencyKind)


def test_every_division_and_the_city_has_every_kind() -> None:
    agencies = REGISTRY.all()
    ids = [a.agency_id for a in agencies]
    assert len(ids) == len(set(ids)) == 14 * len(AgencyKind)
    for division in [CITY_DIVISION, *EXPECTED_DIVISIONS]:
        assert {a.kind for a in agencies if a.division == division} == set(AgencyKind)


def test_agency_fields_are_consistent() -> None:
    for agency in REGISTRY.all():
        assert agency.agency_id == f"{agency.division}.{agency.kind}"
        assert agency.name == agency.division_name + KIND_NAMES[agency.kind]
        assert division_of(agency.agency_id) == agency.division
        assert kind_of(agency.agency_id) is agency.kind
        assert is_known_agency(agency.agency_id)


@pytest.mark.parametrize(
    ("agency_id", "expected"),
    [
        ("330106.hrss", Agency("330106.hrss", "330106", "西湖区", AgencyKind.HRSS, "西湖区人力社保局")),
        ("330100.office", Agency("330100.office", "330100", "杭州市", AgencyKind.OFFICE, "杭州市根治欠薪办")),
        (
            "330182.construction",
            Agency("330182.construction", "330182", "建德市", AgencyKind.CONSTRUCTION, "建德市住建局"),
        ),
        ("330127.water", Agency("330127.water", "330127", "淳安县", AgencyKind.WATER, "淳安县林水局")),
        ("330114.gov", Agency("330114.gov", "330114", "钱塘区", AgencyKind.GOV, "钱塘区人民政府")),
    ],
)
def test_chinese_names(agency_id: str, expected: Agency) -> None:
    assert REGISTRY.get(agency_id) == expected


@pytest.mark.parametrize(
    "agency_id",
    ["330106.nobody", "330199.gov", "330106", "hrss", "", "330106.hrss.x", " 330106.hrss", "330106.HRSS"],
)
def test_unknown_agency(agency_id: str) -> None:
    assert not is_known_agency(agency_id)
    for lookup in (REGISTRY.get, division_of, kind_of):
        with pytest.raises(UnknownAgencyError, match="unknown agency"):
            lookup(agency_id)


@pytest.mark.parametrize(("division", "kind"), [("330106", AgencyKind.GOV), ("330100", AgencyKind.OFFICE)])
def test_agency_in(division: str, kind: AgencyKind) -> None:
    assert agency_in(division, kind) == f"{division}.{kind}"


def test_agency_in_unknown_division() -> None:
    with pytest.raises(UnknownDivisionError):
        agency_in("330199", AgencyKind.GOV)


def test_the_registry_comes_from_its_configuration_file(tmp_path: Path) -> None:
    from routing.bootstrap import load_registry
    from routing.settings import RoutingSettings

    registry = load_registry(RoutingSettings().agencies_file)
    assert len(registry) == 14 * 12
    assert registry["330106.hrss"].name == "西湖区人力资源和社会保障局"
    assert registry["330106.police"].name == "杭州市公安局西湖区分局"
    assert registry["330100.office"].name == "杭州市根治欠薪办"

    typo = tmp_path / "agencies.yaml"
    typo.write_text("kind_names:\n  hrs: 人社局\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown agency kinds"):
        load_registry(typo)
    typo.write_text("names:\n  330199.gov: 不存在\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown agency"):
        load_registry(typo)
