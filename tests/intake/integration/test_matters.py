"""One matter from several sources (rule 8) and emergencies (rule 7), through Kafka and routing."""

import uuid
from typing import Any

from tests.intake.integration.helpers import Json, get_clue, of_clue, reading, submit
from tests.support.clues import clue_payload, make_uscc
from tests.support.stack import ROUTING, client, eventually

DIVISION = "330102"


async def routing_case(clue_id: str, predicate: Any, what: str) -> Json:
    async def probe() -> Json | None:
        async with client(ROUTING, "admin") as routing:
            response = await routing.get(f"/v1/cases/{clue_id}")
        body: Json = response.json()
        return body if response.status_code == 200 and predicate(body) else None

    return await eventually(probe, what=what)


async def intake_clue(clue_id: str, predicate: Any, what: str, principal: str = "admin") -> Json:
    async def probe() -> Json | None:
        body: Json = (await get_clue(principal, clue_id)).json()
        return body if predicate(body) else None

    return await eventually(probe, what=what)


async def test_one_matter_from_three_sources_is_handled_once_under_the_first_clue() -> None:
    employer = {"name": f"拱宸建工{uuid.uuid4().hex[:6]}有限公司", "uscc": make_uscc()}
    project = {"name": f"运河项目{uuid.uuid4().hex[:6]}", "kind": "building", "address": "上城区"}
    same_matter = {"division": DIVISION, "employer": employer, "project": project}
    async with reading() as intake_topic:
        lead = await submit("source:national", clue_payload(**same_matter))
        # The same employer under a noisier name, and the project name in full width: still one matter.
        police = await submit(
            "source:police110",
            clue_payload(
                source="police110",
                **{**same_matter, "employer": {**employer, "name": "别名" + employer["name"]}},
            ),
        )
        petition = await submit(
            "source:petition",
            clue_payload(
                source="petition",
                **{**same_matter, "project": {**project, "name": " " + project["name"].upper() + " "}},
            ),
        )
        other_project = await submit(
            "source:petition",
            clue_payload(
                source="petition", division=DIVISION, employer=employer, project={"name": "另一个项目"}
            ),
        )
        for linked in (police, petition):
            message = await intake_topic.find(
                of_clue(linked, "clue.linked"), what=f"clue.linked for {linked}"
            )
            assert message.key == linked.encode()
            assert message.event["data"]["lead_clue_id"] == lead
        received = await intake_topic.find(of_clue(other_project, "clue.received"), what="the other project")
        assert received.event["data"]["lead_clue_id"] is None
        assert not [m for m in intake_topic.seen if of_clue(other_project, "clue.linked")(m)]

    lead_view = (await get_clue("admin", lead)).json()
    assert lead_view["lead_clue_id"] is None
    assert sorted(lead_view["related"]) == sorted([police, petition])
    for linked, source in ((police, "police110"), (petition, "petition")):
        view = (await get_clue(f"source:{source}", linked)).json()
        assert (view["source"], view["submitted_by"], view["lead_clue_id"]) == (
            source,
            f"source:{source}",
            lead,
        )
        assert sorted(view["related"]) == sorted({lead, police, petition} - {linked})
    assert (await get_clue("admin", other_project)).json()["related"] == []

    lead_case = await routing_case(lead, lambda c: c["tasks"], "the lead's first task in routing")
    assert [(t["kind"], t["agency_id"]) for t in lead_case["tasks"]] == [("verify", f"{DIVISION}.gov")]
    for linked in (police, petition):
        linked_case = await routing_case(
            linked, lambda c: c["lead_clue_id"] == lead, f"{linked} joined in routing"
        )
        assert linked_case["tasks"] == []
    other_case = await routing_case(other_project, lambda c: c["tasks"], "the other project's own task")
    assert [t["kind"] for t in other_case["tasks"]] == ["resolve"]

    # The lead's task holder sees the linked clues, in full while its task is open.
    holder_view = await intake_clue(
        police,
        lambda c: "clue_id" in c,
        "the linked clue visible to the lead's holder",
        f"agency:{DIVISION}.gov",
    )
    assert holder_view["complainant"]["phone"] == "13812345678"
    assert (await get_clue(f"agency:{DIVISION}.hrss", police)).status_code == 404

    # Each linked clue keeps its own status, fed back from the lead's handling.
    for linked in (police, petition):
        view = await intake_clue(linked, lambda c: c["status"] == "in_progress", f"{linked} in progress")
        assert view["stage"] == ["verify"]


async def test_a_closed_or_unrelated_employer_is_not_linked() -> None:
    employer = {"name": f"独立建设{uuid.uuid4().hex[:6]}", "uscc": make_uscc()}
    first = await submit("source:city", clue_payload(source="city", division=DIVISION, employer=employer))
    elsewhere = await submit("source:city", clue_payload(source="city", division="330105", employer=employer))
    assert (await get_clue("admin", first)).json()["related"] == []
    assert (await get_clue("admin", elsewhere)).json()["lead_clue_id"] is None


async def test_thresholds_mark_emergencies_and_publish_clue_emergency_at_once() -> None:
    many = clue_payload(division=DIVISION, workers=30)
    costly = clue_payload(division=DIVISION, amount_owed="1000000.00")
    extreme = clue_payload(division=DIVISION, flags=["extreme_incident"])
    ordinary = clue_payload(division=DIVISION, workers=29, amount_owed="999999.99", flags=["public_order"])
    async with reading() as intake_topic:
        ids = {
            name: await submit("source:national", p)
            for name, p in (("many", many), ("costly", costly), ("extreme", extreme), ("ordinary", ordinary))
        }
        for name in ("many", "costly", "extreme"):
            message = await intake_topic.find(
                of_clue(ids[name], "clue.emergency"), what=f"clue.emergency ({name})"
            )
            assert message.key == ids[name].encode()
            assert message.event["data"]["division"] == DIVISION
            assert message.event["data"]["reasons"]
            received = await intake_topic.find(
                of_clue(ids[name], "clue.received"), what=f"clue.received ({name})"
            )
            assert received.event["data"]["emergency"] is True
        await intake_topic.find(of_clue(ids["ordinary"], "clue.received"), what="the ordinary clue")
        assert not [m for m in intake_topic.seen if of_clue(ids["ordinary"], "clue.emergency")(m)]

    assert (await get_clue("admin", ids["many"])).json()["emergency"] is True
    assert (await get_clue("admin", ids["many"])).json()["emergency_reasons"] == ["workers 30 >= 30"]
    assert (await get_clue("admin", ids["ordinary"])).json()["emergency"] is False
