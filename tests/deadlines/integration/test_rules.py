"""transfer_7d, industry_15d and acceptance follow routing's events; disputes keep the clock.

These tests run one after another on division 330122, so per-agency counts are compared as deltas.
"""

from typing import Any

from tests.deadlines.integration.support import (
    ADMIN,
    act,
    deadlines_of,
    get,
    post,
    review_body,
    submit,
    wait_deadline,
    wait_task,
)
from tests.support.stack import DEADLINES, ROUTING, client, eventually

DIVISION = "330122"
GOV, HRSS, CONSTRUCTION = f"{DIVISION}.gov", f"{DIVISION}.hrss", f"{DIVISION}.construction"


async def counts(principal: str = ADMIN) -> dict[str, dict[str, Any]]:
    async with client(DEADLINES, principal) as deadlines:
        response = await deadlines.get("/v1/deadlines/counts", params={"division": DIVISION})
    assert response.status_code == 200, response.text
    return {row["agency_id"]: row for row in response.json()}


def delta(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], agency: str) -> dict[str, int]:
    empty = {"running": 0, "due_soon": 0, "breached": 0, "met_on_time": 0, "met_late": 0}
    old, new = before.get(agency, empty), after.get(agency, empty)
    return {key: new[key] - old[key] for key in empty}


async def test_industry_path_meets_transfer_7d_then_industry_15d_and_counts_them() -> None:
    before = await counts()
    clue_id = await submit(division=DIVISION)
    transfer = await wait_deadline(clue_id, "transfer_7d", "running")
    assert transfer["task_id"] is None

    verify = await wait_task(clue_id, "verify", GOV)
    acceptance = await wait_deadline(clue_id, "acceptance_1wd", "running")
    assert acceptance["task_id"] == verify["task_id"]
    await act(verify, "accept")
    met = await wait_deadline(clue_id, "acceptance_1wd", "met")
    assert (met["deadline_id"], met["late"]) == (acceptance["deadline_id"], False)
    await act(verify, "complete", review_body(substantiated=True, causes=["real_name"]))

    review = await wait_task(clue_id, "review", HRSS)
    await act(review, "accept")
    await act(review, "complete", review_body(substantiated=True, causes=["illegal_subcontracting"]))
    industry = await wait_task(clue_id, "industry_resolve", CONSTRUCTION)

    transfer_met = await wait_deadline(clue_id, "transfer_7d", "met")
    assert transfer_met["late"] is False
    started = await wait_deadline(clue_id, "industry_15d", "running")
    assert (started["task_id"], started["agency_id"]) == (industry["task_id"], CONSTRUCTION)
    assert started["provisional"] is False

    # Filters: the industry authority sees its running industry_15d; other rules are filtered out.
    async with client(DEADLINES, f"agency:{CONSTRUCTION}") as construction:
        response = await construction.get(
            "/v1/deadlines", params={"agency_id": CONSTRUCTION, "rule": "industry_15d", "state": "running"}
        )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert started["deadline_id"] in [d["deadline_id"] for d in items]
    assert {(d["rule"], d["state"]) for d in items} == {("industry_15d", "running")}

    await act(industry, "accept")
    await act(
        industry,
        "complete",
        {"resolved": True, "amount_paid": "86000.00", "escalate": False, "note": "已支付"},
    )
    done = await wait_deadline(clue_id, "industry_15d", "met")
    assert done["deadline_id"] == started["deadline_id"]

    async def counted() -> dict[str, int] | None:
        change = delta(before, await counts(), CONSTRUCTION)
        return change if change["met_on_time"] >= 2 else None  # industry_15d and its acceptance

    change = await eventually(counted, what="construction's met deadlines counted")
    assert change["breached"] == 0
    assert change["met_late"] == 0
    assert delta(before, await counts(), GOV)["met_on_time"] >= 1  # verify's acceptance

    only_met = await deadlines_of(clue_id, state="met")
    assert {d["rule"] for d in only_met} >= {"transfer_7d", "industry_15d", "acceptance_1wd"}
    assert all(d["state"] == "met" for d in only_met)
    assert await deadlines_of(clue_id, rule="transfer_7d", state="running") == []


