"""Issue 11: duplicates found by USCC or employer name with a missing project compatible, each
link's reason kept and shown (item 10); source_payload and summary withheld or scrubbed for readers
who see the complainant masked (item 11)."""

import uuid

from tests.intake.integration.helpers import Json, get_clue, of_clue, reading, stored_rows, submit
from tests.support.clues import clue_payload, make_uscc
from tests.support.stack import ROUTING, client, eventually

DIVISION = "330106"


def employer_name() -> str:
    return f"西湖匹配建设{uuid.uuid4().hex[:6]}有限公司"


async def test_a_name_only_clue_and_a_clue_without_project_join_the_clue_with_uscc_and_say_why() -> None:
    name, uscc = employer_name(), make_uscc()
    project = {"name": f"文三项目{uuid.uuid4().hex[:6]}", "kind": "building"}
    async with reading() as intake_topic:
        lead = await submit(
            "source:national",
            clue_payload(division=DIVISION, employer={"name": name, "uscc": uscc}, project=project),
        )
        # The police know the employer's name only, written with full-width brackets and spaces.
        by_name = await submit(
            "source:police110",
            clue_payload(
                source="police110",
                division=DIVISION,
                employer={"name": f" {name[:4]}（{name[4:]}） "},
                project=project,
            ),
        )
        # A petition with the USCC but naming no project.
        no_project = await submit(
            "source:petition",
            clue_payload(
                source="petition", division=DIVISION, employer={"name": "别名", "uscc": uscc}, project=None
            ),
        )
        # Same name, but both carry a USCC and they differ: another employer.
        other_employer = await submit(
            "source:city",
            clue_payload(
                source="city",
                division=DIVISION,
                employer={"name": name, "uscc": make_uscc()},
                project=project,
            ),
        )
        linked = {}
        for clue_id in (by_name, no_project):
            message = await intake_topic.find(
                of_clue(clue_id, "clue.linked"), what=f"clue.linked for {clue_id}"
            )
            linked[clue_id] = message.event["data"]
            assert linked[clue_id]["lead_clue_id"] == lead
        received = await intake_topic.find(
            of_clue(other_employer, "clue.received"), what="the other employer"
        )
        assert received.event["data"]["lead_clue_id"] is None

    assert linked[by_name]["matched_on"]["employer_basis"] == "name"
    assert linked[by_name]["matched_on"]["project_basis"] == "same"
    assert "same employer name" in linked[by_name]["reason"]
    assert linked[no_project]["matched_on"]["employer"] == f"uscc:{uscc}"
    assert linked[no_project]["matched_on"]["project_basis"] == "missing_on_new"

    # Stored, and shown on both sides of the link.
    rows = await stored_rows(
        "select clue_id, link_reason from intake.clues where clue_id in (:a, :b)", a=by_name, b=no_project
    )
    assert {r["clue_id"]: r["link_reason"] for r in rows} == {
        by_name: linked[by_name]["reason"],
        no_project: linked[no_project]["reason"],
    }
    follower = (await get_clue("source:police110", by_name)).json()
    assert (follower["lead_clue_id"], follower["link_reason"]) == (lead, linked[by_name]["reason"])
    lead_view = (await get_clue("admin", lead)).json()
    assert sorted(lead_view["related"]) == sorted([by_name, no_project])
    assert lead_view["link_reason"] is None
    assert {(link["clue_id"], link["lead_clue_id"], link["reason"]) for link in lead_view["links"]} == {
        (by_name, lead, linked[by_name]["reason"]),
        (no_project, lead, linked[no_project]["reason"]),
    }
    assert (await get_clue("admin", other_employer)).json()["related"] == []

    # Routing's timeline says why the clue joined its lead.
    async def joined() -> Json | None:
        async with client(ROUTING, "admin") as routing:
            response = await routing.get(f"/v1/cases/{no_project}")
        entries = [e for e in response.json().get("timeline", []) if e["action"] == "joined"]
        return entries[0] if entries else None

    entry = await eventually(joined, what="the joined entry in routing's timeline")
    assert entry["detail"]["why"] == linked[no_project]["reason"]


async def test_readers_who_see_the_complainant_masked_get_no_payload_and_a_scrubbed_summary() -> None:
    phone, id_number = "13912345678", "330106198401011235"
    payload = clue_payload(
        division=DIVISION,
        employer={"name": employer_name(), "uscc": make_uscc()},
        summary=f"来电人电话{phone}，身份证{id_number}，反映拖欠工资",
        source_payload={"caller": {"phone": phone}, "case_no": "GJ-1"},
    )
    clue_id = await submit("source:national", payload)

    masked = (await get_clue("admin", clue_id)).json()  # admin sees personal data masked
    assert masked["complainant"]["phone"] != payload["complainant"]["phone"]
    assert masked["source_payload"] is None
    assert phone not in masked["summary"]
    assert id_number not in masked["summary"]
    assert masked["summary"] == "来电人电话139****5678，身份证3301**********1235，反映拖欠工资"
    assert masked["source_payload_withheld"] is True

    for principal in ("source:national", f"agency:{DIVISION}.office"):  # shown in full
        full = (await get_clue(principal, clue_id)).json()
        assert full["source_payload"] == payload["source_payload"], principal
        assert full["summary"] == payload["summary"], principal
        assert full["source_payload_withheld"] is False
