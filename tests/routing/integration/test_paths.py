"""The handling paths of rules 1-5 over HTTP, from intake to closure, in division 330111."""

import asyncio
from typing import Any

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
from tests.support.stack import INTAKE, ROUTING, client, eventually

DIVISION = "330111"
GOV, HRSS, CONSTRUCTION, POLICE = (f"{DIVISION}.{k}" for k in ("gov", "hrss", "construction", "police"))


async def test_national_building_clue_runs_every_step_to_closure() -> None:
    clue_id = await submit(division=DIVISION)

    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    assert verify["reason"].startswith("rule 1")
    await accept_and_complete(verify, finding())

    review = task_of(await wait_open(clue_id, [("review", HRSS)]), "review", HRSS)
    assert "rule 1" in review["reason"]
    await accept_and_complete(review, finding(causes=["real_name"], amount_paid="1000.00"))

    current = await wait_open(clue_id, [("industry_resolve", CONSTRUCTION)])
    industry = task_of(current, "industry_resolve", CONSTRUCTION)
    assert "rule 2(b)" in industry["reason"]
    assert "real_name" in industry["reason"]
    await accept_and_complete(industry, {"resolved": True, "amount_paid": "50000.50", "note": "已结清"})

    approve = task_of(await wait_open(clue_id, [("approve", HRSS)]), "approve", HRSS)
    assert "rule 3" in approve["reason"]
    await accept_and_complete(approve, {"approved": True, "note": "同意"})

    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert closed["outcome"] == "resolved"
    assert closed["amount_paid"] == "51000.50"
    assert [t["kind"] for t in closed["tasks"]] == ["verify", "review", "industry_resolve", "approve"]
    assert all(t["state"] == "done" for t in closed["tasks"])
    # Each assignment is explained on the timeline too.
    assigned = [e for e in closed["timeline"] if e["action"] == "assigned"]
    assert [e["detail"]["reason"] for e in assigned] == [t["reason"] for t in closed["tasks"]]
    assert closed["timeline"][-1]["action"] == "closed"

    async with client(INTAKE, "source:national") as intake:

        async def closed_at_intake() -> Json | None:
            body: Json = (await intake.get(f"/v1/clues/{clue_id}")).json()
            return body if body["status"] == "closed" else None

        seen = await eventually(closed_at_intake, what="intake showing the clue closed")
    assert seen["outcome"] == "resolved"
    assert seen["amount_paid"] == "51000.50"
    assert seen["stage"] == []


async def test_needs_case_with_industry_causes_runs_both_investigations_and_a_criminal_case() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    await accept_and_complete(resolve, finding(causes=["illegal_subcontracting"], needs_case=True))

    current = await wait_open(
        clue_id,
        [("industry_investigate", CONSTRUCTION), ("industry_resolve", CONSTRUCTION), ("investigate", HRSS)],
    )
    parallel = task_of(current, "industry_investigate", CONSTRUCTION)
    assert "rule 2(c)" in parallel["reason"]
    assert "illegal_subcontracting" in parallel["reason"]

    investigate = task_of(current, "investigate", HRSS)
    await accept_and_complete(
        investigate, {"outcome": "criminal_referral", "amount_paid": "0.00", "note": "涉嫌拒不支付劳动报酬罪"}
    )
    current = await wait_open(
        clue_id,
        [("criminal", POLICE), ("industry_investigate", CONSTRUCTION), ("industry_resolve", CONSTRUCTION)],
    )
    criminal = task_of(current, "criminal", POLICE)
    assert "rule 4" in criminal["reason"]
    await accept_and_complete(criminal, {"outcome": "立案侦查", "note": ""})
    await accept_and_complete(parallel, {"outcome": "违法分包，已处罚", "note": ""})
    industry = task_of(current, "industry_resolve", CONSTRUCTION)
    await accept_and_complete(industry, {"resolved": True, "amount_paid": "86000.00", "note": ""})
    approve = task_of(await wait_open(clue_id, [("approve", HRSS)]), "approve", HRSS)
    await accept_and_complete(approve, {"approved": True, "note": ""})

    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert closed["outcome"] == "criminal_referral"
    assert closed["amount_paid"] == "86000.00"


async def test_rejected_approval_creates_a_new_industry_resolve() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    await accept_and_complete(resolve, finding(causes=["affiliation"]))
    first = task_of(
        await wait_open(clue_id, [("industry_resolve", CONSTRUCTION)]), "industry_resolve", CONSTRUCTION
    )
    await accept_and_complete(first, {"resolved": True, "amount_paid": "100.00", "note": ""})
    approve = task_of(await wait_open(clue_id, [("approve", HRSS)]), "approve", HRSS)
    await accept_and_complete(approve, {"approved": False, "note": "材料不全"})

    current = await wait_open(clue_id, [("industry_resolve", CONSTRUCTION)])
    again = task_of(current, "industry_resolve", CONSTRUCTION)
    assert again["task_id"] != first["task_id"]
    assert "rule 3: approve rejected" in again["reason"]
    assert current["status"] == "in_progress"


