"""Issue 18 on the real stack, in division 330108: one time representation (+08:00) in REST and in
routing's Kafka events (item 9), strict types in bodies (item 11), a linked clue's amount (item 12), and
the unencoded `+` of `updated_since` (item 10)."""

import json
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer

from shared.events import ROUTING_TOPIC
from tests.routing.integration.flow import (
    Json,
    accept_and_complete,
    case,
    finding,
    submit,
    task_of,
    wait_case,
    wait_open,
)
from tests.support.clues import make_uscc
from tests.support.stack import KAFKA, ROUTING, client, eventually

DIVISION = "330108"
GOV, HRSS, OFFICE = f"{DIVISION}.gov", f"{DIVISION}.hrss", f"{DIVISION}.office"
MOMENTS = ("created_at", "updated_at", "closed_at", "decided_at")


async def routing_events(clue_id: str, until: Any) -> list[Json]:
    """The data of routing's events about the clue, read from the topic's start until ``until`` holds."""
    consumer = AIOKafkaConsumer(
        ROUTING_TOPIC, bootstrap_servers=KAFKA, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: list[Json] = []
    try:

        async def all_there() -> list[Json] | None:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    if record.key == clue_id.encode():
                        event = json.loads(record.value)
                        seen.append({"type": event["type"], "event_time": event["time"], **event["data"]})
            return seen if until(seen) else None

        return await eventually(all_there, within=30, what=f"routing's events on {clue_id}")
    finally:
        await consumer.stop()


def types(events: list[Json]) -> set[str]:
    return {e["type"] for e in events}


async def test_routing_writes_every_moment_in_business_time() -> None:
    clue_id = await submit(f"agency:{DIVISION}.construction", source="onsite", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        returned = await gov.post(f"/v1/tasks/{resolve['task_id']}/return", json={"reason": "不属本单位"})
        assert returned.status_code == 201, returned.text
    dispute = returned.json()
    async with client(ROUTING, f"agency:{dispute['arbiter'].removeprefix('agency:')}") as arbiter:
        decided = await arbiter.post(f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": GOV})
        assert decided.status_code == 200, decided.text
    reopened = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    await accept_and_complete(reopened, finding(substantiated=False))

    wanted = {"task.assigned", "task.updated", "clue.status", "dispute.opened", "dispute.decided"}

    def closed_after_all(seen: list[Json]) -> bool:
        return wanted <= types(seen) and any(e.get("closed_at") for e in seen)

    events = await routing_events(clue_id, closed_after_all)
    moments = [(e["type"], name, e[name]) for e in events for name in MOMENTS if e.get(name) is not None]
    assert {t for t, _, _ in moments} == wanted
    assert [m for m in moments if not m[2].endswith("+08:00")] == []
    assert [e["event_time"] for e in events if not e["event_time"].endswith("+08:00")] == []

    async def with_due_dates() -> Json | None:
        async with client(ROUTING, "admin") as admin:
            body: Json = (await admin.get(f"/v1/tasks/{reopened['task_id']}")).json()
        return body if body["due_dates"] else None

    task = await eventually(with_due_dates, within=30, what="the task's due dates")
    assert all(d["due_at"].endswith("+08:00") for d in task["due_dates"])
    assert task["created_at"].endswith("+08:00")


async def test_a_completion_with_a_string_for_a_boolean_is_refused() -> None:
    clue_id = await submit(division=DIVISION)
    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        assert (await gov.post(f"/v1/tasks/{verify['task_id']}/accept")).status_code == 200
        refused = await gov.post(
            f"/v1/tasks/{verify['task_id']}/complete", json=finding(substantiated="yes", escalate=0)
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert {e["field"] for e in refused.json()["errors"]} == {"substantiated", "escalate"}
        still = (await gov.get(f"/v1/tasks/{verify['task_id']}")).json()
    assert still["state"] == "accepted"


async def test_a_linked_clue_closes_with_the_amount_recovered_on_its_lead() -> None:
    tag = uuid.uuid4().hex[:8]
    matter: dict[str, Any] = {
        "division": DIVISION,
        "employer": {"name": f"滨江同案建设有限公司{tag}", "uscc": make_uscc()},
        "project": {"name": f"滨江同案项目{tag}", "kind": "building", "address": "滨江区"},
    }
    lead_id = await submit(**matter)
    follower_id = await submit("source:provincial", source="provincial", **matter)
    await wait_case(follower_id, "the follower joined its lead", lambda c: c["lead_clue_id"] == lead_id)
    verify = task_of(await wait_open(lead_id, [("verify", GOV)]), "verify", GOV)
    await accept_and_complete(verify, finding())
    review = task_of(await wait_open(lead_id, [("review", HRSS)]), "review", HRSS)
    await accept_and_complete(review, finding(resolved=True, amount_paid="86000.00"))

    follower = await wait_case(follower_id, "the follower closed", lambda c: c["status"] == "closed")
    assert (follower["amount_paid"], follower["amount_paid_on_lead"]) == ("86000.00", True)
    lead = await case(lead_id)
    assert (lead["amount_paid"], lead["amount_paid_on_lead"]) == ("86000.00", False)

    def closed(seen: list[Json]) -> bool:
        return any(e["type"] == "clue.status" and e["status"] == "closed" for e in seen)

    statuses = [e for e in await routing_events(follower_id, closed) if e["type"] == "clue.status"]
    final = statuses[-1]
    assert (final["amount_paid"], final["amount_paid_on_lead"], final["lead_clue_id"]) == (
        "86000.00",
        True,
        lead_id,
    )


async def test_an_unencoded_plus_in_updated_since_says_how_to_write_the_offset() -> None:
    async with client(ROUTING, f"agency:{GOV}") as gov:
        refused = await gov.get("/v1/tasks?updated_since=2026-12-03T17:16:00+08:00")
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "query.updated_since"
        assert "%2B08:00" in error["message"]
        assert "Z" in error["message"]
        encoded = await gov.get("/v1/tasks?updated_since=2026-12-03T17:16:00%2B08:00")
        assert encoded.status_code == 200, encoded.text
