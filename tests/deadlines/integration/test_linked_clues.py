"""Issue 11 item 7: periods follow each clue's own source, linked (rule 8), unlinked or leading.

Runs on division 330122 with fresh employers, so the clues link only to each other.
"""

import uuid
from datetime import date, datetime

from deadlines.domain.calendar import shanghai_date
from tests.deadlines.integration.support import (
    act,
    backdated,
    deadlines_of,
    post,
    review_body,
    submit,
    wait_deadline,
    wait_task,
)
from tests.support.clues import make_uscc
from tests.support.stack import ROUTING, client, eventually

DIVISION = "330122"
GOV, HRSS, CONSTRUCTION = f"{DIVISION}.gov", f"{DIVISION}.hrss", f"{DIVISION}.construction"
OFFICE = f"{DIVISION}.office"


def matter() -> dict[str, object]:
    return {
        "division": DIVISION,
        "employer": {"name": f"桐庐关联建设{uuid.uuid4().hex[:6]}有限公司", "uscc": make_uscc()},
        "project": {"name": f"富春项目{uuid.uuid4().hex[:6]}", "kind": "building"},
    }


def receipt_date(received_at: str) -> str:
    day: date = shanghai_date(datetime.fromisoformat(received_at))
    return day.isoformat()


async def wait_lead(clue_id: str, lead_id: str | None) -> None:
    async def probe() -> bool:
        async with client(ROUTING, "admin") as routing:
            response = await routing.get(f"/v1/cases/{clue_id}")
        return response.status_code == 200 and response.json()["lead_clue_id"] == lead_id

    await eventually(probe, what=f"{clue_id} led by {lead_id} in routing")


async def test_a_national_clue_linked_under_a_city_lead_gets_its_own_7_and_15_day_periods() -> None:
    same = matter()
    lead = await submit("source:city", source="city", **same)
    received_at = backdated(2)  # its own receipt date, two days before the lead's
    follower = await submit("source:national", received_at=received_at, **same)
    await wait_lead(follower, lead)

    transfer = await wait_deadline(follower, "transfer_7d", "running")
    assert transfer["starts_on"] == receipt_date(received_at)
    assert await deadlines_of(lead, rule="transfer_7d") == []  # a city clue has none of its own

    resolve = await wait_task(lead, "resolve", GOV)
    await act(resolve, "accept")
    await act(resolve, "complete", review_body(substantiated=True, causes=["illegal_subcontracting"]))
    industry = await wait_task(lead, "industry_resolve", CONSTRUCTION)

    met = await wait_deadline(follower, "transfer_7d", "met")
    assert met["deadline_id"] == transfer["deadline_id"]
    started = await wait_deadline(follower, "industry_15d", "running")
    assert (started["task_id"], started["agency_id"]) == (industry["task_id"], CONSTRUCTION)
    assert await deadlines_of(lead, rule="industry_15d") == []
    # The industry authority holds the task the follower's period runs on, so it sees the period.
    seen = await deadlines_of(follower, principal=f"agency:{CONSTRUCTION}", rule="industry_15d")
    assert [d["deadline_id"] for d in seen] == [started["deadline_id"]]

    await act(industry, "accept")
    await act(
        industry, "complete", {"resolved": True, "amount_paid": "1000.00", "escalate": False, "note": "已付"}
    )
    done = await wait_deadline(follower, "industry_15d", "met")
    assert (done["deadline_id"], done["late"]) == (started["deadline_id"], False)


async def test_an_unlinked_clue_keeps_its_transfer_7d_from_its_own_receipt_and_meets_it_itself() -> None:
    same = matter()
    lead = await submit("source:national", **same)
    received_at = backdated(1)
    follower = await submit("source:provincial", source="provincial", received_at=received_at, **same)
    await wait_lead(follower, lead)
    transfer = await wait_deadline(follower, "transfer_7d", "running")
    assert transfer["starts_on"] == receipt_date(received_at)

    unlinked = await post(ROUTING, f"agency:{OFFICE}", f"/v1/cases/{follower}/unlink")
    assert unlinked.status_code == 200, unlinked.text
    verify = await wait_task(follower, "verify", GOV)  # its own handling, from rule 1
    (still,) = await deadlines_of(follower, rule="transfer_7d")
    assert (still["deadline_id"], still["state"]) == (transfer["deadline_id"], "running")

    await act(verify, "accept")
    await act(verify, "complete", review_body(substantiated=True, causes=["real_name"]))
    review = await wait_task(follower, "review", HRSS)
    await act(review, "accept")
    await act(review, "complete", review_body(substantiated=True, causes=["real_name"]))
    industry = await wait_task(follower, "industry_resolve", CONSTRUCTION)
    met = await wait_deadline(follower, "transfer_7d", "met")
    assert met["deadline_id"] == transfer["deadline_id"]
    started = await wait_deadline(follower, "industry_15d", "running")
    assert started["task_id"] == industry["task_id"]
    # The lead's own transfer is untouched by the follower's handling.
    assert [d["state"] for d in await deadlines_of(lead, rule="transfer_7d")] == ["running"]
