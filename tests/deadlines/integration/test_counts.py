"""GET /v1/deadlines/counts as an agency's and a division office's dashboard poll it (issue 19, item 1).

Runs on division 330127 (reserved for deadlines' tests); rows are looked up by agency, not compared whole.
"""

from typing import Any

from tests.deadlines.integration.support import submit, wait_deadline, wait_task
from tests.support.stack import DEADLINES, client

DIVISION = "330127"
GOV, OFFICE = f"agency:{DIVISION}.gov", f"agency:{DIVISION}.office"


async def counts(principal: str, **params: str) -> dict[str, dict[str, Any]]:
    async with client(DEADLINES, principal) as deadlines:
        response = await deadlines.get("/v1/deadlines/counts", params=params)
    assert response.status_code == 200, (principal, response.text)
    return {row["agency_id"]: row for row in response.json()}


async def test_an_agency_and_its_division_office_get_their_counts() -> None:
    clue_id = await submit(division=DIVISION)
    await wait_task(clue_id, "verify", f"{DIVISION}.gov")
    await wait_deadline(clue_id, "acceptance_1wd", "running")

    own = await counts(GOV)
    assert own[f"{DIVISION}.gov"]["running"] >= 1, own

    for params in ({}, {"division": DIVISION}):
        office = await counts(OFFICE, **params)
        assert office[f"{DIVISION}.gov"]["running"] >= 1, (params, office)
