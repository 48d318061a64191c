"""What notify's use cases need from storage and from the outside; store/ and the worker implement these."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from notify.domain.model import (
    Attempt,
    AttemptOutcome,
    Claimed,
    Delivery,
    NewDelivery,
    Subscriber,
    Subscription,
)
from notify.domain.recipients import ClueSource


class Subscriptions(Protocol):
    async def get(self, principal: str, *, lock: bool = False) -> Subscription | None: ...

    async def add(self, subscription: Subscription) -> None: ...

    async def update(self, subscription: Subscription) -> None:
        """Store every field of the principal's subscription as given."""

    async def delete(self, principal: str) -> bool: ...

    async def subscribers(self, principals: Sequence[str]) -> list[Subscriber]: ...

    async def disable(self, principal: str, *, url: str, reason: str, now: datetime) -> bool:
        """Disable the subscription if it still points at ``url``; False when it does not."""
        ...

    async def with_legacy_secrets(self) -> list[Subscription]:
        """Subscriptions whose secrets were stored before they were sealed, locked for update."""
        ...


class Deliveries(Protocol):
    async def add_all(self, deliveries: Sequence[NewDelivery]) -> None:
        """Add each unless its (event, principal) already has one (a redelivered event)."""

    async def get(self, delivery_id: str) -> Delivery | None: ...

    async def page(
        self, *, principal: str | None, state: str | None, clue_id: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Delivery], str | None]:
        """Newest first; ``principal`` None for every principal's. The next page's cursor, or None."""
        ...

    async def hold_pending(self, principal: str, *, reason: str, now: datetime) -> None:
        """The principal's pending deliveries become ``failed`` with ``reason`` (to redeliver later)."""

    async def send_again(self, delivery_id: str, *, now: datetime) -> bool:
        """Make a failed or succeeded delivery due now; False when it is in neither state."""
        ...

    async def send_again_failed(
        self, *, principal: str | None, state: str, since: datetime, until: datetime | None, now: datetime
    ) -> int:
        """Make due now the deliveries in ``state`` created in the range whose subscription is enabled."""
        ...

    async def count(
        self, *, principal: str | None, state: str, since: datetime, until: datetime | None
    ) -> int: ...

    async def oldest_pending(self) -> datetime | None:
        """When the oldest delivery still pending or being sent was created; None when there is none."""
        ...

    async def counts(self) -> tuple[int, int]:
        """(pending or delivering, failed): the gauges of /metrics."""
        ...

    async def claim(
        self, *, limit: int, lease_seconds: float, busy_urls: Sequence[str]
    ) -> tuple[datetime, list[Claimed]]:
        """Lease due deliveries (expired leases first fall back to pending); the database's now."""
        ...

    async def release(self, delivery_ids: Sequence[str]) -> None:
        """Claimed deliveries handed straight back: pending again, no lease."""

    async def hand_back(self, claimed: Sequence[Claimed]) -> None:
        """Pending again those still leased as claimed (shutdown)."""

    async def next_due(self, *, since: datetime) -> datetime | None: ...

    async def record(
        self, claimed: Claimed, attempt: Attempt, *, after: AttemptOutcome, now: datetime
    ) -> None:
        """Store the attempt, and the delivery's state after it while the lease is still the one claimed."""


class ClueSources(Protocol):
    async def remember(self, clue: ClueSource) -> None:
        """From ``clue.received``: the clue's source, division, project kind and flags."""

    async def remember_division(self, clue_id: str, *, source: str, submitted_by: str, division: str) -> None:
        """From ``clue.status``, which may come before ``clue.received``: keeps the rest if known."""

    async def get(self, clue_id: str) -> ClueSource | None: ...


class TaskHolders(Protocol):
    async def record(self, *, task_id: str, clue_id: str, agency_id: str, state: str) -> None: ...

    async def unfinished_agencies(self, clue_id: str) -> list[str]:
        """Agencies holding open or accepted tasks on the clue, sorted."""
        ...


class SecretBox(Protocol):
    """Seals and opens webhook secrets, bound to their principal."""

    def seal(self, secret: str, *, principal: str) -> str: ...

    def open(self, stored: str, *, principal: str) -> str: ...

    def open_optional(self, stored: str | None, *, principal: str) -> str | None: ...


class TargetCheck(Protocol):
    """Resolves a webhook URL and refuses it (UrlRefused) unless every address may be reached."""

    async def __call__(self, url: str) -> str: ...


class UnitOfWork(Protocol):
    """One transaction's repositories; the boundary that opened it commits it."""

    @property
    def subscriptions(self) -> Subscriptions: ...

    @property
    def deliveries(self) -> Deliveries: ...

    @property
    def clues(self) -> ClueSources: ...

    @property
    def holders(self) -> TaskHolders: ...
