"""Helpers for notify's integration tests: subscribe, trigger events, read deliveries and receipts.

Notify's tests reserve divisions 330108, 330109 and 330110. Each test subscribes principals no
other test uses, so a retry left over from one test never lands on another test's endpoint.
"""

import json
import uuid
from typing import Any

from tests.support.clues import clue_payload
from tests.support.receiver import Received, WebhookReceiver
from tests.support.stack import INTAKE, NOTIFY, ROUTING, client, eventually

Json = dict[str, Any]
ADMIN = "admin"


def hook_path(kind: str, name: str) -> str:
    """``/ok/<name>-<uuid>``, ``/flaky/2/<name>-<uuid>`` ...: a path no other test shares."""
    return f"/{kind}/{name}-{uuid.uuid4().hex[:12]}"


async def subscribe(principal: str, url: str, events: list[str]) -> str:
    async with client(NOTIFY, principal) as notify:
        response = await notify.put("/v1/subscriptions/me", json={"url": url, "events": events})
    assert response.status_code == 200, response.text
    secret: str = response.json()["secret"]
    return secret


async def submit(principal: str, **overrides: Any) -> str:
    async with client(INTAKE, principal) as intake:
        response = await intake.post("/v1/clues", json=clue_payload(**overrides))
    assert response.status_code == 201, response.text
    clue_id: str = response.json()["clue_id"]
    return clue_id


async def submit_onsite(agency_id: str) -> str:
    """An onsite clue (首问负责制): its ``clue.status`` feedback goes to the submitting agency."""
    return await submit(f"agency:{agency_id}", source="onsite", division=agency_id.split(".")[0])


async def deliveries(principal: str, clue_id: str, **params: str) -> list[Json]:
    async with client(NOTIFY, principal) as notify:
        response = await notify.get("/v1/deliveries", params={"clue_id": clue_id, **params})
    assert response.status_code == 200, response.text
    items: list[Json] = response.json()["items"]
    return items


async def wait_delivery(principal: str, clue_id: str, state: str, *, within: float = 30.0) -> Json:
    """The one delivery of ``clue_id`` to ``principal``, once it is in ``state``."""

    async def probe() -> Json | None:
        items = await deliveries(principal, clue_id)
        assert len(items) <= 1, items
        return items[0] if items and items[0]["state"] == state else None

    return await eventually(probe, within=within, what=f"a {state} delivery of {clue_id} to {principal}")


def body(request: Received) -> Json:
    parsed: Json = json.loads(request.body)
    return parsed


def received_for(receiver: WebhookReceiver, path: str, clue_id: str) -> list[Received]:
    return [r for r in receiver.received(path) if body(r)["data"]["clue_id"] == clue_id]


async def wait_received(
    receiver: WebhookReceiver, path: str, clue_id: str, count: int = 1, *, within: float = 30.0
) -> list[Received]:
    async def probe() -> list[Received] | None:
        got = received_for(receiver, path, clue_id)
        return got if len(got) >= count else None

    return await eventually(probe, within=within, what=f"{count} request(s) for {clue_id} at {path}")


async def open_task(clue_id: str, agency_id: str, kind: str) -> Json:
    """Wait for the open ``kind`` task of ``agency_id`` on the clue."""

    async def probe() -> Json | None:
        async with client(ROUTING, f"agency:{agency_id}") as routing:
            response = await routing.get(
                "/v1/tasks", params={"clue_id": clue_id, "state": "open", "kind": kind}
            )
        items: list[Json] = response.json()["items"] if response.status_code == 200 else []
        return items[0] if items else None

    return await eventually(probe, what=f"the open {kind} task of {agency_id} on {clue_id}")


async def accept_and_complete(task: Json, outcome: Json) -> None:
    async with client(ROUTING, f"agency:{task['agency_id']}") as routing:
        accepted = await routing.post(f"/v1/tasks/{task['task_id']}/accept")
        assert accepted.status_code == 200, accepted.text
        done = await routing.post(f"/v1/tasks/{task['task_id']}/complete", json=outcome)
    assert done.status_code == 200, done.text
