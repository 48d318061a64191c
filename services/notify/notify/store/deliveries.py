"""Notify's delivery repository: planning, listing, redelivery, and the worker's leases.

A delivery is leased (state ``delivering``) in the database before it is sent, so a restart
resumes pending retries and two workers never send one delivery at once.
"""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, case, func, insert, select, text, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify.domain.model import (
    REDELIVERABLE,
    Attempt,
    AttemptOutcome,
    Claimed,
    Delivery,
    DeliveryState,
    NewDelivery,
)
from notify.store.tables import AttemptRow, DeliveryRow, SubscriptionRow
from shared.pagination import keyset_page

CLAIM = text(
    """
    UPDATE notify.deliveries AS d
       SET state = 'delivering', lease_until = now() + make_interval(secs => :lease), updated_at = now()
      FROM notify.subscriptions AS s
     WHERE s.principal = d.principal
       AND d.delivery_id IN (
           SELECT c.delivery_id
             FROM notify.deliveries AS c
             JOIN notify.subscriptions AS cs ON cs.principal = c.principal AND cs.disabled_at IS NULL
            WHERE c.state = 'pending' AND c.next_attempt_at <= now()
              AND NOT (cs.url = ANY(:busy))
              AND (NOT c.ordered OR NOT EXISTS (
                   SELECT 1 FROM notify.deliveries AS e
                    WHERE e.principal = c.principal AND e.clue_id = c.clue_id AND e.ordered
                      AND e.seq < c.seq AND e.state IN ('pending', 'delivering')))
            ORDER BY c.next_attempt_at, c.seq
            LIMIT :limit
              FOR UPDATE OF c SKIP LOCKED)
    RETURNING d.delivery_id, d.payload || jsonb_build_object('sequence', d.seq) AS payload, d.attempts,
              d.lease_until, s.url, s.secret, s.previous_secret, s.previous_secret_until, s.principal,
              d.traceparent, d.retry_from
    """
)
RELEASE_EXPIRED = text(
    "UPDATE notify.deliveries SET state = 'pending', lease_until = NULL "
    "WHERE state = 'delivering' AND lease_until < now()"
)
# Rows due by the last claim that it did not take wait for a wake-up (an endpoint or an
# earlier feedback freeing up), so only later ones set the timer and an idle worker never spins.
NEXT_DUE = text(
    "SELECT min(next_attempt_at) FROM notify.deliveries WHERE state = 'pending' AND next_attempt_at > :since"
)
NOW = text("SELECT now()")


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, deliveries: Sequence[NewDelivery]) -> None:
        if not deliveries:
            return
        await self.session.execute(
            pg_insert(DeliveryRow)
            .values([{**asdict(d), "attempts": 0} for d in deliveries])
            .on_conflict_do_nothing(constraint="uq_deliveries_event_principal")
        )

    async def get(self, delivery_id: str) -> Delivery | None:
        row = await self.session.get(DeliveryRow, delivery_id, populate_existing=True)
        if row is None:
            return None
        return _delivery(row, (await self._attempts([delivery_id])).get(delivery_id, ()))

    async def _attempts(self, delivery_ids: Sequence[str]) -> dict[str, tuple[Attempt, ...]]:
        """Every try of each delivery, oldest first."""
        rows = await self.session.execute(
            select(AttemptRow).where(AttemptRow.delivery_id.in_(delivery_ids)).order_by(AttemptRow.id)
        )
        tries: dict[str, list[Attempt]] = {}
        for row in rows.scalars():
            tries.setdefault(row.delivery_id, []).append(
                Attempt(
                    status=row.status, error=row.error, started_at=row.started_at, duration_ms=row.duration_ms
                )
            )
        return {delivery_id: tuple(each) for delivery_id, each in tries.items()}

    async def page(
        self, *, principal: str | None, state: str | None, clue_id: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Delivery], str | None]:
        query = select(DeliveryRow).where(_of(principal))
        if state:
            query = query.where(DeliveryRow.state == state)
        if clue_id:
            query = query.where(DeliveryRow.clue_id == clue_id)
        rows, next_cursor = await keyset_page(
            self.session,
            query,
            at=DeliveryRow.created_at,
            key=DeliveryRow.delivery_id,
            cursor=cursor,
            limit=limit,
        )
        tries = await self._attempts([r.delivery_id for r in rows]) if rows else {}
        return [_delivery(r, tries.get(r.delivery_id, ())) for r in rows], next_cursor

    async def hold_pending(self, principal: str, *, reason: str, now: datetime) -> None:
        await self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.principal == principal, DeliveryRow.state == "pending")
            .values(state="failed", next_attempt_at=None, last_error=reason, updated_at=now)
        )

    async def send_again(self, delivery_id: str, *, now: datetime) -> bool:
        result = await self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.delivery_id == delivery_id, DeliveryRow.state.in_(REDELIVERABLE))
            .values(
                state="pending",
                # A pending one is only brought forward; a finished one retries on a fresh schedule.
                retry_from=case(
                    (DeliveryRow.state == "pending", DeliveryRow.retry_from), else_=DeliveryRow.attempts
                ),
                next_attempt_at=now,
                updated_at=now,
            )
            .returning(DeliveryRow.delivery_id)
        )
        return result.first() is not None

    async def send_again_failed(
        self, *, principal: str | None, state: str, since: datetime, until: datetime | None, now: datetime
    ) -> int:
        enabled = select(SubscriptionRow.principal).where(SubscriptionRow.disabled_at.is_(None))
        result = await self.session.execute(
            update(DeliveryRow)
            .where(*_in_range(principal, state, since, until), DeliveryRow.principal.in_(enabled))
            .values(state="pending", retry_from=DeliveryRow.attempts, next_attempt_at=now, updated_at=now)
            .returning(DeliveryRow.delivery_id)
        )
        return len(result.all())

    async def count(
        self, *, principal: str | None, state: str, since: datetime, until: datetime | None
    ) -> int:
        result = await self.session.execute(
            select(func.count()).select_from(DeliveryRow).where(*_in_range(principal, state, since, until))
        )
        return int(result.scalar_one())

    async def oldest_pending(self) -> datetime | None:
        query = select(func.min(DeliveryRow.created_at)).where(
            DeliveryRow.state.in_(["pending", "delivering"])
        )
        oldest: datetime | None = (await self.session.execute(query)).scalar_one_or_none()
        return oldest

    async def counts(self) -> tuple[int, int]:
        query = select(
            func.count().filter(DeliveryRow.state.in_(["pending", "delivering"])),
            func.count().filter(DeliveryRow.state == "failed"),
        )
        pending, failed = (await self.session.execute(query)).one()
        return int(pending), int(failed)

    async def claim(
        self, *, limit: int, lease_seconds: float, busy_urls: Sequence[str]
    ) -> tuple[datetime, list[Claimed]]:
        claimed_at: datetime = (await self.session.execute(NOW)).scalar_one()
        await self.session.execute(RELEASE_EXPIRED)
        rows = await self.session.execute(
            CLAIM, {"lease": lease_seconds, "busy": list(busy_urls), "limit": limit}
        )
        return claimed_at, [Claimed(**row._mapping) for row in rows]

    async def release(self, delivery_ids: Sequence[str]) -> None:
        await self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.delivery_id.in_(delivery_ids))
            .values(state="pending", lease_until=None)
        )

    async def hand_back(self, claimed: Sequence[Claimed]) -> None:
        for item in claimed:
            await self.session.execute(
                update(DeliveryRow).where(*_still_leased(item)).values(state="pending", lease_until=None)
            )

    async def next_due(self, *, since: datetime) -> datetime | None:
        due: datetime | None = (await self.session.execute(NEXT_DUE, {"since": since})).scalar_one_or_none()
        return due

    async def record(
        self, claimed: Claimed, attempt: Attempt, *, after: AttemptOutcome, now: datetime
    ) -> None:
        await self.session.execute(
            insert(AttemptRow).values(
                delivery_id=claimed.delivery_id,
                url=claimed.url,
                status=attempt.status,
                error=attempt.error,
                started_at=attempt.started_at,
                duration_ms=attempt.duration_ms,
            )
        )
        # Only while this worker still holds the lease it claimed.
        await self.session.execute(
            update(DeliveryRow)
            .where(*_still_leased(claimed))
            .values(
                attempts=claimed.attempts + 1,
                last_status=attempt.status,
                last_error=after.last_error,
                lease_until=None,
                updated_at=now,
                state=after.state,
                next_attempt_at=after.next_attempt_at,
                **({"delivered_at": after.delivered_at} if after.delivered_at else {}),
            )
        )


def _of(principal: str | None) -> ColumnElement[bool]:
    return true() if principal is None else DeliveryRow.principal == principal


def _in_range(
    principal: str | None, state: str, since: datetime, until: datetime | None
) -> list[ColumnElement[bool]]:
    conditions = [_of(principal), DeliveryRow.state == state, DeliveryRow.created_at >= since]
    if until is not None:
        conditions.append(DeliveryRow.created_at < until)
    return conditions


def _still_leased(claimed: Claimed) -> list[ColumnElement[bool]]:
    return [
        DeliveryRow.delivery_id == claimed.delivery_id,
        DeliveryRow.state == "delivering",
        DeliveryRow.lease_until == claimed.lease_until,
    ]


def _delivery(row: DeliveryRow, tries: tuple[Attempt, ...]) -> Delivery:
    return Delivery(
        delivery_id=row.delivery_id,
        event_id=row.event_id,
        event_type=row.event_type,
        clue_id=row.clue_id,
        principal=row.principal,
        state=cast(DeliveryState, row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status=row.last_status,
        last_error=row.last_error,
        payload={**row.payload, "sequence": row.seq},
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        sequence=row.seq,
        attempt_history=tries,
    )
