"""Delivery use cases against fakes: listing, reading, and sending again."""

from datetime import timedelta

import pytest

from notify.app.commands import ListDeliveries, RedeliverFailed, RedeliverRange
from notify.app.deliveries import (
    delivery_counts,
    list_deliveries,
    read_delivery,
    redeliver,
    redeliver_failed,
    redeliver_range,
    webhook_backlog,
)
from shared.auth import Principal
from shared.errors import ConflictError, InvalidError, NotFoundError
from shared.problems import ProblemError, domain_problem
from tests.notify.unit.fakes import NOW, FakeUnitOfWork

OWNER = "agency:330106.hrss"
OTHER = "agency:330106.gov"
ADMIN = Principal.parse("admin")
LATER = NOW + timedelta(minutes=5)


def listing(reader: str) -> ListDeliveries:
    return ListDeliveries(Principal.parse(reader), state=None, clue_id=None, limit=50, cursor=None)


async def test_a_principal_lists_its_own_deliveries_and_admin_every_one() -> None:
    uow = FakeUnitOfWork()
    mine = uow.delivery(OWNER)
    uow.delivery(OTHER)
    own, _ = await list_deliveries(listing(OWNER), uow=uow)
    assert [d.delivery_id for d in own] == [mine.new.delivery_id]
    every, _ = await list_deliveries(listing("admin"), uow=uow)
    assert len(every) == 2


async def test_another_principals_delivery_is_not_found() -> None:
    uow = FakeUnitOfWork()
    theirs = uow.delivery(OTHER)
    with pytest.raises(NotFoundError, match="No delivery"):
        await read_delivery(theirs.new.delivery_id, reader=Principal.parse(OWNER), uow=uow)
    assert (await read_delivery(theirs.new.delivery_id, reader=ADMIN, uow=uow)).principal == OTHER


async def test_a_failed_delivery_is_sent_again_keeping_its_attempts_on_a_fresh_schedule() -> None:
    # Issue 18: redelivery no longer resets ``attempts`` (every try is kept).
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "failed", attempts=8)
    again = await redeliver(row.new.delivery_id, reader=Principal.parse(OWNER), uow=uow, now=LATER)
    assert (again.state, again.attempts, again.next_attempt_at) == ("pending", 8, LATER)
    assert row.retry_from == 8


async def test_a_pending_delivery_is_sent_at_once() -> None:
    # Issue 18: "deliver now" on a pending delivery (it used to be a 409).
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "pending", attempts=2)
    row.next_attempt_at = LATER + timedelta(hours=1)
    again = await redeliver(row.new.delivery_id, reader=Principal.parse(OWNER), uow=uow, now=LATER)
    assert (again.state, again.attempts, again.next_attempt_at) == ("pending", 2, LATER)
    assert row.retry_from == 0, "its retry schedule goes on"


async def test_a_delivery_being_sent_is_not_sent_again() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    row = uow.delivery(OWNER, "delivering")
    with pytest.raises(ConflictError) as caught:
        await redeliver(row.new.delivery_id, reader=Principal.parse(OWNER), uow=uow, now=LATER)
    body = domain_problem(caught.value).body()
    assert (body["status"], body["state"]) == (409, "delivering")
    assert body["detail"] == (
        "the delivery is delivering; only pending or failed or succeeded ones are sent again"
    )


async def test_without_an_enabled_subscription_nothing_is_sent_again() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"], disabled_at=NOW)
    row = uow.delivery(OWNER, "failed")
    with pytest.raises(ConflictError) as caught:
        await redeliver(row.new.delivery_id, reader=Principal.parse(OWNER), uow=uow, now=LATER)
    assert domain_problem(caught.value).body()["state"] == "failed"
    with pytest.raises(ConflictError) as caught:
        await redeliver_failed(RedeliverFailed(Principal.parse(OWNER), NOW, None), uow=uow, now=LATER)
    assert domain_problem(caught.value).body()["state"] is None
    assert row.state == "failed"


async def test_the_callers_failed_deliveries_in_a_range_are_sent_again() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    uow.subscribed(OTHER, ["clue.status"])
    mine, theirs = uow.delivery(OWNER), uow.delivery(OTHER)
    count = await redeliver_failed(
        RedeliverFailed(Principal.parse(OWNER), NOW - timedelta(hours=1), None), uow=uow, now=LATER
    )
    assert count == 1
    assert (mine.state, theirs.state) == ("pending", "failed")


async def test_a_range_that_ends_before_it_starts_is_invalid() -> None:
    with pytest.raises(InvalidError) as caught:
        await redeliver_failed(
            RedeliverFailed(Principal.parse(OWNER), NOW, NOW), uow=FakeUnitOfWork(), now=LATER
        )
    assert caught.value.errors == [{"field": "until", "message": "until must be later than since"}]


async def test_admin_sends_again_every_principals_failed_ones_and_counts_the_skipped() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(OWNER, ["clue.status"])
    uow.delivery(OWNER)
    uow.delivery(OTHER)  # no subscription: skipped
    command = RedeliverRange(ADMIN, "failed", NOW - timedelta(hours=1), None, None)
    assert await redeliver_range(command, uow=uow, now=LATER) == (1, 1)
    assert await delivery_counts(uow=uow) == (1, 1)


async def test_only_admin_sends_a_range_again() -> None:
    command = RedeliverRange(Principal.parse(OWNER), "failed", NOW, None, None)
    with pytest.raises(ProblemError) as caught:
        await redeliver_range(command, uow=FakeUnitOfWork(), now=LATER)
    assert caught.value.status == 403


async def test_the_webhook_backlog_counts_waiting_and_failed_and_ages_the_oldest_waiting() -> None:
    uow = FakeUnitOfWork()
    uow.delivery(OWNER, "pending")
    uow.delivery(OWNER, "failed")
    backlog = await webhook_backlog(uow=uow, now=NOW + timedelta(minutes=5))
    assert (backlog.pending, backlog.failed, backlog.oldest_pending_seconds) == (1, 1, 300.0)
    empty = await webhook_backlog(uow=FakeUnitOfWork(), now=NOW)
    assert (empty.pending, empty.failed, empty.oldest_pending_seconds) == (0, 0, 0.0)
