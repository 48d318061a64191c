"""Operator endpoints (admin only), used by ``anxin-ops redeliver``."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from notify.api.deps import UnitOfWorkDep
from notify.app import deliveries as delivery_cases
from notify.app.commands import RedeliverRange
from shared.api import ApiModel
from shared.auth import CurrentPrincipal
from shared.params import Moment, PrincipalQuery

admin = APIRouter(prefix="/v1/deliveries", tags=["operations"])


class RedeliveredRange(ApiModel):
    redelivered: int
    skipped_without_subscription: int


@admin.post(
    "/redeliver",
    status_code=202,
    response_model=RedeliveredRange,
    summary="Send again every principal's deliveries in a state, created in [since, until) (admin)",
)
async def redeliver_range(
    principal: CurrentPrincipal,
    uow: UnitOfWorkDep,
    since: Annotated[Moment, Query(description="created at or after, with an offset")],
    until: Annotated[Moment | None, Query(description="created before, with an offset")] = None,
    state: Annotated[
        Literal["failed"], Query(description="only failed deliveries are sent again")
    ] = "failed",
    subscriber: PrincipalQuery = None,
) -> RedeliveredRange:
    command = RedeliverRange(principal, state, since, until, subscriber)
    redelivered, skipped = await delivery_cases.redeliver_range(command, uow=uow, now=datetime.now(UTC))
    return RedeliveredRange(redelivered=redelivered, skipped_without_subscription=skipped)
