"""Retries with backoff, ``failed`` after the last try, redelivery, and 410 disabling a subscription.

Notify runs with ANXIN_NOTIFY_RETRY_SCHEDULE=0,1,1,1: four tries about a second apart.
"""

import itertools
from datetime import datetime

from standardwebhooks.webhooks import Webhook

from tests.notify.integration.hooks import (
    deliveries,
    hook_path,
    received_for,
    submit_onsite,
    subscribe,
    wait_delivery,
    wait_received,
)
from tests.support.receiver import WebhookReceiver
from tests.support.stack import NOTIFY, client

TRIES = 4


async def test_retries_after_failures_then_succeeds_with_one_webhook_id(receiver: WebhookReceiver) -> None:
    agency = "330108.construction"
    path = hook_path("flaky/2", "retry")
    secret = await subscribe(f"agency:{agency}", receiver.url(path), ["clue.status"])

    clue_id = await submit_onsite(agency)
    delivery = await wait_delivery(f"agency:{agency}", clue_id, "succeeded")
    requests = received_for(receiver, path, clue_id)

    assert len(requests) == 3
    assert {r.headers["webhook-id"] for r in requests} == {delivery["delivery_id"]}
    for request in requests:
        Webhook(secret).verify(request.body, request.headers)
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(requests)]
    assert all(gap >= 0.8 for gap in gaps), f"the retries did not wait: {gaps}"
    assert delivery["attempts"] == 3
    assert delivery["last_status"] == 204
    assert delivery["delivered_at"] is not None


async def test_permanent_failure_is_listed_as_failed_then_redelivered(receiver: WebhookReceiver) -> None:
    agency, principal = "330108.transport", "agency:330108.transport"
    failing = hook_path("status/500", "dead")
    await subscribe(principal, receiver.url(failing), ["clue.status"])

    clue_id = await submit_onsite(agency)
    failed = await wait_delivery(principal, clue_id, "failed")
    assert failed["attempts"] == TRIES
    assert failed["last_status"] == 500
    assert failed["next_attempt_at"] is None
    tries = received_for(receiver, failing, clue_id)
    assert len(tries) == TRIES
    assert {r.headers["webhook-id"] for r in tries} == {failed["delivery_id"]}
    listed = await deliveries(principal, clue_id, state="failed")
    assert [d["delivery_id"] for d in listed] == [failed["delivery_id"]]
    assert await deliveries(principal, clue_id, state="succeeded") == []

    fixed = hook_path("ok", "fixed")
    await subscribe(principal, receiver.url(fixed), ["clue.status"])
    async with client(NOTIFY, principal) as notify:
        again = await notify.post(f"/v1/deliveries/{failed['delivery_id']}/redeliver")
    assert again.status_code == 202, again.text
    assert again.json()["state"] in ("pending", "delivering", "succeeded")

    succeeded = await wait_delivery(principal, clue_id, "succeeded")
    [redelivered] = await wait_received(receiver, fixed, clue_id)
    assert redelivered.headers["webhook-id"] == failed["delivery_id"]
    assert redelivered.body == tries[0].body
    # Issue 18 (item 6): the tries before the redelivery are kept; it used to count from 0.
    assert succeeded["attempts"] == TRIES + 1
    assert len(received_for(receiver, failing, clue_id)) == TRIES, "nothing more went to the old URL"

    async with client(NOTIFY, "agency:330108.hrss") as stranger:
        hidden = await stranger.post(f"/v1/deliveries/{failed['delivery_id']}/redeliver")
    assert hidden.status_code == 404


async def test_410_disables_until_put_again_then_failed_ones_replay(receiver: WebhookReceiver) -> None:
    agency, principal = "330108.water", "agency:330108.water"
    gone = hook_path("status/410", "gone")
    await subscribe(principal, receiver.url(gone), ["clue.status"])

    clue_id = await submit_onsite(agency)
    first = await wait_delivery(principal, clue_id, "failed")
    assert first["attempts"] == 1, "a 410 is not retried"
    assert first["last_status"] == 410
    async with client(NOTIFY, principal) as notify:
        subscription = (await notify.get("/v1/subscriptions/me")).json()
    assert subscription["disabled_at"] is not None
    datetime.fromisoformat(subscription["disabled_at"])
    assert "410" in subscription["disabled_reason"]

    # Events while disabled are kept, as failed, and never sent to the disabled endpoint.
    later_clue = await submit_onsite(agency)
    held = await wait_delivery(principal, later_clue, "failed")
    assert held["attempts"] == 0
    assert "disabled" in held["last_error"]
    async with client(NOTIFY, principal) as notify:
        refused = await notify.post(f"/v1/deliveries/{held['delivery_id']}/redeliver")
        assert refused.status_code == 409, refused.text
        refused = await notify.post("/v1/deliveries/redeliver-failed", json={"since": first["created_at"]})
        assert refused.status_code == 409, refused.text
    assert received_for(receiver, gone, later_clue) == []
    assert len(received_for(receiver, gone, clue_id)) == 1

    fixed = hook_path("ok", "back")
    await subscribe(principal, receiver.url(fixed), ["clue.status"])
    async with client(NOTIFY, principal) as notify:
        assert (await notify.get("/v1/subscriptions/me")).json()["disabled_at"] is None
        backwards = await notify.post(
            "/v1/deliveries/redeliver-failed",
            json={"since": first["created_at"], "until": first["created_at"]},
        )
        assert backwards.status_code == 422, backwards.text
        replay = await notify.post("/v1/deliveries/redeliver-failed", json={"since": first["created_at"]})
    assert replay.status_code == 202, replay.text
    assert replay.json() == {"redelivered": 2}
    for clue, delivery in ((clue_id, first), (later_clue, held)):
        await wait_delivery(principal, clue, "succeeded")
        [request] = await wait_received(receiver, fixed, clue)
        assert request.headers["webhook-id"] == delivery["delivery_id"]
