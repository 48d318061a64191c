"""Issue 18: each webhook carries a sequence a receiver orders by (item 7), a pending delivery is sent
at once on request and every try is kept (item 6), only events that reach the caller can be subscribed
(item 8), and the body's timestamp is in +08:00 (item 9).

Notify runs with ANXIN_NOTIFY_RETRY_SCHEDULE=0,1,1,1: four tries about a second apart.
"""

import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.notify.integration.hooks import (
    accept_and_complete,
    body,
    deliveries,
    hook_path,
    open_task,
    received_for,
    submit_onsite,
    subscribe,
    wait_delivery,
    wait_received,
)
from tests.support.receiver import WebhookReceiver
from tests.support.stack import DATABASE_URL, NOTIFY, client, eventually

Json = dict[str, Any]


async def test_every_webhook_carries_its_sequence_in_the_order_of_the_events(
    receiver: WebhookReceiver,
) -> None:
    source, division = "330110.hrss", "330110"
    principal = f"agency:{source}"
    # The first feedback fails twice: its retries keep their sequence.
    path = hook_path("flaky/2", "sequence")
    await subscribe(principal, receiver.url(path), ["clue.status"])
    clue_id = await submit_onsite(source)
    resolve = await open_task(clue_id, f"{division}.gov", "resolve")
    await accept_and_complete(
        resolve,
        {
            "substantiated": True,
            "resolved": False,
            "amount_paid": "0.00",
            "causes": ["funds_shortage"],
            "needs_case": True,
            "escalate": False,
            "note": "立案查处",
        },
    )

    async def delivered() -> list[Json] | None:
        items = await deliveries(principal, clue_id)
        done = len(items) >= 2 and all(d["state"] == "succeeded" for d in items)
        investigating = any(d["payload"]["data"]["stage"] == ["investigate"] for d in items)
        return items if done and investigating else None

    items = list(reversed(await eventually(delivered, within=45, what="the status changes delivered")))
    sequences = [d["sequence"] for d in items]
    assert sequences == sorted(set(sequences)), sequences
    assert items[0]["attempts"] == 3, "the first one was retried"

    requests = received_for(receiver, path, clue_id)
    for request in requests:
        sent = body(request)
        delivery = next(d for d in items if d["delivery_id"] == request.headers["webhook-id"])
        assert sent["sequence"] == delivery["sequence"] == delivery["payload"]["sequence"]
        assert sent["timestamp"].endswith("+08:00"), sent["timestamp"]

    # A receiver that keeps, per clue, the highest sequence it applied ends on the newest state.
    applied: dict[str, tuple[int, list[str]]] = {}
    for request in requests:
        sent = body(request)
        seen = applied.get(clue_id)
        if seen is None or sent["sequence"] > seen[0]:
            applied[clue_id] = (sent["sequence"], sent["data"]["stage"])
    assert applied[clue_id] == (items[-1]["sequence"], items[-1]["payload"]["data"]["stage"])


async def test_redelivery_keeps_every_try_and_the_webhook(receiver: WebhookReceiver) -> None:
    agency, principal = "330110.water", "agency:330110.water"
    failing = hook_path("status/500", "kept")
    await subscribe(principal, receiver.url(failing), ["clue.status"])
    clue_id = await submit_onsite(agency)
    failed = await wait_delivery(principal, clue_id, "failed")
    assert failed["attempts"] == len(failed["attempt_history"]) == 4
    assert [t["status"] for t in failed["attempt_history"]] == [500] * 4

    fixed = hook_path("ok", "kept")
    await subscribe(principal, receiver.url(fixed), ["clue.status"])
    async with client(NOTIFY, principal) as notify:
        again = await notify.post(f"/v1/deliveries/{failed['delivery_id']}/redeliver")
        assert again.status_code == 202, again.text
        succeeded = await wait_delivery(principal, clue_id, "succeeded")
        assert succeeded["attempts"] == len(succeeded["attempt_history"]) == 5
        assert [t["status"] for t in succeeded["attempt_history"]] == [500] * 4 + [204]

        once_more = await notify.post(f"/v1/deliveries/{failed['delivery_id']}/redeliver")
        assert once_more.status_code == 202, once_more.text
        await wait_received(receiver, fixed, clue_id, count=2)

        async def six_tries() -> Json | None:
            got: Json = (await notify.get(f"/v1/deliveries/{failed['delivery_id']}")).json()
            return got if got["state"] == "succeeded" and got["attempts"] == 6 else None

        done = await eventually(six_tries, what="the second redelivery recorded")
    assert [t["status"] for t in done["attempt_history"]] == [500] * 4 + [204, 204]
    assert {r.body for r in received_for(receiver, fixed, clue_id)} == {
        r.body for r in received_for(receiver, failing, clue_id)
    }, "the same webhook body every time"


async def test_a_pending_delivery_is_sent_at_once_on_request(receiver: WebhookReceiver) -> None:
    principal = "agency:330108.police"
    path = hook_path("ok", "now")
    await subscribe(principal, receiver.url(path), ["clue.status"])
    delivery_id, clue_id = f"msg_{uuid.uuid4().hex}", str(uuid.uuid4())
    payload = {"type": "clue.status", "timestamp": "2026-12-03T09:00:00+08:00", "data": {"clue_id": clue_id}}
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.begin() as connection:
            # Pending, its next retry an hour away.
            await connection.execute(
                text(
                    "INSERT INTO notify.deliveries (delivery_id, event_id, event_type, clue_id, principal, "
                    "ordered, payload, state, attempts, next_attempt_at, event_time) VALUES (:id, :event, "
                    "'clue.status', :clue, :principal, false, CAST(:payload AS jsonb), 'pending', 1, "
                    "now() + interval '1 hour', now())"
                ),
                {
                    "id": delivery_id,
                    "event": str(uuid.uuid4()),
                    "clue": clue_id,
                    "principal": principal,
                    "payload": json.dumps(payload),
                },
            )
    finally:
        await engine.dispose()

    async with client(NOTIFY, principal) as notify:
        now = await notify.post(f"/v1/deliveries/{delivery_id}/redeliver")
    assert now.status_code == 202, now.text
    [request] = await wait_received(receiver, path, clue_id, within=10)
    assert request.headers["webhook-id"] == delivery_id
    sent = await wait_delivery(principal, clue_id, "succeeded")
    assert sent["attempts"] == 2, "the earlier try still counts"


async def test_events_that_never_reach_the_caller_are_refused_by_name(receiver: WebhookReceiver) -> None:
    url = receiver.url(hook_path("ok", "unreachable"))
    async with client(NOTIFY, "source:provincial") as notify:
        refused = await notify.put(
            "/v1/subscriptions/me",
            json={"url": url, "events": ["clue.status", "task.assigned", "clue.emergency"]},
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        [error] = refused.json()["errors"]
        assert error["field"] == "events"
        assert "task.assigned, clue.emergency" in error["message"]
        assert (await notify.get("/v1/subscriptions/me")).status_code == 404, "nothing was stored"
    async with client(NOTIFY, "agency:330108.gov") as notify:
        refused = await notify.put("/v1/subscriptions/me", json={"url": url, "events": ["clue.received"]})
        assert refused.status_code == 422, refused.text
        accepted = await notify.put("/v1/subscriptions/me", json={"url": url, "events": ["task.assigned"]})
        assert accepted.status_code == 200, accepted.text
        assert (await notify.delete("/v1/subscriptions/me")).status_code == 204
