"""Rule 6 over HTTP: returns open disputes, offices decide them, decisions move clues (330112)."""

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

DIVISION = "330112"
OTHER = "330127"
GOV, OFFICE, CONSTRUCTION = f"{DIVISION}.gov", f"{DIVISION}.office", f"{DIVISION}.construction"
CITY_OFFICE = "330100.office"


async def return_task(task: Json, reason: str, suggested: str | None = None) -> Json:
    body = {"reason": reason} | ({"suggested_agency": suggested} if suggested else {})
    async with client(ROUTING, f"agency:{task['agency_id']}") as holder:
        response = await holder.post(f"/v1/tasks/{task['task_id']}/return", json=body)
    assert response.status_code == 201, response.text
    dispute: Json = response.json()
    return dispute


async def decide(dispute_id: str, arbiter: str, assignee: str, note: str = "") -> Json:
    async with client(ROUTING, arbiter) as office:
        response = await office.post(
            f"/v1/disputes/{dispute_id}/decision", json={"assignee": assignee, "note": note}
        )
    assert response.status_code == 200, response.text
    decided: Json = response.json()
    return decided


async def test_dispute_within_a_division_is_decided_by_its_office() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    resolve = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    async with client(ROUTING, f"agency:{GOV}") as gov:
        unknown = await gov.post(
            f"/v1/tasks/{resolve['task_id']}/return",
            json={"reason": "x", "suggested_agency": "330112.nobody"},
        )
        assert unknown.status_code == 422
        empty = await gov.post(f"/v1/tasks/{resolve['task_id']}/return", json={"reason": ""})
        assert empty.status_code == 422
    dispute = await return_task(resolve, "属行业监管事项", CONSTRUCTION)
    assert dispute["state"] == "pending"
    assert dispute["arbiter"] == OFFICE
    assert (dispute["from_agency"], dispute["suggested_agency"]) == (GOV, CONSTRUCTION)
    assert dispute["reason"] == "属行业监管事项"

    # A pending dispute keeps the clue open though no task is unfinished.
    pending = await wait_case(clue_id, "the returned task", lambda c: c["tasks"][0]["state"] == "returned")
    assert pending["status"] == "in_progress"
    returned = next(e for e in pending["timeline"] if e["action"] == "returned")
    assert returned["detail"]["arbiter"] == OFFICE
    assert "rule 6" in returned["detail"]["why"]

    async with client(ROUTING, f"agency:{OFFICE}") as office:
        listed = (await office.get("/v1/disputes", params={"clue_id": clue_id, "state": "pending"})).json()
        assert [d["dispute_id"] for d in listed["items"]] == [dispute["dispute_id"]]
    async with client(ROUTING, f"agency:{GOV}") as gov:
        # The returning agency sees the dispute but may not decide it.
        assert (await gov.get(f"/v1/disputes/{dispute['dispute_id']}")).status_code == 200
        refused = await gov.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": GOV, "note": ""}
        )
        assert refused.status_code == 403, refused.text
    async with client(ROUTING, "agency:330102.office") as stranger:
        assert (await stranger.get(f"/v1/disputes/{dispute['dispute_id']}")).status_code == 404
        refused = await stranger.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": GOV, "note": ""}
        )
        assert refused.status_code == 404

    async with client(ROUTING, f"agency:{OFFICE}") as office:
        unknown = await office.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": "330112.nobody", "note": ""}
        )
        assert unknown.status_code == 422
        elsewhere = await office.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": f"{OTHER}.gov", "note": ""}
        )
        assert elsewhere.status_code == 403  # only the city office assigns across divisions
        still = await office.get(f"/v1/disputes/{dispute['dispute_id']}")
        assert still.json()["state"] == "pending"
    decided = await decide(dispute["dispute_id"], f"agency:{OFFICE}", CONSTRUCTION, "由建设局处置")
    assert decided["state"] == "decided"
    assert decided["decided_assignee"] == CONSTRUCTION
    assert decided["seconds_in_dispute"] is not None
    assert decided["seconds_in_dispute"] >= 0
    async with client(ROUTING, f"agency:{OFFICE}") as office:
        again = await office.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": GOV, "note": ""}
        )
        assert again.status_code == 409

    current = await wait_open(clue_id, [("resolve", CONSTRUCTION)])
    new_task = task_of(current, "resolve", CONSTRUCTION)
    assert new_task["task_id"] == decided["new_task_id"]
    assert new_task["replaces_task_id"] == resolve["task_id"]
    assert "rule 6" in new_task["reason"]
    assert current["division"] == DIVISION


