"""Operator endpoints (admin only), used by ``anxin-ops redeliver``."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from notify.api.deps import UnitOfWorkDep
from notify.app import deliveries as delivery_cases
from notify.app.commands import RedeliverRange
from shared.auth import CurrentPrincipal
from shared.params import Moment, PrincipalQuery

admin = APIRouter(prefix="/v1/deliveries", tags=["operations"])


class RedeliveredRange(BaseModel):
    redelivered: int = Field(ge=0, description="how many are pending again", examples=[12])
    skipped_without_subscription: int = Field(
        ge=0, description="left as they were: their principal has no enabled subscription", examples=[1]
    )


@admin.post(
    "/redeliver",
    status_code=202,
    response_model=RedeliveredRange,
    summary="Send again every principal's deliveries in a state, created in [since, until) (admin)",
    description=(
        "For operators after an outage (`anxin-ops redeliver`): each delivery keeps its tries and "
        "follows the retry schedule afresh; those of a principal without an enabled subscription are "
        "counted and left. Only admin; 403 for any other key."
    ),
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
