"""Subscription use cases against fakes: subscribe, read, rotate, unsubscribe, legacy secrets."""

from datetime import timedelta

import pytest

from notify.app.commands import Subscribe
from notify.app.subscriptions import (
    read_subscription,
    rotate_secret,
    seal_legacy_secrets,
    subscribe,
    unsubscribe,
)
from notify.domain.model import NOT_SENT_REMOVED
from shared.auth import Principal
from shared.errors import InvalidError, NotFoundError
from shared.problems import domain_problem
from tests.notify.unit.fakes import NOW, FakeSecretBox, FakeTargets, FakeUnitOfWork

OWNER = Principal.parse("agency:330106.hrss")
URL = "https://hooks.example/anxin"


async def put(uow: FakeUnitOfWork, url: str = URL, targets: FakeTargets | None = None) -> str:
    return await subscribe(
        Subscribe(OWNER, url, ("clue.status",)),
        uow=uow,
        now=NOW,
        secret_box=FakeSecretBox(),
        check_target=targets or FakeTargets(),
    )


async def test_subscribing_stores_the_secret_sealed_and_answers_it_in_clear() -> None:
    uow = FakeUnitOfWork()
    secret = await put(uow)
    stored = uow.subscriptions.rows[str(OWNER)]
    assert secret.startswith("whsec_")
    assert stored.secret == f"sealed[{OWNER}]:{secret}"
    assert (stored.url, stored.events) == (URL, ["clue.status"])


async def test_subscribing_again_keeps_the_secret_and_enables_it() -> None:
    uow = FakeUnitOfWork()
    first = await put(uow)
    uow.subscribed(str(OWNER), ["clue.status"], secret=f"sealed[{OWNER}]:{first}", disabled_at=NOW)
    again = await put(uow, "https://hooks.example/other")
    stored = uow.subscriptions.rows[str(OWNER)]
    assert again == first
    assert (stored.url, stored.disabled_at, stored.updated_at) == ("https://hooks.example/other", None, NOW)


async def test_a_refused_url_is_invalid_on_the_url_field_and_nothing_is_stored() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidError) as caught:
        await put(uow, targets=FakeTargets(refused="10.0.0.1 is not a public address"))
    body = domain_problem(caught.value).body()
    assert body["status"] == 422
    assert body["errors"] == [{"field": "url", "message": "10.0.0.1 is not a public address"}]
    assert uow.subscriptions.rows == {}


async def test_reading_a_missing_subscription_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="No subscription"):
        await read_subscription(OWNER, uow=FakeUnitOfWork())


async def test_unsubscribing_holds_pending_deliveries() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(str(OWNER), ["clue.status"])
    row = uow.delivery(str(OWNER), "pending")
    await unsubscribe(OWNER, uow=uow, now=NOW)
    assert uow.subscriptions.rows == {}
    assert (row.state, row.last_error) == ("failed", NOT_SENT_REMOVED)
    with pytest.raises(NotFoundError):
        await unsubscribe(OWNER, uow=uow, now=NOW)


async def test_rotating_keeps_the_old_secret_signing_for_the_overlap() -> None:
    uow = FakeUnitOfWork()
    old = uow.subscribed(str(OWNER), ["clue.status"]).secret
    rotated = await rotate_secret(
        OWNER, uow=uow, now=NOW, overlap=timedelta(hours=24), secret_box=FakeSecretBox()
    )
    stored = uow.subscriptions.rows[str(OWNER)]
    assert rotated.previous_secret_valid_until == NOW + timedelta(hours=24)
    assert (stored.previous_secret, stored.previous_secret_until) == (old, NOW + timedelta(hours=24))
    assert stored.secret == f"sealed[{OWNER}]:{rotated.secret}"


async def test_legacy_secrets_are_sealed_at_start_up() -> None:
    uow = FakeUnitOfWork()
    uow.subscribed(str(OWNER), ["clue.status"], secret="whsec_plain", previous_secret="whsec_old")
    assert await seal_legacy_secrets(uow=uow, secret_box=FakeSecretBox()) == 1
    stored = uow.subscriptions.rows[str(OWNER)]
    assert (stored.secret, stored.previous_secret) == (
        f"sealed[{OWNER}]:whsec_plain",
        f"sealed[{OWNER}]:whsec_old",
    )


async def test_events_that_never_reach_the_caller_are_refused_by_name() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidError) as caught:
        await subscribe(
            Subscribe(Principal.parse("source:petition"), URL, ("clue.status", "task.assigned")),
            uow=uow,
            now=NOW,
            secret_box=FakeSecretBox(),
            check_target=FakeTargets(),
        )
    [error] = domain_problem(caught.value).body()["errors"]
    assert error["field"] == "events"
    assert error["message"].startswith("never delivered to source:petition: task.assigned;")
    assert uow.subscriptions.rows == {}