async def test_transfer_7d_is_cancelled_when_the_review_creates_no_industry_task() -> None:
    clue_id = await submit(division=DIVISION)
    verify = await wait_task(clue_id, "verify", GOV)
    await act(verify, "accept")
    await act(verify, "complete", review_body(substantiated=True, causes=["funds_shortage"]))
    review = await wait_task(clue_id, "review", HRSS)
    await act(review, "accept")
    await act(review, "complete", review_body(substantiated=False, causes=[]))
    cancelled = await wait_deadline(clue_id, "transfer_7d", "cancelled")
    assert cancelled["cancelled_at"] is not None
    assert await deadlines_of(clue_id, rule="industry_15d") == []


async def test_a_reassigned_task_keeps_its_clock_and_records_the_dispute() -> None:
    clue_id = await submit(division=DIVISION)
    verify = await wait_task(clue_id, "verify", GOV)
    clock = await wait_deadline(clue_id, "acceptance_1wd", "running")

    returned = await post(
        ROUTING, f"agency:{GOV}", f"/v1/tasks/{verify['task_id']}/return", {"reason": "不属本单位"}
    )
    assert returned.status_code == 201, returned.text
    dispute_id = returned.json()["dispute_id"]

    async def in_dispute() -> dict[str, Any] | None:
        (row,) = await deadlines_of(clue_id, rule="acceptance_1wd")
        return row if row["in_dispute_since"] else None

    await eventually(in_dispute, what="acceptance_1wd marked in dispute")

    decided = await post(
        ROUTING,
        f"agency:{DIVISION}.office",
        f"/v1/disputes/{dispute_id}/decision",
        {"assignee": GOV, "note": "仍由属地核查"},
    )
    assert decided.status_code == 200, decided.text
    new_verify = await wait_task(clue_id, "verify", GOV)
    assert new_verify["task_id"] != verify["task_id"]

    async def handed_over() -> dict[str, Any] | None:
        (row,) = await deadlines_of(clue_id, rule="acceptance_1wd")
        done = row["task_id"] == new_verify["task_id"] and row["in_dispute_since"] is None
        return row if done else None

    kept = await eventually(handed_over, what="acceptance_1wd follows the new task, dispute closed")
    assert (kept["deadline_id"], kept["due_at"], kept["starts_on"]) == (
        clock["deadline_id"],
        clock["due_at"],
        clock["starts_on"],
    )
    assert kept["state"] == "running"
    dispute = (await get(ROUTING, ADMIN, f"/v1/disputes/{dispute_id}")).json()
    assert abs(kept["dispute_seconds"] - dispute["seconds_in_dispute"]) <= 1, (kept, dispute)

    await act(new_verify, "accept")
    met = await wait_deadline(clue_id, "acceptance_1wd", "met")
    assert met["deadline_id"] == clock["deadline_id"]


async def test_deadlines_are_listed_only_to_those_who_may_see_the_clue() -> None:
    clue_id = await submit(division=DIVISION)
    await wait_deadline(clue_id, "overall", "running")
    await wait_deadline(clue_id, "acceptance_1wd", "running")  # deadlines has seen the verify task

    async def rules_seen_by(principal: str) -> set[str]:
        return {d["rule"] for d in await deadlines_of(clue_id, principal)}

    expected = {"transfer_7d", "overall", "acceptance_1wd"}
    assert await rules_seen_by(f"agency:{DIVISION}.office") == expected
    assert await rules_seen_by(f"agency:{GOV}") == expected
    assert await rules_seen_by("source:national") == expected
    assert await rules_seen_by("agency:330106.gov") == set()
    assert await rules_seen_by("agency:330106.office") == set()
    assert await rules_seen_by("source:city") == set()

    async with client(DEADLINES) as anonymous:
        assert (await anonymous.get("/v1/deadlines")).status_code == 401
    async with client(DEADLINES, ADMIN) as admin:
        bad_state = await admin.get("/v1/deadlines", params={"state": "late"})
        bad_limit = await admin.get("/v1/deadlines", params={"limit": "0"})
        page = await admin.get("/v1/deadlines", params={"clue_id": clue_id, "limit": "2"})
    for bad in (bad_state, bad_limit):
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
    assert len(page.json()["items"]) == 2
    assert page.json()["next_cursor"]
