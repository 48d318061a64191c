"""Feedback to sources (规范反馈) in order per clue, petition agencies, and the emergency fan-out."""

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.notify.integration.hooks import (
    ADMIN,
    accept_and_complete,
    body,
    deliveries,
    hook_path,
    open_task,
    received_for,
    submit,
    submit_onsite,
    subscribe,
    wait_delivery,
    wait_received,
)
from tests.support.receiver import WebhookReceiver
from tests.support.stack import eventually


async def test_every_status_change_reaches_the_source_in_order(receiver: WebhookReceiver) -> None:
    source, division = "330109.water", "330109"
    # The first feedback fails twice, so later ones are due while it still retries.
    path = hook_path("flaky/2", "feedback")
    await subscribe(f"agency:{source}", receiver.url(path), ["clue.status"])
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
    investigate = await open_task(clue_id, f"{division}.hrss", "investigate")
    await accept_and_complete(
        investigate, {"outcome": "order_issued", "amount_paid": "0.00", "note": "责令支付"}
    )

    async def all_delivered() -> list[dict[str, Any]] | None:
        items = await deliveries(f"agency:{source}", clue_id)
        done = items and all(d["state"] == "succeeded" for d in items)
        closed = any(d["payload"]["data"]["status"] == "closed" for d in items)
        return items if done and closed else None

    items = list(reversed(await eventually(all_delivered, within=45, what="every clue.status delivered")))
    ids = [d["delivery_id"] for d in items]
    statuses = [(d["payload"]["data"]["status"], d["payload"]["data"]["stage"]) for d in items]
    assert statuses[0] == ("in_progress", ["resolve"])
    assert ("in_progress", ["investigate"]) in statuses
    assert statuses[-1] == ("closed", [])
    assert items[-1]["payload"]["data"]["outcome"] is not None

    requests = received_for(receiver, path, clue_id)
    first_seen = list(dict.fromkeys(r.headers["webhook-id"] for r in requests))
    assert first_seen == ids, "received in the order the status changed"
    for earlier, later in itertools.pairwise(ids):
        last_of_earlier = max(r.at for r in requests if r.headers["webhook-id"] == earlier)
        first_of_later = min(r.at for r in requests if r.headers["webhook-id"] == later)
        assert first_of_later >= last_of_earlier, "a later status was sent before an earlier one arrived"
    assert [body(r)["data"]["status"] for r in requests][-1] == "closed"


async def test_petition_feedback_also_reaches_the_divisions_petition_agency(
    receiver: WebhookReceiver,
) -> None:
    path = hook_path("ok", "petition")
    await subscribe("agency:330110.petition", receiver.url(path), ["clue.status"])
    clue_id = await submit("source:petition", source="petition", division="330110")
    [request] = await wait_received(receiver, path, clue_id)
    data = body(request)["data"]
    assert (body(request)["type"], data["status"], data["division"]) == (
        "clue.status",
        "in_progress",
        "330110",
    )


async def test_an_emergency_reaches_office_hrss_gov_and_industry_authority(receiver: WebhookReceiver) -> None:
    # agency:330100.office also receives it (unit-tested); it is shared, so this test leaves it alone.
    roles = ["office", "hrss", "gov", "construction"]
    paths = {role: hook_path("ok", f"emergency-{role}") for role in roles}
    for role in roles:
        await subscribe(f"agency:330110.{role}", receiver.url(paths[role]), ["clue.emergency"])

    clue_id = await submit("source:city", source="city", division="330110", workers=45)
    for role in roles:
        [request] = await wait_received(receiver, paths[role], clue_id)
        payload = body(request)
        assert payload["type"] == "clue.emergency"
        assert payload["data"]["division"] == "330110"
        assert payload["data"]["project_kind"] == "building"
        assert payload["data"]["reasons"], "an emergency says why it is one"
        assert "complainant" not in payload["data"]
        delivery = await wait_delivery(f"agency:330110.{role}", clue_id, "succeeded")
        assert delivery["event_type"] == "clue.emergency"

    fan_out = await deliveries(ADMIN, clue_id)
    assert {d["principal"] for d in fan_out} >= {f"agency:330110.{role}" for role in roles}
    assert "agency:330110.water" not in {d["principal"] for d in fan_out}


async def test_a_breached_deadline_reaches_the_division_office(receiver: WebhookReceiver) -> None:
    path = hook_path("ok", "breach")
    await subscribe("agency:330109.office", receiver.url(path), ["deadline.breached"])
    # Received 40 days ago: the overall period (30 days) is past when it starts, so it is breached at once.
    received_at = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    clue_id = await submit("source:city", source="city", division="330109", received_at=received_at)
    requests = await wait_received(receiver, path, clue_id, within=45)
    payload = body(requests[0])
    assert payload["type"] == "deadline.breached"
    assert payload["data"]["division"] == "330109"
    assert payload["data"]["rule"] == "overall"
