"""The incidence base (案发率的基数): what incidence divides by, e.g. a unit's active projects."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from routing.reports.domain.units import INDUSTRY_KINDS
from shared.errors import FieldErrors, InvalidError

Scope = Literal["division", "township", "industry"]


@dataclass(frozen=True)
class IncidenceBase:
    scope: Scope
    division: str
    name: str
    """The township's name or the industry kind; '' for a division."""
    base: int
    basis: str


def check_incidence_bases(bases: Sequence[IncidenceBase]) -> None:
    """A division base takes no name, a township base its name, an industry base its kind."""
    errors: FieldErrors = []
    for i, item in enumerate(bases):
        if item.scope == "division" and item.name:
            errors.append(
                {"field": f"items.{i}.name", "message": "a division base takes no name; leave it out"}
            )
        if item.scope == "township" and not item.name.strip():
            errors.append({"field": f"items.{i}.name", "message": "give the township's name"})
        if item.scope == "industry" and item.name not in INDUSTRY_KINDS:
            errors.append({"field": f"items.{i}.name", "message": "use construction, transport or water"})
    if errors:
        raise InvalidError(errors)
