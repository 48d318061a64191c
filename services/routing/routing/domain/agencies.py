"""The agency registry (部门名录) as data: every kind in every division and in the city."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from routing.domain.errors import UnknownAgencyError, UnknownDivisionError
from routing.domain.model import CITY_DIVISION, AgencyKind
from shared import places as shared_places

DIVISIONS: MappingProxyType[str, str] = MappingProxyType(dict(shared_places.DIVISIONS))
"""The city's 13 county-level divisions (区、县(市)) by GB/T 2260 code; a clue lives in one."""

CITY_NAME = shared_places.CITY_NAME

KIND_NAMES: MappingProxyType[AgencyKind, str] = MappingProxyType(
    {
        AgencyKind.GOV: "人民政府",
        AgencyKind.OFFICE: "根治欠薪办",
        AgencyKind.HRSS: "人力社保局",
        AgencyKind.CONSTRUCTION: "住建局",
        AgencyKind.TRANSPORT: "交通局",
        AgencyKind.WATER: "林水局",
        AgencyKind.POLICE: "公安局",
        AgencyKind.PETITION: "信访局",
        AgencyKind.DRC: "发改局",
        AgencyKind.FINANCE: "财政局",
        AgencyKind.HOUSING: "住保房管局",
        AgencyKind.POLITLEGAL: "政法委",
    }
)
"""Default Chinese name of each agency kind, appended to the division's name."""


@dataclass(frozen=True, slots=True)
class Agency:
    """One registered agency, e.g. `330106.hrss` 西湖区人力社保局."""

    agency_id: str
    division: str
    division_name: str
    kind: AgencyKind
    name: str


_ALL_DIVISIONS: MappingProxyType[str, str] = MappingProxyType({CITY_DIVISION: CITY_NAME, **DIVISIONS})
_KINDS: dict[str, AgencyKind] = {kind.value: kind for kind in AgencyKind}


@dataclass(frozen=True, slots=True)
class AgencyRegistry:
    """The agencies by id, named from configuration; built once at start-up."""

    agencies: Mapping[str, Agency]

    @classmethod
    def build(
        cls,
        *,
        kind_names: Mapping[str, str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> AgencyRegistry:
        """Every kind in the city and every division, named `<division><kind name>` unless `names` gives
        an agency's own name. Raises ValueError for an unknown kind or agency, so a typo fails at start-up."""
        kind_names = dict(kind_names or {})
        unknown_kinds = sorted(set(kind_names) - {k.value for k in AgencyKind})
        if unknown_kinds:
            raise ValueError(
                f"unknown agency kinds in the registry configuration: {', '.join(unknown_kinds)}"
            )
        agencies = {
            f"{code}.{kind}": Agency(
                agency_id=f"{code}.{kind}",
                division=code,
                division_name=division_name,
                kind=kind,
                name=f"{division_name}{kind_names.get(kind.value, KIND_NAMES[kind])}",
            )
            for code, division_name in _ALL_DIVISIONS.items()
            for kind in AgencyKind
        }
        for agency_id, name in (names or {}).items():
            if agency_id not in agencies:
                raise ValueError(f"unknown agency {agency_id!r} in the registry configuration")
            agencies[agency_id] = replace(agencies[agency_id], name=name)
        return cls(MappingProxyType(agencies))

    def all(self) -> list[Agency]:
        """Every registered agency: the city's first, then each division's, kinds in declared order."""
        return list(self.agencies.values())

    def get(self, agency_id: str) -> Agency:
        """The registered agency, or `UnknownAgencyError`."""
        try:
            return self.agencies[agency_id]
        except KeyError:
            raise UnknownAgencyError(agency_id) from None

    def __getitem__(self, agency_id: str) -> Agency:
        return self.agencies[agency_id]

    def __len__(self) -> int:
        return len(self.agencies)


# Which agencies exist follows from the divisions and the kinds alone; configuration only names them.


def is_known_agency(agency_id: str) -> bool:
    """True when `agency_id` is `<division>.<kind>` for the city or one of the 13 divisions."""
    division, dot, kind = agency_id.partition(".")
    return bool(dot) and division in _ALL_DIVISIONS and kind in _KINDS


def division_of(agency_id: str) -> str:
    """The division code of a registered agency (`330100` for city agencies)."""
    if not is_known_agency(agency_id):
        raise UnknownAgencyError(agency_id)
    return agency_id.partition(".")[0]


def kind_of(agency_id: str) -> AgencyKind:
    """The kind of a registered agency."""
    if not is_known_agency(agency_id):
        raise UnknownAgencyError(agency_id)
    return _KINDS[agency_id.partition(".")[2]]


def agency_in(division: str, kind: AgencyKind) -> str:
    """The id of `division`'s agency of `kind`; raises `UnknownDivisionError` for an unknown division."""
    agency_id = f"{division}.{kind}"
    if not is_known_agency(agency_id):
        raise UnknownDivisionError(division)
    return agency_id
