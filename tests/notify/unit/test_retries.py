"""The retry schedule: waits from the configuration, jitter within bounds, then ``failed``."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from notify.domain.retries import MAX_RETRY_AFTER_SECONDS, next_attempt_at, outcome_of, retry_after_seconds
from notify.settings import NotifySettings

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
DEFAULT = NotifySettings().schedule()


def test_default_schedule_is_the_standard_webhooks_one() -> None:
    assert DEFAULT == [0, 5, 300, 1800, 7200, 18000, 36000, 36000]


def test_schedule_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANXIN_NOTIFY_RETRY_SCHEDULE", "0, 1,1,1")
    assert NotifySettings().schedule() == [0.0, 1.0, 1.0, 1.0]


@pytest.mark.parametrize("attempts_made", range(1, len(DEFAULT)))
def test_each_wait_stays_within_its_jitter(attempts_made: int) -> None:
    rng = random.Random(attempts_made)
    wait = DEFAULT[attempts_made]
    for _ in range(200):
        at = next_attempt_at(attempts_made=attempts_made, schedule=DEFAULT, now=NOW, jitter=0.1, rng=rng)
        assert at is not None
        assert timedelta(seconds=wait * 0.9) <= at - NOW <= timedelta(seconds=wait * 1.1)


def test_jitter_actually_spreads_the_waits() -> None:
    rng = random.Random(7)
    waits = {
        next_attempt_at(attempts_made=2, schedule=DEFAULT, now=NOW, jitter=0.1, rng=rng) for _ in range(20)
    }
    assert len(waits) > 10


def test_waits_grow_along_the_schedule() -> None:
    rng = random.Random(1)
    waits = [
        next_attempt_at(attempts_made=n, schedule=DEFAULT, now=NOW, jitter=0.0, rng=rng)
        for n in range(1, len(DEFAULT))
    ]
    assert waits == sorted(w for w in waits if w is not None)
    assert waits[0] == NOW + timedelta(seconds=5)


def test_no_retry_after_the_last_try() -> None:
    rng = random.Random(1)
    schedule = [0.0, 1.0, 1.0, 1.0]
    assert next_attempt_at(attempts_made=3, schedule=schedule, now=NOW, jitter=0.1, rng=rng) is not None
    assert next_attempt_at(attempts_made=4, schedule=schedule, now=NOW, jitter=0.1, rng=rng) is None


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, "succeeded"),
        (204, "succeeded"),
        (299, "succeeded"),
        (410, "gone"),
        (301, "retry"),
        (404, "retry"),
        (429, "retry"),
        (500, "retry"),
        (503, "retry"),
        (None, "retry"),
    ],
)
def test_outcome_of_an_answer(status: int | None, outcome: str) -> None:
    assert outcome_of(status) == outcome


@pytest.mark.parametrize(
    ("status", "header", "seconds"),
    [
        (429, "30", 30.0),
        (503, " 120 ", 120.0),
        (502, "5", 5.0),
        (503, "9999999", MAX_RETRY_AFTER_SECONDS),
        (500, "30", None),
        (429, None, None),
        (429, "Wed, 21 Oct 2026 07:28:00 GMT", None),
        (429, "-5", None),
    ],
)
def test_retry_after_is_read_from_slow_down_answers(
    status: int, header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(status, header) == seconds


def test_retry_after_pushes_the_next_try_later_but_never_earlier() -> None:
    rng = random.Random(3)
    later = next_attempt_at(attempts_made=1, schedule=DEFAULT, now=NOW, jitter=0.1, rng=rng, retry_after=60)
    assert later == NOW + timedelta(seconds=60)
    sooner = next_attempt_at(attempts_made=3, schedule=DEFAULT, now=NOW, jitter=0.0, rng=rng, retry_after=60)
    assert sooner == NOW + timedelta(seconds=1800)


def test_retry_after_does_not_extend_a_spent_schedule() -> None:
    rng = random.Random(3)
    assert (
        next_attempt_at(attempts_made=8, schedule=DEFAULT, now=NOW, jitter=0.1, rng=rng, retry_after=5)
        is None
    )
