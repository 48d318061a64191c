"""Deliveries as their principals (and operators) see them, and sending them again."""

from dataclasses import dataclass
from datetime import datetime

from notify.app.commands import ListDeliveries, RedeliverFailed, RedeliverRange
from notify.app.ports import UnitOfWork
from notify.domain.model import REDELIVERABLE, Delivery
from shared.auth import Principal, require_admin
from shared.errors import ConflictError, InvalidError, NotFoundError

NO_SUBSCRIPTION = "the subscription is missing or disabled; PUT /v1/subscriptions/me first, then redeliver"


async def list_deliveries(cmd: ListDeliveries, *, uow: UnitOfWork) -> tuple[list[Delivery], str | None]:
    """A page of the reader's deliveries (every principal's for admin), newest first."""
    return await uow.deliveries.page(
        principal=None if cmd.reader.is_admin else str(cmd.reader),
        state=cmd.state,
        clue_id=cmd.clue_id,
        limit=cmd.limit,
        cursor=cmd.cursor,
    )


async def read_delivery(delivery_id: str, *, reader: Principal, uow: UnitOfWork) -> Delivery:
    delivery = await uow.deliveries.get(delivery_id)
    if delivery is None or not (reader.is_admin or delivery.principal == str(reader)):
        raise NotFoundError("delivery")
    return delivery


async def _require_enabled_subscription(principal: str, *, uow: UnitOfWork, state: str | None) -> None:
    subscription = await uow.subscriptions.get(principal)
    if subscription is None or subscription.disabled_at is not None:
        raise ConflictError(NO_SUBSCRIPTION, state=state)


async def redeliver(delivery_id: str, *, reader: Principal, uow: UnitOfWork, now: datetime) -> Delivery:
    """Send a delivery now: a failed or succeeded one again (its retries on a fresh schedule, every
    earlier try kept), a pending one at once instead of at its next retry."""
    delivery = await read_delivery(delivery_id, reader=reader, uow=uow)
    await _require_enabled_subscription(delivery.principal, uow=uow, state=delivery.state)
    if not await uow.deliveries.send_again(delivery_id, now=now):
        current = await uow.deliveries.get(delivery_id)
        state = current.state if current else None
        raise ConflictError(
            f"the delivery is {state or 'gone'}; only {' or '.join(REDELIVERABLE)} ones are sent again",
            state=state,
        )
    again = await uow.deliveries.get(delivery_id)
    assert again is not None
    return again


def _check_range(since: datetime, until: datetime | None) -> None:
    if until is not None and until <= since:
        raise InvalidError([{"field": "until", "message": "until must be later than since"}])


async def redeliver_failed(cmd: RedeliverFailed, *, uow: UnitOfWork, now: datetime) -> int:
    """Send again the caller's failed deliveries created in the range; how many."""
    _check_range(cmd.since, cmd.until)
    await _require_enabled_subscription(str(cmd.principal), uow=uow, state=None)
    return await uow.deliveries.send_again_failed(
        principal=str(cmd.principal), state="failed", since=cmd.since, until=cmd.until, now=now
    )


async def redeliver_range(cmd: RedeliverRange, *, uow: UnitOfWork, now: datetime) -> tuple[int, int]:
    """(sent again, skipped without an enabled subscription) of every principal's in the range."""
    require_admin(cmd.operator)
    _check_range(cmd.since, cmd.until)
    redelivered = await uow.deliveries.send_again_failed(
        principal=cmd.subscriber, state=cmd.state, since=cmd.since, until=cmd.until, now=now
    )
    skipped = await uow.deliveries.count(
        principal=cmd.subscriber, state=cmd.state, since=cmd.since, until=cmd.until
    )
    return redelivered, skipped


async def delivery_counts(*, uow: UnitOfWork) -> tuple[int, int]:
    """(pending or being sent, failed)."""
    return await uow.deliveries.counts()


@dataclass(frozen=True)
class WebhookBacklog:
    pending: int
    failed: int
    oldest_pending_seconds: float


async def webhook_backlog(*, uow: UnitOfWork, now: datetime) -> WebhookBacklog:
    """Deliveries waiting (pending or being sent), failed, and how long the oldest waiting one has."""
    pending, failed = await uow.deliveries.counts()
    oldest = await uow.deliveries.oldest_pending()
    age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return WebhookBacklog(pending, failed, age)