async def test_unresolved_resolve_without_escalation_is_422_and_changes_nothing() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        assert (await gov.post(f"/v1/tasks/{resolve['task_id']}/accept")).status_code == 200
        before = await case(clue_id)
        refused = await gov.post(f"/v1/tasks/{resolve['task_id']}/complete", json=finding())
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["errors"][0]["field"] == "escalate"
        # The wrong body for the kind is 422 too, naming the fields.
        wrong: dict[str, Any] = {"approved": True, "note": ""}
        invalid = await gov.post(f"/v1/tasks/{resolve['task_id']}/complete", json=wrong)
        assert invalid.status_code == 422
        assert {e["field"] for e in invalid.json()["errors"]} >= {"substantiated", "approved"}
    after = await case(clue_id)
    assert after["tasks"] == before["tasks"]
    assert after["timeline"] == before["timeline"]
    assert after["tasks"][0]["state"] == "accepted"


async def test_illegal_transitions_are_409_with_the_current_state() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        url = f"/v1/tasks/{resolve['task_id']}"
        assert (await gov.post(f"{url}/accept")).status_code == 200
        twice = await gov.post(f"{url}/accept")
        assert twice.status_code == 409
        assert twice.json()["current_state"] == "accepted"
        done = await gov.post(f"{url}/complete", json=finding(substantiated=False))
        assert done.status_code == 200
        for action, body in (("accept", None), ("complete", finding()), ("return", {"reason": "不属本单位"})):
            refused = await gov.post(f"{url}/{action}", json=body)
            assert refused.status_code == 409, (action, refused.text)
            assert refused.json()["current_state"] == "done"
    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert closed["outcome"] == "unsubstantiated"
    assert closed["amount_paid"] == "0.00"


async def test_task_list_filters_and_updated_since() -> None:
    clue_id = await submit(division=DIVISION)
    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        listed = (await gov.get("/v1/tasks", params={"clue_id": clue_id, "kind": "verify"})).json()
        assert [t["task_id"] for t in listed["items"]] == [verify["task_id"]]
        none = (await gov.get("/v1/tasks", params={"clue_id": clue_id, "kind": "review"})).json()
        assert none["items"] == []
        since = verify["updated_at"]
        later = (await gov.get("/v1/tasks", params={"clue_id": clue_id, "updated_since": since})).json()
        assert later["items"] == []
        assert (await gov.post(f"/v1/tasks/{verify['task_id']}/accept")).status_code == 200
        later = (await gov.get("/v1/tasks", params={"clue_id": clue_id, "updated_since": since})).json()
        assert [(t["task_id"], t["state"]) for t in later["items"]] == [(verify["task_id"], "accepted")]
        accepted = (await gov.get("/v1/tasks", params={"clue_id": clue_id, "state": "accepted"})).json()
        assert len(accepted["items"]) == 1
        for bad in ({"state": "finished"}, {"kind": "inspect"}):
            refused = await gov.get("/v1/tasks", params=bad)
            assert refused.status_code == 422
            assert refused.json()["errors"][0]["field"] == f"query.{next(iter(bad))}"

        naive = await gov.get("/v1/tasks", params={"updated_since": "2026-01-01T00:00:00"})
        assert naive.status_code == 422
        detail = (await gov.get(f"/v1/tasks/{verify['task_id']}")).json()
        assert [h["action"] for h in detail["history"]] == ["assigned", "accepted"]
        assert detail["clue"]["clue_id"] == clue_id


async def test_concurrent_completions_close_the_clue_once() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    await accept_and_complete(
        resolve,
        finding(resolved=True, amount_paid="300.00", causes=["subcontract_transfer"], needs_case=True),
    )
    current = await wait_open(clue_id, [("industry_investigate", CONSTRUCTION), ("investigate", HRSS)])
    investigate = task_of(current, "investigate", HRSS)
    parallel = task_of(current, "industry_investigate", CONSTRUCTION)
    async with (
        client(ROUTING, f"agency:{HRSS}") as hrss,
        client(ROUTING, f"agency:{CONSTRUCTION}") as industry,
    ):
        # 签收 first: only an accepted task can be completed.
        assert (await hrss.post(f"/v1/tasks/{investigate['task_id']}/accept")).status_code == 200
        assert (await industry.post(f"/v1/tasks/{parallel['task_id']}/accept")).status_code == 200
        answers = await asyncio.gather(
            hrss.post(
                f"/v1/tasks/{investigate['task_id']}/complete",
                json={"outcome": "penalty", "amount_paid": "700.00", "note": ""},
            ),
            hrss.post(
                f"/v1/tasks/{investigate['task_id']}/complete",
                json={"outcome": "paid", "amount_paid": "900.00", "note": ""},
            ),
            industry.post(
                f"/v1/tasks/{parallel['task_id']}/complete", json={"outcome": "已查处", "note": ""}
            ),
        )
    assert sorted(a.status_code for a in answers) == [200, 200, 409]
    closed = await wait_case(clue_id, "the clue closed", lambda c: c["status"] == "closed")
    assert [e["action"] for e in closed["timeline"]].count("closed") == 1
    assert closed["outcome"] == "case_filed"
    assert closed["amount_paid"] in ("1000.00", "1200.00")
