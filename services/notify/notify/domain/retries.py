"""The retry schedule of a delivery: exponential waits with jitter, then ``failed``."""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta


def next_attempt_at(
    *, attempts_made: int, schedule: Sequence[float], now: datetime, jitter: float, rng: random.Random
) -> datetime | None:
    """When to try again after ``attempts_made`` failed tries; None when the schedule is spent."""
    if attempts_made >= len(schedule):
        return None
    wait = schedule[attempts_made]
    spread = wait * jitter
    return now + timedelta(seconds=max(0.0, wait + rng.uniform(-spread, spread)))


def outcome_of(status: int | None) -> str:
    """``succeeded`` on 2xx, ``gone`` on 410 (disable the subscription), else ``retry``."""
    if status is not None and 200 <= status < 300:
        return "succeeded"
    if status == 410:
        return "gone"
    return "retry"
