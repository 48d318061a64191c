"""Rule 8 (duplicates across sources) and rule 7 (emergencies) over HTTP, in division 330113."""

import json
import uuid
from typing import Any

from tests.routing.integration.flow import (
    Json,
    accept_and_complete,
    case,
    finding,
    open_kinds,
    submit,
    task_of,
    wait_case,
    wait_open,
)
from tests.support.clues import make_uscc
from tests.support.receiver import WebhookReceiver
from tests.support.stack import INTAKE, NOTIFY, ROUTING, client, eventually

DIVISION = "330113"
GOV, HRSS, OFFICE = f"{DIVISION}.gov", f"{DIVISION}.hrss", f"{DIVISION}.office"


def same_matter() -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    return {
        "division": DIVISION,
        "employer": {"name": f"临平同案建设有限公司{tag}", "uscc": make_uscc()},
        "project": {"name": f"临平同案项目{tag}", "kind": "building", "address": "临平区"},
    }


async def linked_pair() -> tuple[str, str]:
    """A national lead and a provincial clue of the same matter, linked by intake."""
    matter = same_matter()
    lead_id = await submit(**matter)
    follower_id = await submit("source:provincial", source="provincial", **matter)
    await wait_case(follower_id, "the follower joined its lead", lambda c: c["lead_clue_id"] == lead_id)
    return lead_id, follower_id


async def test_a_linked_clue_joins_its_lead_and_closes_with_it() -> None:
    lead_id, follower_id = await linked_pair()
    follower = await wait_case(
        follower_id, "the follower in progress", lambda c: c["status"] == "in_progress"
    )
    assert follower["tasks"] == []
    assert follower["related"] == [lead_id]
    lead = await wait_open(lead_id, [("verify", GOV)])
    assert lead["related"] == [follower_id]

    # The lead's assignee sees the follower, complainant in full, while it holds an open task.
    async with client(ROUTING, f"agency:{GOV}") as gov:
        seen = await gov.get(f"/v1/cases/{follower_id}")
        assert seen.status_code == 200
        assert seen.json()["clue"]["complainant"]["phone"] == "13812345678"

    await accept_and_complete(task_of(lead, "verify", GOV), finding())
    review = task_of(await wait_open(lead_id, [("review", HRSS)]), "review", HRSS)
    await accept_and_complete(review, finding(resolved=True, amount_paid="2000.00"))

    closed = await wait_case(follower_id, "the follower closed", lambda c: c["status"] == "closed")
    assert closed["outcome"] == "resolved"
    assert (await case(lead_id))["outcome"] == "resolved"
    async with client(INTAKE, "source:provincial") as intake:

        async def closed_at_intake() -> Json | None:
            body: Json = (await intake.get(f"/v1/clues/{follower_id}")).json()
            return body if body["status"] == "closed" else None

        seen_at_intake = await eventually(closed_at_intake, what="intake showing the follower closed")
    assert seen_at_intake["outcome"] == "resolved"
    async with client(ROUTING, f"agency:{OFFICE}") as office:
        refused = await office.post(f"/v1/cases/{follower_id}/unlink")
        assert refused.status_code == 409


async def test_the_division_office_unlinks_a_clue_which_starts_its_own_handling() -> None:
    lead_id, follower_id = await linked_pair()
    async with client(ROUTING, f"agency:{GOV}") as gov:
        # The lead's assignee sees the follower but is not the office: 403.
        assert (await gov.post(f"/v1/cases/{follower_id}/unlink")).status_code == 403
    async with client(ROUTING, "agency:330102.office") as stranger:
        assert (await stranger.post(f"/v1/cases/{follower_id}/unlink")).status_code == 404
    async with client(ROUTING, f"agency:{OFFICE}") as office:
        unlinked = await office.post(f"/v1/cases/{follower_id}/unlink")
        assert unlinked.status_code == 200, unlinked.text
        assert unlinked.json()["lead_clue_id"] is None
        assert (await office.post(f"/v1/cases/{follower_id}/unlink")).status_code == 409

    own = await wait_open(follower_id, [("verify", GOV)])
    assert own["related"] == []
    assert any(e["action"] == "unlinked" for e in own["timeline"])
    lead = await case(lead_id)
    assert lead["related"] == []
    assert open_kinds(lead) == [("verify", GOV)]
    async with client(INTAKE, "source:provincial") as intake:

        async def own_handling_at_intake() -> Json | None:
            body: Json = (await intake.get(f"/v1/clues/{follower_id}")).json()
            return body if body["related"] == [] and body["stage"] == ["verify"] else None

        await eventually(own_handling_at_intake, what="intake showing the unlinked clue on its own")


