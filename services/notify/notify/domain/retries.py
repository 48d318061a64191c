"""The retry schedule of a delivery: exponential waits with jitter, then ``failed``."""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

SLOW_DOWN = frozenset({429, 502, 503})
#: A Retry-After beyond this is taken as this, so one answer cannot park a delivery for ever.
MAX_RETRY_AFTER_SECONDS = 86_400.0


def next_attempt_at(
    *,
    attempts_made: int,
    schedule: Sequence[float],
    now: datetime,
    jitter: float,
    rng: random.Random,
    retry_after: float | None = None,
) -> datetime | None:
    """When to try again after ``attempts_made`` failed tries; None when the schedule is spent.

    A ``Retry-After`` from the endpoint can only push the next try later, never earlier.
    """
    if attempts_made >= len(schedule):
        return None
    wait = schedule[attempts_made]
    spread = wait * jitter
    wait = max(0.0, wait + rng.uniform(-spread, spread))
    if retry_after is not None:
        wait = max(wait, retry_after)
    return now + timedelta(seconds=wait)


def retry_after_seconds(status: int, header: str | None) -> float | None:
    """The delay a 429, 502 or 503 asks for in whole seconds, capped; None otherwise."""
    value = (header or "").strip()
    if status not in SLOW_DOWN or not value.isdigit():
        return None
    return min(float(value), MAX_RETRY_AFTER_SECONDS)


def outcome_of(status: int | None) -> str:
    """``succeeded`` on 2xx, ``gone`` on 410 (disable the subscription), else ``retry``."""
    if status is not None and 200 <= status < 300:
        return "succeeded"
    if status == 410:
        return "gone"
    return "retry"
