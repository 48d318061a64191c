"""Issue 11, workflow items 1-6 over HTTP on the real stack.

Outcomes and 签收 in 330111 (paths), the decided assignee in 330112 (disputes), linked
emergencies and public order in 330113 (duplicates, emergencies).
"""

import uuid
from typing import Any

from tests.intake.integration.helpers import of_clue, reading
from tests.routing.integration.flow import (
    Json,
    accept_and_complete,
    case,
    finding,
    open_kinds,
    submit,
    task_of,
    unfinished,
    wait_case,
    wait_open,
)
from tests.support.clues import make_uscc
from tests.support.stack import INTAKE, ROUTING, client, eventually


def agencies(division: str) -> dict[str, str]:
    kinds = ("gov", "hrss", "construction", "transport", "police", "office")
    return {k: f"{division}.{k}" for k in kinds}


PATHS, DISPUTES, LINKED = agencies("330111"), agencies("330112"), agencies("330113")


async def closed_at_intake(clue_id: str, principal: str) -> Json:
    async with client(INTAKE, principal) as intake:

        async def probe() -> Json | None:
            body: Json = (await intake.get(f"/v1/clues/{clue_id}")).json()
            return body if body["status"] == "closed" else None

        return await eventually(probe, what="intake showing the clue closed")


# --- items 1 and 2: the outcome follows what was found -------------------------------------------


async def test_an_approved_unresolved_industry_resolve_closes_unresolved() -> None:
    a = PATHS
    clue_id = await submit("source:city", source="city", division="330111")
    resolve = task_of(await wait_open(clue_id, [("resolve", a["gov"])]), "resolve", a["gov"])
    await accept_and_complete(resolve, finding(causes=["real_name"]))
    industry = task_of(
        await wait_open(clue_id, [("industry_resolve", a["construction"])]),
        "industry_resolve",
        a["construction"],
    )
    await accept_and_complete(industry, {"resolved": False, "amount_paid": "0.00", "note": "企业无力支付"})
    approve = task_of(await wait_open(clue_id, [("approve", a["hrss"])]), "approve", a["hrss"])
    await accept_and_complete(approve, {"approved": True, "note": "核处属实"})

    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert (closed["outcome"], closed["amount_paid"]) == ("unresolved", "0.00")
    seen = await closed_at_intake(clue_id, "source:city")
    assert seen["outcome"] == "unresolved"  # the source is not told the wages were paid


async def test_a_substantiating_review_supersedes_an_unsubstantiated_verify() -> None:
    a = PATHS
    clue_id = await submit(division="330111")
    verify = task_of(await wait_open(clue_id, [("verify", a["gov"])]), "verify", a["gov"])
    await accept_and_complete(verify, finding(substantiated=False, note="属地核查未发现欠薪"))
    review = task_of(await wait_open(clue_id, [("review", a["hrss"])]), "review", a["hrss"])
    await accept_and_complete(review, finding(causes=["illegal_contracting"], note="复核属实"))
    industry = task_of(
        await wait_open(clue_id, [("industry_resolve", a["construction"])]),
        "industry_resolve",
        a["construction"],
    )
    await accept_and_complete(industry, {"resolved": False, "amount_paid": "0.00", "note": ""})
    approve = task_of(await wait_open(clue_id, [("approve", a["hrss"])]), "approve", a["hrss"])
    await accept_and_complete(approve, {"approved": True, "note": ""})

    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert closed["outcome"] == "unresolved"  # not the verify's unsubstantiated
    assert (await closed_at_intake(clue_id, "source:national"))["outcome"] == "unresolved"


# --- item 3: the decided assignee sticks for the role --------------------------------------------


async def test_the_decided_industry_agency_keeps_the_clues_later_industry_tasks() -> None:
    a = DISPUTES
    clue_id = await submit("source:city", source="city", division="330112")
    resolve = task_of(await wait_open(clue_id, [("resolve", a["gov"])]), "resolve", a["gov"])
    await accept_and_complete(resolve, finding(causes=["affiliation"]))
    first = task_of(
        await wait_open(clue_id, [("industry_resolve", a["construction"])]),
        "industry_resolve",
        a["construction"],
    )
    async with client(ROUTING, f"agency:{a['construction']}") as construction:
        returned = await construction.post(
            f"/v1/tasks/{first['task_id']}/return",
            json={"reason": "项目属交通工程", "suggested_agency": a["transport"]},
        )
    assert returned.status_code == 201, returned.text
    async with client(ROUTING, f"agency:{a['office']}") as office:
        decided = await office.post(
            f"/v1/disputes/{returned.json()['dispute_id']}/decision",
            json={"assignee": a["transport"], "note": "由交通局核查化解"},
        )
    assert decided.status_code == 200, decided.text

    current = await wait_open(clue_id, [("industry_resolve", a["transport"])])
    await accept_and_complete(
        task_of(current, "industry_resolve", a["transport"]),
        {"resolved": True, "amount_paid": "10.00", "note": ""},
    )
    approve = task_of(await wait_open(clue_id, [("approve", a["hrss"])]), "approve", a["hrss"])
    await accept_and_complete(approve, {"approved": False, "note": "材料不全"})

    again = await wait_open(clue_id, [("industry_resolve", a["transport"])])
    second = task_of(again, "industry_resolve", a["transport"])
    assert "rule 3: approve rejected" in second["reason"]
    assert "decided" in second["reason"]
    await accept_and_complete(
        second, {"resolved": False, "amount_paid": "0.00", "escalate": True, "note": ""}
    )
    escalated = await wait_open(
        clue_id, [("industry_investigate", a["transport"]), ("investigate", a["hrss"])]
    )
    assert all(t["agency_id"] != a["construction"] for t in unfinished(escalated))