async def test_an_emergency_clue_gets_respond_tasks_in_parallel_with_its_first_task() -> None:
    clue_id = await submit(division=DIVISION, workers=30, flags=["public_order"])
    current = await wait_open(
        clue_id,
        [
            ("respond", f"{DIVISION}.construction"),
            ("respond", HRSS),
            ("respond", f"{DIVISION}.police"),
            ("verify", GOV),
        ],
    )
    respond = [t for t in current["tasks"] if t["kind"] == "respond"]
    assert all(t["reason"].startswith("rule 7") for t in respond)
    assert current["clue"]["emergency"] is True

    transport = await submit(
        "source:city",
        source="city",
        division=DIVISION,
        amount_owed="1000000.00",
        project={"name": "临平公路", "kind": "transport", "address": "临平区"},
    )
    await wait_open(transport, [("resolve", GOV), ("respond", HRSS), ("respond", f"{DIVISION}.transport")])


async def test_public_order_alone_is_no_emergency() -> None:
    clue_id = await submit(division=DIVISION, workers=5, flags=["public_order"])
    # No emergency, so no hrss or industry response; the incident itself is for police (issue 11).
    current = await wait_open(clue_id, [("respond", f"{DIVISION}.police"), ("verify", GOV)])
    assert current["clue"]["emergency"] is False


async def test_task_lists_page_with_cursors_through_tasks_created_together() -> None:
    clue_id = await submit(division=DIVISION, amount_owed="1000000.00")
    await wait_open(clue_id, [("respond", f"{DIVISION}.construction"), ("respond", HRSS), ("verify", GOV)])
    seen: list[str] = []
    cursor: str | None = None
    async with client(ROUTING, f"agency:{OFFICE}") as office:
        for _ in range(4):
            params = {"clue_id": clue_id, "limit": "1"} | ({"cursor": cursor} if cursor else {})
            page = (await office.get("/v1/tasks", params=params)).json()
            seen += [t["task_id"] for t in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        for bad in ("0", "501"):
            assert (await office.get("/v1/tasks", params={"limit": bad})).status_code == 422
    assert len(seen) == len(set(seen)) == 3
    assert cursor is None


async def test_an_onsite_clue_feeds_its_status_back_to_the_submitting_agency(
    receiver: WebhookReceiver,
) -> None:
    submitter = f"agency:{DIVISION}.construction"
    hook = f"/ok/routing-feedback-{uuid.uuid4().hex}"
    async with client(NOTIFY, submitter) as notify:
        subscribed = await notify.put(
            "/v1/subscriptions/me", json={"url": receiver.url(hook), "events": ["clue.status"]}
        )
        assert subscribed.status_code == 200, subscribed.text
    clue_id = await submit(submitter, source="onsite", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    await accept_and_complete(resolve, finding(substantiated=False))

    def statuses() -> list[Json]:
        bodies = [json.loads(r.body) for r in receiver.received(hook)]
        return [b["data"] for b in bodies if b["data"]["clue_id"] == clue_id]

    async def closed_feedback() -> list[Json] | None:
        seen = statuses()
        return seen if any(s["status"] == "closed" for s in seen) else None

    feedback = await eventually(closed_feedback, what="the closed clue.status webhook")
    assert feedback[0]["status"] == "in_progress"
    assert feedback[0]["stage"] == ["resolve"]
    final = feedback[-1]
    assert (final["status"], final["outcome"], final["amount_paid"]) == ("closed", "unsubstantiated", "0.00")
    assert final["division"] == DIVISION
    assert "complainant" not in final
