"""The delivery worker's use cases: lease due deliveries, record each try, hand back at shutdown."""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from notify.app.ports import SecretBox, UnitOfWork
from notify.domain.model import DISABLED_BY_410, Attempt, AttemptOutcome, Claimed
from notify.domain.retries import next_attempt_at, outcome_of

GONE = "410 Gone: the subscription is disabled"


async def claim_due_deliveries(
    *,
    uow: UnitOfWork,
    limit: int,
    lease_seconds: float,
    in_flight: Mapping[str, int],
    per_endpoint: int,
    secret_box: SecretBox,
) -> tuple[datetime, list[Claimed]]:
    """Lease up to ``limit`` due deliveries, at most ``per_endpoint`` in flight per URL, their secrets
    opened; the rest go straight back. Also the database's time of the claim."""
    busy = [url for url, n in in_flight.items() if n >= per_endpoint]
    claimed_at, claimed = await uow.deliveries.claim(limit=limit, lease_seconds=lease_seconds, busy_urls=busy)
    kept, returned = [], []
    per_url = Counter(in_flight)
    for item in claimed:
        if per_url[item.url] < per_endpoint:
            per_url[item.url] += 1
            kept.append(item)
        else:
            returned.append(item.delivery_id)
    if returned:
        await uow.deliveries.release(returned)
    return claimed_at, [_opened(item, secret_box) for item in kept]


def _opened(item: Claimed, secret_box: SecretBox) -> Claimed:
    """The claimed delivery with its secrets opened (they are sealed at rest)."""
    return replace(
        item,
        secret=secret_box.open(item.secret, principal=item.principal),
        previous_secret=secret_box.open_optional(item.previous_secret, principal=item.principal),
    )


async def record_attempt(
    claimed: Claimed,
    attempt: Attempt,
    *,
    uow: UnitOfWork,
    now: datetime,
    schedule: Sequence[float],
    jitter: float,
    rng: random.Random,
) -> str:
    """Store the try and what follows: done, retried later, or failed; a 410 disables the
    subscription and holds its pending deliveries. The outcome (``succeeded``, ``gone``, ``retry``)."""
    outcome = outcome_of(attempt.status)
    if outcome == "succeeded":
        after = AttemptOutcome("succeeded", None, attempt.error, delivered_at=now)
    elif outcome == "gone":
        after = AttemptOutcome("failed", None, GONE)
    else:
        retry_at = next_attempt_at(
            # Tries since the last redelivery: each redelivery follows the schedule afresh.
            attempts_made=claimed.attempts + 1 - claimed.retry_from,
            schedule=schedule,
            now=now,
            jitter=jitter,
            rng=rng,
            retry_after=attempt.retry_after,
        )
        after = AttemptOutcome("pending" if retry_at else "failed", retry_at, attempt.error)
    await uow.deliveries.record(claimed, attempt, after=after, now=now)
    if outcome == "gone":
        reason = f"the endpoint answered 410 Gone at {now.isoformat()}"
        if await uow.subscriptions.disable(claimed.principal, url=claimed.url, reason=reason, now=now):
            await uow.deliveries.hold_pending(claimed.principal, reason=DISABLED_BY_410, now=now)
    return outcome


async def hand_back(claimed: Sequence[Claimed], *, uow: UnitOfWork) -> None:
    """Deliveries claimed and not recorded become due again (shutdown), if still leased as claimed."""
    await uow.deliveries.hand_back(claimed)


async def next_due(*, uow: UnitOfWork, since: datetime) -> datetime | None:
    """When the next delivery falls due that was not yet due at the last claim."""
    return await uow.deliveries.next_due(since=since)
