"""Rule 6 (争议仲裁): who arbitrates a returned task, and where a decision moves the clue. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from routing.domain.agencies import agency_in, division_of
from routing.domain.model import CITY_DIVISION, AgencyKind

PENDING = "pending"
DECIDED = "decided"


@dataclass(frozen=True, slots=True)
class Arbitration:
    """The office that decides a dispute, and why it is that office."""

    arbiter: str
    why: str


def dispute_arbiter(
    clue_division: str,
    suggested_agency: str | None,
    *,
    returns: int = 1,
    max_returns: int | None = None,
) -> Arbitration:
    """Rule 6: the office that arbitrates a returned task.

    `<division>.office`, or `330100.office` when the suggested agency is in another division;
    a city agency (330100) counts as another division, since only the city office may assign
    to it. A task returned `returns` times, more than `max_returns`, goes to the city office
    whatever was suggested. An unknown suggested agency raises `UnknownAgencyError`.
    """
    city_office = agency_in(CITY_DIVISION, AgencyKind.OFFICE)
    if suggested_agency is not None and division_of(suggested_agency) != clue_division:
        arbitration = Arbitration(
            city_office, "rule 6: the suggested agency is in another division, so the city office arbitrates"
        )
    else:
        arbitration = Arbitration(
            agency_in(clue_division, AgencyKind.OFFICE), "rule 6: the division office arbitrates"
        )
    if max_returns is not None and returns > max_returns:
        why = f"returned {returns} times (more than {max_returns}): the city office arbitrates"
        return Arbitration(city_office, why)
    return arbitration


def decision_moves_clue(clue_division: str, assignee: str) -> str | None:
    """Rule 6: the division a dispute decision moves the clue to, or None when it stays.

    The clue moves when the assignee is in another of the 13 divisions; a city (330100)
    assignee leaves it where it is. An unknown assignee raises `UnknownAgencyError`.
    """
    division = division_of(assignee)
    if division in (clue_division, CITY_DIVISION):
        return None
    return division
