"""Operator endpoints (admin only), used by ``anxin-ops audit verify``."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from routing.api.deps import ReaderDep
from routing.app.queries import audit_division
from shared.auth import CurrentPrincipal, require_admin
from shared.params import DIVISION_PATTERN

admin = APIRouter(prefix="/v1/cases", tags=["operations"])


class BrokenChain(BaseModel):
    """A case whose timeline does not chain."""

    clue_id: str = Field(json_schema_extra={"format": "uuid"})
    entries: int = Field(examples=[7])
    broken_at: int | None = Field(description="seq of the first entry that does not chain", examples=[4])
    problem: str | None = Field(examples=["hash mismatch"])


class DivisionAudit(BaseModel):
    """The timeline check of every case in a division."""

    division: str = Field(pattern=DIVISION_PATTERN, examples=["330106"])
    cases: int = Field(examples=[120])
    valid: bool = Field(description="true when every case's chain is intact")
    broken: list[BrokenChain]


@admin.get(
    "/verify",
    response_model=DivisionAudit,
    summary="Check the timeline hash chain of every case in a division (admin)",
    description="For operators (`anxin-ops audit verify`): recomputes every case's chain in the division.",
)
async def verify_division(
    principal: CurrentPrincipal,
    reader: ReaderDep,
    division: Annotated[
        str, Query(pattern=DIVISION_PATTERN, description="six-digit division code, e.g. 330106")
    ],
) -> DivisionAudit:
    require_admin(principal)
    checks = await audit_division(division, reader=reader)
    broken = [
        BrokenChain(clue_id=clue_id, entries=check.entries, broken_at=check.broken_at, problem=check.problem)
        for clue_id, check in checks
        if not check.valid
    ]
    return DivisionAudit(division=division, cases=len(checks), valid=not broken, broken=broken)
