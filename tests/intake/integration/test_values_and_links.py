"""Issue 18: a resubmission is compared as values (items 5), and the answer for a clue that joined
a lead says so (item 12)."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

from tests.intake.integration.helpers import post_clue
from tests.support.clues import clue_payload, make_uscc

DIVISION = "330105"
BEIJING = timezone(timedelta(hours=8))


async def test_the_same_instant_and_amount_written_otherwise_are_the_same_clue() -> None:
    received = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    payload = clue_payload(division=DIVISION, received_at=received.isoformat(), amount_owed="86000")
    first = await post_clue("source:national", payload)
    assert first.status_code == 201, first.text

    in_beijing_time = {**payload, "received_at": received.astimezone(BEIJING).isoformat()}
    assert in_beijing_time["received_at"].endswith("+08:00")
    again = await post_clue("source:national", in_beijing_time)
    assert again.status_code == 200, again.text
    assert again.json()["clue_id"] == first.json()["clue_id"]

    in_cents = await post_clue("source:national", {**in_beijing_time, "amount_owed": "86000.00"})
    assert in_cents.status_code == 200, in_cents.text
    assert in_cents.json()["clue_id"] == first.json()["clue_id"]

    a_second_later = (received + timedelta(seconds=1)).isoformat()
    changed = await post_clue("source:national", {**payload, "received_at": a_second_later})
    assert changed.status_code == 409, changed.text
    assert changed.json()["differences"] == ["received_at"]
    more = await post_clue("source:national", {**payload, "amount_owed": "86000.01"})
    assert more.status_code == 409, more.text
    assert more.json()["differences"] == ["amount_owed"]


async def test_a_clue_of_a_matter_already_open_says_it_joined_the_lead() -> None:
    employer = {"name": f"余杭建工{uuid.uuid4().hex[:6]}有限公司", "uscc": make_uscc()}
    project = {"name": f"良渚项目{uuid.uuid4().hex[:6]}", "kind": "building", "address": "余杭区"}
    same_matter = {"division": DIVISION, "employer": employer, "project": project}

    lead = await post_clue("source:national", clue_payload(**same_matter))
    assert lead.status_code == 201, lead.text
    assert lead.json()["status"] == "received"
    assert lead.json()["linked_to"] is None

    payload = clue_payload(source="petition", **same_matter)
    joined = await post_clue("source:petition", payload)
    assert joined.status_code == 201, joined.text
    body = joined.json()
    assert body["status"] == "received", "the contract's status stays the clue's own"
    assert body["linked_to"] == lead.json()["clue_id"]
    assert body["link_reason"].startswith("rule 8: same USCC")

    again = await post_clue("source:petition", payload)
    assert again.status_code == 200, again.text
    assert (again.json()["clue_id"], again.json()["linked_to"]) == (body["clue_id"], body["linked_to"])
