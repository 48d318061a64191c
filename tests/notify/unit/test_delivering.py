"""The worker's use cases against fakes: claiming due deliveries and recording each try."""

import random
from datetime import timedelta

from notify.app.delivering import GONE, claim_due_deliveries, hand_back, next_due, record_attempt
from notify.domain.model import DISABLED_BY_410, Attempt, Claimed
from tests.notify.unit.fakes import NOW, FakeSecretBox, FakeUnitOfWork

OWNER = "agency:330106.hrss"
SCHEDULE = [0.0, 5.0, 300.0]


async def claim(uow: FakeUnitOfWork, in_flight: dict[str, int] | None = None) -> list[Claimed]:
    _, claimed = await claim_due_deliveries(
        uow=uow,
        limit=10,
        lease_seconds=45,
        in_flight=in_flight or {},
        per_endpoint=2,
        secret_box=FakeSecretBox(),
    )
    return claimed


async def test_due_deliveries_are_leased_with_their_secrets_opened_within_the_endpoint_bound() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    rows = [uow.delivery(OWNER, "pending") for _ in range(3)]
    claimed = await claim(uow, {"https://hooks.example/other": 1})
    assert len(claimed) == 2
    assert claimed[0].secret == "whsec_x"
    assert [r.state for r in rows] == ["delivering", "delivering", "pending"]  # the third went back


async def test_a_busy_endpoint_gets_nothing_more() -> None:
    uow = FakeUnitOfWork()
    sub = uow.subscribed(OWNER, ["clue.status"])
    uow.delivery(OWNER, "pending")
    assert await claim(uow, {sub.url: 2}) == []


def attempt(status: int | None, error: str | None = None) -> Attempt:
    return Attempt(status=status, error=error, started_at=NOW, duration_ms=12)


async def record(uow: FakeUnitOfWork, item: Claimed, tried: Attempt) -> str:
    return await record_attempt(
        item, tried, uow=uow, now=NOW, schedule=SCHEDULE, jitter=0.0, rng=random.Random(1)
    )


async def test_a_2xx_succeeds() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "pending")
    (item,) = await claim(uow)
    assert await record(uow, item, attempt(204)) == "succeeded"
    assert (row.state, row.attempts, row.delivered_at, row.last_status) == ("succeeded", 1, NOW, 204)
    assert row.tries == [attempt(204)]


async def test_a_failure_is_retried_on_the_schedule_then_fails() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "pending", attempts=1)
    (item,) = await claim(uow)
    assert await record(uow, item, attempt(500, "HTTP 500")) == "retry"
    assert (row.state, row.next_attempt_at, row.last_error) == (
        "pending",
        NOW + timedelta(seconds=300),
        "HTTP 500",
    )
    row.state, row.next_attempt_at = "pending", NOW
    (item,) = await claim(uow)
    await record(uow, item, attempt(None, "ConnectError: refused"))
    spent = uow.deliveries.rows[row.new.delivery_id]
    assert (spent.state, spent.attempts, spent.next_attempt_at) == ("failed", 3, None)


async def test_410_disables_the_subscription_and_holds_its_pending_deliveries() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    sent = uow.delivery(OWNER, "pending")
    (item,) = await claim(uow)
    waiting = uow.delivery(OWNER, "pending")
    assert await record(uow, item, attempt(410, "HTTP 410")) == "gone"
    assert (sent.state, sent.last_error) == ("failed", GONE)
    assert (waiting.state, waiting.last_error) == ("failed", DISABLED_BY_410)
    assert uow.subscriptions.rows[OWNER].disabled_at == NOW


async def test_a_lost_lease_records_the_try_but_not_the_outcome() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "pending")
    (item,) = await claim(uow)
    row.lease_until = NOW + timedelta(hours=1)  # another worker leased it after the lease ran out
    await record(uow, item, attempt(200))
    assert (row.state, len(row.tries)) == ("delivering", 1)


async def test_shutdown_hands_leased_deliveries_back_and_the_next_due_is_known() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "pending")
    later = uow.delivery(OWNER, "pending", next_attempt_at=NOW + timedelta(minutes=5))
    claimed = await claim(uow)
    await hand_back(claimed, uow=uow)
    assert (row.state, row.lease_until) == ("pending", None)
    assert await next_due(uow=uow, since=NOW) == later.next_attempt_at
