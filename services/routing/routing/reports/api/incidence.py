"""The incidence base as uploaded and as answered (the denominators of the index)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from routing.reports.domain.incidence import IncidenceBase
from routing.reports.domain.units import INDUSTRY_KINDS
from shared.params import Line
from shared.places import DIVISIONS

_INDUSTRY_KINDS: list[JsonValue] = []
_INDUSTRY_KINDS.extend(sorted(INDUSTRY_KINDS))


class IncidenceBaseItem(BaseModel):
    """One unit's base; strict types: ``"base": "50"`` is refused, as everywhere (issue 18)."""

    model_config = ConfigDict(
        strict=True,
        json_schema_extra={
            "examples": [{"scope": "township", "division": "330106", "name": "北山街道", "base": 50}],
            # What check_incidence_bases asks of ``name``, by scope.
            "oneOf": [
                {"properties": {"scope": {"const": "division"}, "name": {"type": "null"}}},
                {
                    "properties": {
                        "scope": {"const": "township"},
                        "name": {"type": "string", "pattern": r"\S"},
                    },
                    "required": ["name"],
                },
                {
                    "properties": {"scope": {"const": "industry"}, "name": {"enum": _INDUSTRY_KINDS}},
                    "required": ["name"],
                },
            ],
        },
    )

    scope: Literal["division", "township", "industry"]
    division: str = Field(
        description="a division code, e.g. 330106",
        json_schema_extra={"enum": list(DIVISIONS)},
        examples=["330106"],
    )
    name: Line | None = Field(
        default=None,
        max_length=100,
        description="township: its name; industry: construction, transport or water; division: none",
    )
    base: int = Field(
        gt=0,
        le=2_147_483_647,  # the column is an integer
        strict=False,
        description="e.g. the number of active projects or employers",
        examples=[50],
    )
    basis: Line = Field(default="active_projects", min_length=1, max_length=40)

    @field_validator("base", mode="before")
    @classmethod
    def _a_json_integer(cls, value: object) -> object:
        """A JSON integer (``50``, or ``50.0`` as JSON Schema allows), never a string or a boolean."""
        if isinstance(value, str | bool):
            raise ValueError("must be a JSON integer, such as 50")
        return value

    @field_validator("division")
    @classmethod
    def _known_division(cls, value: str) -> str:
        if value not in DIVISIONS:
            raise ValueError(f"unknown division {value!r}; use one of the 13 division codes")
        return value

    def to_base(self) -> IncidenceBase:
        return IncidenceBase(self.scope, self.division, self.name or "", self.base, self.basis)


class IncidenceBaseIn(BaseModel):
    model_config = ConfigDict(strict=True)

    items: list[IncidenceBaseItem] = Field(min_length=1, max_length=5000)


class IncidenceBaseOut(BaseModel):
    items: list[IncidenceBaseItem]

    @classmethod
    def of(cls, bases: list[IncidenceBase]) -> "IncidenceBaseOut":
        return cls(
            items=[
                IncidenceBaseItem(
                    scope=b.scope, division=b.division, name=b.name or None, base=b.base, basis=b.basis
                )
                for b in bases
            ]
        )