# --- item 4: 签收 comes first --------------------------------------------------------------------


async def test_completing_an_open_task_is_409_naming_its_state() -> None:
    a = PATHS
    clue_id = await submit("source:city", source="city", division="330111")
    resolve = task_of(await wait_open(clue_id, [("resolve", a["gov"])]), "resolve", a["gov"])
    async with client(ROUTING, f"agency:{a['gov']}") as gov:
        refused = await gov.post(
            f"/v1/tasks/{resolve['task_id']}/complete", json=finding(substantiated=False)
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert problem["current_state"] == "open"
        assert {"type", "title", "status", "detail"} <= problem.keys()
        assert "open" in problem["detail"]
        assert (await gov.get(f"/v1/tasks/{resolve['task_id']}")).json()["state"] == "open"
    await accept_and_complete(resolve, finding(substantiated=False))
    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert [e["action"] for e in closed["timeline"] if e["task_id"] == resolve["task_id"]] == [
        "assigned",
        "accepted",
        "completed",
    ]


# --- item 5: a linked emergency still gets its respond tasks -------------------------------------


def same_matter() -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    return {
        "division": "330113",
        "employer": {"name": f"临平应急建设有限公司{tag}", "uscc": make_uscc()},
        "project": {"name": f"临平应急项目{tag}", "kind": "building", "address": "临平区"},
    }


async def test_a_linked_emergency_clue_gets_respond_tasks_and_makes_its_lead_an_emergency() -> None:
    a = LINKED
    matter = same_matter()
    lead_id = await submit(**matter)
    lead = await wait_open(lead_id, [("verify", a["gov"])])
    assert lead["clue"]["emergency"] is False
    async with reading() as intake_topic:
        follower_id = await submit(
            "source:provincial", source="provincial", workers=40, flags=["public_order"], **matter
        )
        alert = await intake_topic.find(of_clue(follower_id, "clue.emergency"), what="clue.emergency at once")
    assert alert.event["data"]["division"] == "330113"

    responders = [("respond", a["construction"]), ("respond", a["hrss"]), ("respond", a["police"])]
    follower = await wait_open(follower_id, responders)
    assert follower["lead_clue_id"] == lead_id
    assert follower["related"] == [lead_id]
    assert all("rule 7" in t["reason"] and "rule 8" in t["reason"] for t in follower["tasks"])
    assert not any(t["kind"] in ("verify", "resolve") for t in follower["tasks"])  # it joined the lead
    lead = await wait_case(lead_id, "the lead marked emergency", lambda c: c["clue"]["emergency"] is True)
    assert open_kinds(lead) == [("verify", a["gov"])]
    assert any(e["action"] == "emergency" for e in lead["timeline"])

    # The lead's own branch ends, but the handling stays open while the responders work.
    await accept_and_complete(task_of(lead, "verify", a["gov"]), finding())
    review = task_of(await wait_open(lead_id, [("review", a["hrss"])]), "review", a["hrss"])
    await accept_and_complete(review, finding(resolved=True, amount_paid="3000.00"))
    await wait_case(lead_id, "the review done", lambda c: open_kinds(c) == [])
    assert (await case(lead_id))["status"] == "in_progress"
    assert (await case(follower_id))["status"] == "in_progress"

    for kind, agency in responders:
        await accept_and_complete(task_of(follower, kind, agency), {"outcome": "已赴现场处置", "note": ""})
    closed = await wait_case(lead_id, "the lead closed", lambda c: c["status"] == "closed")
    assert (closed["outcome"], closed["amount_paid"]) == ("resolved", "3000.00")
    follower_closed = await wait_case(follower_id, "the follower closed", lambda c: c["status"] == "closed")
    assert follower_closed["outcome"] == "resolved"
    assert (await closed_at_intake(follower_id, "source:provincial"))["outcome"] == "resolved"


# --- item 6: public order is for police ----------------------------------------------------------


async def test_a_public_order_clue_that_is_no_emergency_gets_a_police_respond_task() -> None:
    a = LINKED
    clue_id = await submit("source:police110", source="police110", division="330113", flags=["public_order"])
    current = await wait_open(clue_id, [("resolve", a["gov"]), ("respond", a["police"])])
    assert current["clue"]["emergency"] is False
    police = task_of(current, "respond", a["police"])
    assert "public_order" in police["reason"]
    assert "二(七)" in police["reason"]
