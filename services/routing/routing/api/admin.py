"""Operator endpoints (admin only), used by ``anxin-ops audit verify``."""

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from routing.bootstrap import Routing
from routing.domain.timeline import verify_chain
from routing.store.tables import ClueRow, TimelineRow
from routing.store.timeline import entry_of
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
    request: Request,
    principal: CurrentPrincipal,
    division: Annotated[
        str, Query(pattern=DIVISION_PATTERN, description="six-digit division code, e.g. 330106")
    ],
) -> DivisionAudit:
    require_admin(principal)
    routing: Routing = request.app.state.routing
    query = (
        select(TimelineRow)
        .join(ClueRow, ClueRow.clue_id == TimelineRow.clue_id)
        .where(ClueRow.division == division)
        .order_by(TimelineRow.clue_id, TimelineRow.seq)
    )
    async with routing.runtime.sessions() as session:
        rows = (await session.execute(query)).scalars().all()
    cases = 0
    broken = []
    for clue_id, timeline in groupby(rows, key=lambda row: row.clue_id):
        cases += 1
        entries = [entry_of(r) for r in timeline]
        check = verify_chain(entries)
        if not check.valid:
            broken.append(
                BrokenChain(
                    clue_id=clue_id, entries=check.entries, broken_at=check.broken_at, problem=check.problem
                )
            )
    return DivisionAudit(division=division, cases=cases, valid=not broken, broken=broken)
