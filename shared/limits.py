"""Abuse limits (issue 13): writes per key, and failed authentications per client address.

Counted in each instance's memory, so N instances of a service allow N times the limits: they bound a
runaway client or a key-guessing address, they are not quotas. Both answer 429 problem+json with
``Retry-After`` (docs/decisions.md, Issue 13: abuse).
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from shared.problems import ProblemError

#: Addresses and keys tracked at most; the stalest are forgotten first.
MAX_TRACKED = 100_000


@dataclass(frozen=True, slots=True)
class WriteLimit:
    """A token bucket: ``per_second`` sustained, up to ``burst`` at once."""

    per_second: float
    burst: int


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


@dataclass(slots=True)
class _Failures:
    window_started: float
    count: int


class AbuseLimits:
    def __init__(
        self,
        *,
        writes: dict[str, WriteLimit],
        failures_per_address: int,
        failure_window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._writes = writes
        self._failures_allowed = failures_per_address
        self._window = failure_window_seconds
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._failures: dict[str, _Failures] = {}

    def take_write(self, principal: str, kind: str) -> None:
        """One write by ``principal`` (of ``kind``: source, agency, admin); 429 when its bucket is empty."""
        limit = self._writes.get(kind)
        if limit is None:
            return
        now = self._clock()
        bucket = self._buckets.get(principal)
        if bucket is None:
            _forget_stalest(self._buckets)
            bucket = self._buckets[principal] = _Bucket(float(limit.burst), now)
        bucket.tokens = min(float(limit.burst), bucket.tokens + (now - bucket.updated) * limit.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return
        wait = (1 - bucket.tokens) / limit.per_second
        raise too_many(
            wait,
            f"More than {limit.burst} writes at once, or {limit.per_second:g} a second, with this key. "
            "Slow down and retry after the time in Retry-After.",
        )

    def check_address(self, address: str) -> None:
        """429 while the address is locked out for failing to authenticate too often."""
        failures = self._failures.get(address)
        if failures is None or failures.count < self._failures_allowed:
            return
        wait = failures.window_started + self._window - self._clock()
        if wait <= 0:
            del self._failures[address]
            return
        raise too_many(
            wait,
            f"{failures.count} failed authentications from this address in {self._window:g} s. "
            "Check the key, then retry after the time in Retry-After.",
        )

    def failed(self, address: str) -> None:
        now = self._clock()
        failures = self._failures.get(address)
        if failures is None or now - failures.window_started >= self._window:
            _forget_stalest(self._failures)
            self._failures[address] = _Failures(now, 1)
        else:
            failures.count += 1


def too_many(wait_seconds: float, detail: str) -> ProblemError:
    return ProblemError(
        429, "Too Many Requests", detail, headers={"Retry-After": str(max(1, math.ceil(wait_seconds)))}
    )


def _forget_stalest(tracked: dict[str, _Bucket] | dict[str, _Failures]) -> None:
    if len(tracked) >= MAX_TRACKED:
        del tracked[next(iter(tracked))]  # dicts keep insertion order: the first is the oldest
