"""Who takes a clue's next task of a role: the rules' agency, unless an office decided otherwise."""

from __future__ import annotations

from collections.abc import Iterable

from routing.domain.agencies import DIVISIONS, agency_in, division_of
from routing.domain.errors import UnknownDivisionError
from routing.domain.model import (
    CITY_DIVISION,
    ROLE_OF_KIND,
    AgencyKind,
    ClueFacts,
    ProjectKind,
    Role,
    TaskKind,
)


def decided_assignees(decisions: Iterable[tuple[TaskKind, str]]) -> dict[Role, str]:
    """Rule 6: the assignee decided for each role, from (kind of the returned task, assignee)
    pairs oldest first; a later decision for the same role replaces an earlier one."""
    decided: dict[Role, str] = {}
    for kind, assignee in decisions:
        role = ROLE_OF_KIND.get(kind)
        if role is not None:
            decided[role] = assignee
    return decided


def assignee_for(clue: ClueFacts, role: Role, default: str | None) -> tuple[str | None, bool]:
    """(agency, decided): the decided assignee of `role` while it is in the clue's division or
    the city's, else `default`. A decision made before the clue moved on does not follow it."""
    decided = clue.decided.get(role)
    if decided is not None and division_of(decided) in (clue.division, CITY_DIVISION):
        return decided, True
    return default, False


_INDUSTRY_AUTHORITY: dict[ProjectKind, AgencyKind] = {
    ProjectKind.BUILDING: AgencyKind.CONSTRUCTION,
    ProjectKind.MUNICIPAL: AgencyKind.CONSTRUCTION,
    ProjectKind.TRANSPORT: AgencyKind.TRANSPORT,
    ProjectKind.WATER: AgencyKind.WATER,
}


def industry_authority(division: str, project_kind: ProjectKind | None) -> str | None:
    """The project's industry authority (行业主管部门) in `division`, or None for other kinds."""
    kind = _INDUSTRY_AUTHORITY.get(project_kind) if project_kind is not None else None
    return agency_in(division, kind) if kind is not None else None


def clue_division(clue: ClueFacts) -> str:
    """The clue's division; `UnknownDivisionError` when it is not one of the 13."""
    if clue.division not in DIVISIONS:
        raise UnknownDivisionError(clue.division)
    return clue.division