async def test_dispute_across_divisions_goes_to_the_city_office_and_moves_the_clue() -> None:
    clue_id = await submit(division=DIVISION)
    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    dispute = await return_task(verify, "项目位于淳安县", f"{OTHER}.gov")
    assert dispute["arbiter"] == CITY_OFFICE

    async with client(ROUTING, f"agency:{OFFICE}") as office:
        # The division office sees the dispute on its clue but does not arbitrate this one.
        assert (await office.get(f"/v1/disputes/{dispute['dispute_id']}")).status_code == 200
        refused = await office.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": f"{OTHER}.gov", "note": ""}
        )
        assert refused.status_code == 403

    await decide(dispute["dispute_id"], f"agency:{CITY_OFFICE}", f"{OTHER}.gov", "属地在淳安")
    moved = await wait_open(clue_id, [("verify", f"{OTHER}.gov")])
    assert moved["division"] == OTHER
    assert any(e["action"] == "moved" and e["detail"]["to"] == OTHER for e in moved["timeline"])

    await accept_and_complete(task_of(moved, "verify", f"{OTHER}.gov"), finding())
    later = await wait_open(clue_id, [("review", f"{OTHER}.hrss")])
    assert task_of(later, "review", f"{OTHER}.hrss")["reason"].startswith("rule 1")

    async with client(ROUTING, f"agency:{OTHER}.office") as new_office:
        assert (await new_office.get(f"/v1/cases/{clue_id}")).status_code == 200
    async with client(INTAKE, "source:national") as intake:

        async def moved_at_intake() -> Json | None:
            body: Json = (await intake.get(f"/v1/clues/{clue_id}")).json()
            return body if body["division"] == OTHER else None

        await eventually(moved_at_intake, what="intake showing the clue in its new division")


async def test_a_task_returned_too_often_goes_to_the_city_office() -> None:
    clue_id = await submit("source:city", source="city", division=DIVISION)
    task = task_of(await wait_open(clue_id, [("resolve", GOV)]), "resolve", GOV)
    arbiters = []
    for attempt in range(3):  # max_returns defaults to 2: the third return goes to the city
        dispute = await return_task(task, f"第{attempt + 1}次退回")
        arbiters.append(dispute["arbiter"])
        arbiter = "agency:" + dispute["arbiter"]
        decided = await decide(dispute["dispute_id"], arbiter, GOV, "仍由属地处置")
        current = await wait_open(clue_id, [("resolve", GOV)])
        task = task_of(current, "resolve", GOV)
        assert task["task_id"] == decided["new_task_id"]
    assert arbiters == [OFFICE, OFFICE, CITY_OFFICE]
    why = [e["detail"]["why"] for e in current["timeline"] if e["action"] == "returned"]
    assert "more than 2" in why[-1]


async def test_admin_may_read_a_dispute_but_not_decide_it() -> None:
    # Issue 19 item 7: the contract names only the division office and 330100.office as arbiters.
    clue_id = await submit(division=DIVISION)
    verify = task_of(await wait_open(clue_id, [("verify", GOV)]), "verify", GOV)
    dispute = await return_task(verify, "项目位于淳安县", f"{OTHER}.gov")
    async with client(ROUTING, "admin") as admin:
        assert (await admin.get(f"/v1/disputes/{dispute['dispute_id']}")).status_code == 200
        refused = await admin.post(
            f"/v1/disputes/{dispute['dispute_id']}/decision", json={"assignee": f"{OTHER}.gov", "note": ""}
        )
        assert refused.status_code == 403, refused.text
        still = (await admin.get(f"/v1/disputes/{dispute['dispute_id']}")).json()
        assert still["state"] == "pending"
    assert (await case(clue_id))["division"] == DIVISION
