"""Operator endpoints (admin only), used by ``anxin-ops redeliver``."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy import select, update

from notify.bootstrap import Notify
from notify.store.tables import DeliveryRow, SubscriptionRow
from shared.api import ApiModel
from shared.auth import CurrentPrincipal, require_admin
from shared.params import Moment, PrincipalQuery
from shared.problems import validation_problem

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
    request: Request,
    principal: CurrentPrincipal,
    since: Annotated[Moment, Query(description="created at or after, with an offset")],
    until: Annotated[Moment | None, Query(description="created before, with an offset")] = None,
    state: Annotated[
        Literal["failed"], Query(description="only failed deliveries are sent again")
    ] = "failed",
    subscriber: PrincipalQuery = None,
) -> RedeliveredRange:
    require_admin(principal)
    if until is not None and until <= since:
        raise validation_problem([{"field": "until", "message": "until must be later than since"}])
    notify: Notify = request.app.state.notify
    now = datetime.now(UTC)
    in_range = [DeliveryRow.state == state, DeliveryRow.created_at >= since]
    if until is not None:
        in_range.append(DeliveryRow.created_at < until)
    if subscriber is not None:
        in_range.append(DeliveryRow.principal == subscriber)
    enabled = select(SubscriptionRow.principal).where(SubscriptionRow.disabled_at.is_(None))
    async with notify.runtime.sessions.begin() as session:
        redelivered = await session.execute(
            update(DeliveryRow)
            .where(*in_range, DeliveryRow.principal.in_(enabled))
            .values(state="pending", attempts=0, next_attempt_at=now, updated_at=now)
            .returning(DeliveryRow.delivery_id)
        )
        count = len(redelivered.all())
        skipped = await session.execute(select(DeliveryRow.delivery_id).where(*in_range))
        skipped_count = len(skipped.all())
    notify.worker.wake()
    return RedeliveredRange(redelivered=count, skipped_without_subscription=skipped_count)
