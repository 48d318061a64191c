"""Operator endpoints (admin only), used by ``anxin-ops audit verify``."""

from typing import Annotated

from fastapi import APIRouter, Query

from routing.api.deps import ReaderDep
from routing.app.queries import audit_division
from shared.api import ApiModel
from shared.auth import CurrentPrincipal, require_admin
from shared.params import DIVISION_PATTERN

admin = APIRouter(prefix="/v1/cases", tags=["operations"])


class BrokenChain(ApiModel):
    clue_id: str
    entries: int
    broken_at: int | None
    problem: str | None


class DivisionAudit(ApiModel):
    division: str
    cases: int
    valid: bool
    broken: list[BrokenChain]


@admin.get(
    "/verify",
    response_model=DivisionAudit,
    summary="Check the timeline hash chain of every case in a division (admin)",
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
