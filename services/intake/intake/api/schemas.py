"""HTTP schemas of intake (CONTRACT.md, Intake). Validation lives here, at the boundary."""

import math
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as NumberError

from intake.domain.model import ClueStatus, Flag, ProjectKind, Source
from shared.api import ApiModel
from shared.money import format_amount, parse_amount
from shared.places import DIVISIONS

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")

#: Clues received before this are not plausible; the bound also keeps date arithmetic in range.
EARLIEST_RECEIVED_AT = datetime(2000, 1, 1, tzinfo=UTC)
MAX_WORKERS = 1_000_000

Text = Annotated[str, Field(min_length=1, max_length=500)]


def _unstorable(value: object) -> str | None:
    """Why PostgreSQL could not store the value as text or JSON, or None when it can."""
    if isinstance(value, str):
        if "\x00" in value:
            return "must not contain NUL (U+0000) characters; remove them"
        if any("\ud800" <= char <= "\udfff" for char in value):
            return "must not contain unpaired UTF-16 surrogates; send valid Unicode text"
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "must not contain NaN or Infinity, which JSON has no number for; send a finite number"
    if isinstance(value, dict):
        items: list[object] = [*value.keys(), *value.values()]
        return next((reason for item in items if (reason := _unstorable(item))), None)
    if isinstance(value, list):
        return next((reason for item in value if (reason := _unstorable(item))), None)
    return None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _storable(cls, value: object) -> object:
        if reason := _unstorable(value):
            raise ValueError(reason)
        return value


class Employer(Strict):
    name: Text
    uscc: str | None = Field(
        default=None,
        description="18-character unified social credit code (GB 32100), with its check character",
        json_schema_extra={"pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$"},
    )

    @field_validator("uscc")
    @classmethod
    def _check_uscc(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            return str(uscc.validate(value))
        except NumberError as error:
            raise ValueError(
                f"not a valid unified social credit code: {error} Send the 18 characters as printed "
                "on the business licence."
            ) from error


class Project(Strict):
    name: Text | None = None
    kind: ProjectKind = ProjectKind.NONE
    address: str | None = Field(default=None, max_length=500)


class Complainant(Strict):
    name: str | None = Field(default=None, max_length=100)
    phone: str | None = None
    id_number: str | None = Field(
        default=None,
        description="resident ID number (GB 11643), with its check character",
        json_schema_extra={"pattern": "^[0-9]{17}[0-9Xx]$"},
    )

    @field_validator("phone")
    @classmethod
    def _check_phone(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        compact = value.replace(" ", "")
        if _MOBILE.match(compact) or _LANDLINE.match(compact):
            return compact
        raise ValueError(
            "not a phone number: send an 11-digit mobile (1xxxxxxxxxx) or a landline (0571-xxxxxxxx)"
        )

    @field_validator("id_number")
    @classmethod
    def _check_id_number(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            return str(ric.validate(value))
        except NumberError as error:
            raise ValueError(f"not a valid resident ID number (GB 11643): {error}") from error


class ClueSubmission(Strict):
    """A clue as a source hands it over (POST /v1/clues)."""

    source: Source
    external_id: Annotated[str, Field(min_length=1, max_length=200)]
    received_at: AwareDatetime = Field(description="when the source handed the clue over, with an offset")
    division: Annotated[
        str,
        Field(
            description="GB/T 2260 code of the county-level division",
            json_schema_extra={"enum": list(DIVISIONS)},
        ),
    ]
    township: str | None = Field(default=None, max_length=100)
    employer: Employer
    project: Project | None = None
    workers: Annotated[int, Field(ge=1, le=MAX_WORKERS, strict=True)]
    amount_owed: Annotated[
        str,
        Field(
            description='yuan as a non-negative decimal string with at most two places, e.g. "86000.00"',
            examples=["86000.00"],
            json_schema_extra={"pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"},
        ),
    ]
    complainant: Complainant | None = None
    summary: Annotated[str, Field(min_length=1, max_length=10_000)]
    flags: list[Flag] = Field(default_factory=list)
    source_payload: dict[str, Any] | None = None

    @field_validator("division")
    @classmethod
    def _check_division(cls, value: str) -> str:
        if value not in DIVISIONS:
            raise ValueError(f"unknown division {value!r}: use one of {', '.join(DIVISIONS)}")
        return value

    @field_validator("received_at")
    @classmethod
    def _check_received_at(cls, value: datetime, info: ValidationInfo) -> datetime:
        """Not in the future (beyond the clock skew the caller allows in the context), not before 2000."""
        context = info.context or {}
        now: datetime = context.get("now") or datetime.now(UTC)
        skew: timedelta = context.get("clock_skew") or timedelta(0)
        if value > now + skew:
            raise ValueError("is in the future; send when the source received the clue, with its offset")
        if value < EARLIEST_RECEIVED_AT:
            raise ValueError("is before 2000-01-01; send when the source received the clue")
        return value

    @field_validator("amount_owed", mode="before")
    @classmethod
    def _check_amount(cls, value: object) -> str:
        return format_amount(parse_amount(value))

    @field_validator("flags")
    @classmethod
    def _unique_flags(cls, value: list[Flag]) -> list[Flag]:
        return sorted(set(value))

    def amount(self) -> Decimal:
        return Decimal(self.amount_owed)


class Problem(BaseModel):
    """RFC 9457 problem details, as every 4xx and 5xx answers (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str


class FieldError(BaseModel):
    field: str = Field(description='dotted path of the bad field, e.g. "employer.uscc"')
    message: str


class ValidationProblem(Problem):
    errors: list[FieldError]


class ConflictProblem(Problem):
    clue_id: str | None = None
    differences: list[str] = Field(default_factory=list, description="dotted paths that differ")


class ClueAccepted(ApiModel):
    clue_id: str
    status: ClueStatus


class ClueLink(ApiModel):
    """A clue linked to its lead as the same matter (rule 8), and why."""

    clue_id: str
    lead_clue_id: str
    reason: str | None = Field(description="what matched: employer (USCC or name), division, project")


class ClueRead(ApiModel):
    clue_id: str
    source: Source
    external_id: str
    received_at: datetime
    division: str
    township: str | None
    employer: dict[str, Any]
    project: dict[str, Any] | None
    workers: int
    amount_owed: str
    complainant: dict[str, Any] | None
    summary: str
    flags: list[str]
    source_payload: dict[str, Any] | None = Field(
        description="verbatim, for readers who see the complainant in full; else null (withheld)"
    )
    source_payload_withheld: bool = Field(
        default=False, description="true when the clue has a source_payload this reader may not see"
    )
    submitted_by: str
    emergency: bool
    emergency_reasons: list[str]
    status: ClueStatus
    stage: list[str]
    outcome: str | None
    amount_paid: str | None
    related: list[str]
    lead_clue_id: str | None
    link_reason: str | None = Field(default=None, description="why this clue was linked to its lead")
    links: list[ClueLink] = Field(
        default_factory=list, description="each link among this clue and its related clues, with its reason"
    )
    created_at: datetime
    updated_at: datetime
