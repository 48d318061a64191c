"""Abuse limits (issue 13): a token bucket per key for writes, and a lockout per failing address."""

import pytest

from shared.limits import AbuseLimits, WriteLimit
from shared.problems import ProblemError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limits(clock: Clock, *, failures: int = 3) -> AbuseLimits:
    return AbuseLimits(
        writes={"source": WriteLimit(per_second=2.0, burst=3)},
        failures_per_address=failures,
        failure_window_seconds=60.0,
        clock=clock,
    )


def test_a_key_writes_its_burst_then_waits_for_tokens() -> None:
    clock = Clock()
    limiter = limits(clock)
    for _ in range(3):
        limiter.take_write("source:national", "source")
    with pytest.raises(ProblemError) as refused:
        limiter.take_write("source:national", "source")
    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "1"}
    limiter.take_write("source:city", "source")  # another key has its own bucket
    clock.now += 0.5  # one token back at 2 a second
    limiter.take_write("source:national", "source")
    with pytest.raises(ProblemError):
        limiter.take_write("source:national", "source")


def test_a_kind_without_a_limit_is_not_counted() -> None:
    limiter = limits(Clock())
    for _ in range(100):
        limiter.take_write("admin", "admin")


def test_an_address_is_locked_out_after_its_failures_until_the_window_ends() -> None:
    clock = Clock()
    limiter = limits(clock)
    for _ in range(3):
        limiter.check_address("10.0.0.7")
        limiter.failed("10.0.0.7")
    with pytest.raises(ProblemError) as refused:
        limiter.check_address("10.0.0.7")
    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "60"}
    limiter.check_address("10.0.0.8")  # another address is not
    clock.now += 45
    with pytest.raises(ProblemError) as still:
        limiter.check_address("10.0.0.7")
    assert still.value.headers == {"Retry-After": "15"}
    clock.now += 15
    limiter.check_address("10.0.0.7")


def test_failures_spread_over_more_than_a_window_never_lock_out() -> None:
    clock = Clock()
    limiter = limits(clock)
    for _ in range(10):
        limiter.failed("10.0.0.7")
        limiter.failed("10.0.0.7")
        clock.now += 61
        limiter.check_address("10.0.0.7")
