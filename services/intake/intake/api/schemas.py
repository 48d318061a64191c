"""HTTP schemas of intake (CONTRACT.md, Intake). Validation lives here, at the boundary."""

import math
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as NumberError

from intake.domain.model import Flag, ProjectKind, Source
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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "national",
                    "external_id": "GJ-2026-000123",
                    "received_at": "2026-12-03T09:15:00+08:00",
                    "division": "330106",
                    "township": "北山街道",
                    "employer": {"name": "杭州某建设有限公司", "uscc": "91330106MA2H3XY01H"},
                    "project": {"name": "西溪项目", "kind": "building", "address": "西湖区文三路1号"},
                    "workers": 12,
                    "amount_owed": "86000.00",
                    "complainant": {
                        "name": "张三",
                        "phone": "13812345678",
                        "id_number": "33010619900101123X",
                    },
                    "summary": "工程完工后拖欠12名农民工工资",
                    "flags": [],
                }
            ]
        }
    )

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
