"""In-memory fakes of notify's ports (notify.app.ports), for the use cases' unit tests."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from notify.domain.model import (
    REDELIVERABLE,
    Attempt,
    AttemptOutcome,
    Claimed,
    Delivery,
    DeliveryState,
    NewDelivery,
    Subscriber,
    Subscription,
)
from notify.domain.recipients import ClueSource
from notify.domain.urls import UrlRefused
from shared.events.task_states import UNFINISHED_TASK_STATES

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


class FakeSecretBox:
    """Seals by wrapping, so tests can see what was sealed for whom."""

    def seal(self, secret: str, *, principal: str) -> str:
        return f"sealed[{principal}]:{secret}"

    def open(self, stored: str, *, principal: str) -> str:
        prefix = f"sealed[{principal}]:"
        return stored.removeprefix(prefix) if stored.startswith(prefix) else stored

    def open_optional(self, stored: str | None, *, principal: str) -> str | None:
        return None if stored is None else self.open(stored, principal=principal)


class FakeTargets:
    def __init__(self, refused: str | None = None) -> None:
        self.refused = refused
        self.checked: list[str] = []

    async def __call__(self, url: str) -> str:
        self.checked.append(url)
        if self.refused:
            raise UrlRefused(self.refused)
        return "203.0.113.7"


class FakeSubscriptions:
    def __init__(self) -> None:
        self.rows: dict[str, Subscription] = {}

    async def get(self, principal: str, *, lock: bool = False) -> Subscription | None:  # noqa: ARG002
        return self.rows.get(principal)

    async def add(self, subscription: Subscription) -> None:
        self.rows[subscription.principal] = replace(subscription, created_at=NOW, updated_at=NOW)

    async def update(self, subscription: Subscription) -> None:
        self.rows[subscription.principal] = subscription

    async def delete(self, principal: str) -> bool:
        return self.rows.pop(principal, None) is not None

    async def subscribers(self, principals: Sequence[str]) -> list[Subscriber]:
        return [
            Subscriber(s.principal, s.events, disabled=s.disabled_at is not None)
            for s in self.rows.values()
            if s.principal in principals
        ]

    async def disable(self, principal: str, *, url: str, reason: str, now: datetime) -> bool:
        current = self.rows.get(principal)
        if current is None or current.url != url:
            return False
        self.rows[principal] = replace(current, disabled_at=now, disabled_reason=reason)
        return True

    async def with_legacy_secrets(self) -> list[Subscription]:
        return [
            s
            for s in self.rows.values()
            if s.secret.startswith("whsec_") or (s.previous_secret or "").startswith("whsec_")
        ]


@dataclass
class Row:
    """A delivery as the fake stores it."""

    new: NewDelivery
    state: DeliveryState
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    attempts: int = 0
    last_status: int | None = None
    lease_until: datetime | None = None
    delivered_at: datetime | None = None
    tries: list[Attempt] = field(default_factory=list)
    retry_from: int = 0

    def delivery(self) -> Delivery:
        n = self.new
        return Delivery(
            n.delivery_id,
            n.event_id,
            n.event_type,
            n.clue_id,
            n.principal,
            self.state,
            self.attempts,
            self.next_attempt_at,
            self.last_status,
            self.last_error,
            n.payload,
            self.created_at,
            self.delivered_at,
            attempt_history=tuple(self.tries),
        )


class FakeDeliveries:
    def __init__(self, subscriptions: FakeSubscriptions) -> None:
        self.rows: dict[str, Row] = {}
        self.subscriptions = subscriptions

    def one(self) -> Row:
        (row,) = self.rows.values()
        return row

    async def add_all(self, deliveries: Sequence[NewDelivery]) -> None:
        for d in deliveries:
            if any(
                (r.new.event_id, r.new.principal) == (d.event_id, d.principal) for r in self.rows.values()
            ):
                continue
            self.rows[d.delivery_id] = Row(d, d.state, d.next_attempt_at, d.last_error, created_at=NOW)

    async def get(self, delivery_id: str) -> Delivery | None:
        row = self.rows.get(delivery_id)
        return row.delivery() if row else None

    async def page(
        self,
        *,
        principal: str | None,
        state: str | None,
        clue_id: str | None,
        limit: int,
        cursor: str | None,  # noqa: ARG002
    ) -> tuple[list[Delivery], str | None]:
        rows = [
            r.delivery()
            for r in self.rows.values()
            if principal in (None, r.new.principal)
            and state in (None, r.state)
            and clue_id in (None, r.new.clue_id)
        ]
        return rows[:limit], None

    async def hold_pending(self, principal: str, *, reason: str, now: datetime) -> None:  # noqa: ARG002
        for r in self.rows.values():
            if r.new.principal == principal and r.state == "pending":
                r.state, r.next_attempt_at, r.last_error = "failed", None, reason

    async def send_again(self, delivery_id: str, *, now: datetime) -> bool:
        row = self.rows.get(delivery_id)
        if row is None or row.state not in REDELIVERABLE:
            return False
        if row.state != "pending":
            row.retry_from = row.attempts
        row.state, row.next_attempt_at = "pending", now
        return True

    def _in_range(
        self, principal: str | None, state: str, since: datetime, until: datetime | None
    ) -> list[Row]:
        return [
            r
            for r in self.rows.values()
            if principal in (None, r.new.principal)
            and r.state == state
            and since <= r.created_at
            and (until is None or r.created_at < until)
        ]

    async def send_again_failed(
        self, *, principal: str | None, state: str, since: datetime, until: datetime | None, now: datetime
    ) -> int:
        enabled = {p for p, s in self.subscriptions.rows.items() if s.disabled_at is None}
        again = [r for r in self._in_range(principal, state, since, until) if r.new.principal in enabled]
        for r in again:
            r.state, r.retry_from, r.next_attempt_at = "pending", r.attempts, now
        return len(again)

    async def count(
        self, *, principal: str | None, state: str, since: datetime, until: datetime | None
    ) -> int:
        return len(self._in_range(principal, state, since, until))

    async def oldest_pending(self) -> datetime | None:
        waiting = [r.created_at for r in self.rows.values() if r.state in ("pending", "delivering")]
        return min(waiting, default=None)

    async def counts(self) -> tuple[int, int]:
        states = [r.state for r in self.rows.values()]
        return sum(s in ("pending", "delivering") for s in states), states.count("failed")

    async def claim(
        self, *, limit: int, lease_seconds: float, busy_urls: Sequence[str]
    ) -> tuple[datetime, list[Claimed]]:
        claimed: list[Claimed] = []
        for r in self.rows.values():
            sub = self.subscriptions.rows.get(r.new.principal)
            due = r.state == "pending" and r.next_attempt_at is not None and r.next_attempt_at <= NOW
            if not due or sub is None or sub.disabled_at is not None or sub.url in busy_urls:
                continue
            if len(claimed) == limit:
                break
            r.state, r.lease_until = "delivering", NOW + timedelta(seconds=lease_seconds)
            claimed.append(
                Claimed(
                    r.new.delivery_id,
                    dict(r.new.payload),
                    r.attempts,
                    r.lease_until,
                    sub.url,
                    sub.secret,
                    sub.previous_secret,
                    sub.previous_secret_until,
                    sub.principal,
                    r.new.traceparent,
                    r.retry_from,
                )
            )
        return NOW, claimed

    async def release(self, delivery_ids: Sequence[str]) -> None:
        for delivery_id in delivery_ids:
            self.rows[delivery_id].state, self.rows[delivery_id].lease_until = "pending", None

    async def hand_back(self, claimed: Sequence[Claimed]) -> None:
        for item in claimed:
            row = self.rows[item.delivery_id]
            if row.state == "delivering" and row.lease_until == item.lease_until:
                row.state, row.lease_until = "pending", None

    async def next_due(self, *, since: datetime) -> datetime | None:
        due = [r.next_attempt_at for r in self.rows.values() if r.state == "pending" and r.next_attempt_at]
        return min((d for d in due if d > since), default=None)

    async def record(
        self,
        claimed: Claimed,
        attempt: Attempt,
        *,
        after: AttemptOutcome,
        now: datetime,  # noqa: ARG002
    ) -> None:
        row = self.rows[claimed.delivery_id]
        row.tries.append(attempt)
        if row.state != "delivering" or row.lease_until != claimed.lease_until:
            return
        row.attempts, row.last_status, row.lease_until = claimed.attempts + 1, attempt.status, None
        row.state, row.next_attempt_at, row.last_error = after.state, after.next_attempt_at, after.last_error
        row.delivered_at = after.delivered_at or row.delivered_at


class FakeClueSources:
    def __init__(self) -> None:
        self.rows: dict[str, ClueSource] = {}

    async def remember(self, clue: ClueSource) -> None:
        self.rows[clue.clue_id] = clue

    async def remember_division(self, clue_id: str, *, source: str, submitted_by: str, division: str) -> None:
        known = self.rows.get(clue_id)
        self.rows[clue_id] = (
            replace(known, division=division)
            if known
            else ClueSource(clue_id, source, submitted_by, division, None, frozenset())
        )

    async def get(self, clue_id: str) -> ClueSource | None:
        return self.rows.get(clue_id)


class FakeHolders:
    def __init__(self) -> None:
        self.tasks: dict[str, tuple[str, str, str]] = {}

    async def record(self, *, task_id: str, clue_id: str, agency_id: str, state: str) -> None:
        self.tasks[task_id] = (clue_id, agency_id, state)

    async def unfinished_agencies(self, clue_id: str) -> list[str]:
        return sorted({a for c, a, s in self.tasks.values() if c == clue_id and s in UNFINISHED_TASK_STATES})


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.subscriptions = FakeSubscriptions()
        self.deliveries = FakeDeliveries(self.subscriptions)
        self.clues = FakeClueSources()
        self.holders = FakeHolders()

    def subscribed(self, principal: str, events: list[str], **fields: Any) -> Subscription:
        sub = Subscription(
            principal, f"https://hooks.example/{principal}", events, f"sealed[{principal}]:whsec_x"
        )
        sub = replace(sub, **fields)
        self.subscriptions.rows[principal] = sub
        return sub

    def delivery(self, principal: str, state: DeliveryState = "failed", **fields: Any) -> Row:
        new = NewDelivery(
            f"msg_{len(self.deliveries.rows)}",
            f"e-{len(self.deliveries.rows)}",
            "clue.status",
            "c-1",
            principal,
            False,
            {"type": "clue.status"},
            state,
            NOW if state == "pending" else None,
            None,
            NOW,
            None,
        )
        row = Row(new, state, new.next_attempt_at, None, created_at=NOW)
        for name, value in fields.items():
            setattr(row, name, value)
        self.deliveries.rows[new.delivery_id] = row
        return row
