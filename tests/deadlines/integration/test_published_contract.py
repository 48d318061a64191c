"""Issue 18 on the real stack: deadlines' timestamps in +08:00 (REST and ``deadline.*`` data), strict
request bodies, the rule label of its metrics, and an OpenAPI document with typed, exemplified schemas."""

from typing import Any

import pytest

from tests.deadlines.integration.support import ADMIN, DeadlineEvents, backdated, submit, wait_deadline
from tests.support.stack import DEADLINES, client

DIVISION = "330122"
OFFSET = "+08:00"


def in_business_time(value: Any) -> bool:
    return isinstance(value, str) and value.endswith(OFFSET)


async def test_every_timestamp_deadlines_emits_is_in_plus_eight() -> None:
    async with DeadlineEvents() as events:
        clue_id = await submit(division=DIVISION, received_at=backdated(60))

        def breached(ev: DeadlineEvents) -> bool:
            return bool(ev.of(clue_id, "deadline.breached", rule="overall"))

        await events.wait(breached, what="overall breached at once")
        for event in events.of(clue_id):
            data = event["data"]
            assert data["due_at"].endswith("T23:59:59+08:00"), event
            if "fired_for" in data:
                assert in_business_time(data["fired_for"]), event
        deadline = await wait_deadline(clue_id, "overall", "breached")
    assert deadline["due_at"].endswith("T23:59:59+08:00")
    for key in ("created_at", "breached_at"):
        assert in_business_time(deadline[key]), (key, deadline)


@pytest.mark.parametrize(
    "body",
    [
        {"holidays": [{"date": 20990101, "name": "元旦"}]},  # a day as a number
        {"holidays": [{"date": "2099-01-01", "name": 1}]},  # a name as a number
        {"holidays": [], "workdays": [20990103]},
        {"holidays": [{"date": "2099-01-01", "name": "元旦"}], "workdays": "2099-01-03"},
        {"holidays": {"date": "2099-01-01", "name": "元旦"}},
    ],
)
async def test_a_calendar_year_body_of_the_wrong_types_is_refused(body: dict[str, Any]) -> None:
    async with client(DEADLINES, ADMIN) as deadlines:
        response = await deadlines.put("/v1/calendar/years/2099", json=body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        day = await deadlines.get("/v1/calendar/days/2099-01-01")
    assert day.json()["holiday"] is None  # nothing was loaded


async def test_the_metrics_label_deadlines_by_rule() -> None:
    async with client(DEADLINES, ADMIN) as deadlines:
        text = (await deadlines.get("/metrics")).text
    assert 'anxin_deadlines_running{rule="overall",service="deadlines"}' in text
    assert "label=" not in "\n".join(
        line for line in text.splitlines() if line.startswith("anxin_deadlines_")
    )


async def test_the_document_types_every_schema_and_describes_every_operation() -> None:
    async with client(DEADLINES, ADMIN) as deadlines:
        document = (await deadlines.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    deadline = schemas["DeadlineOut"]["properties"]
    assert deadline["rule"]["enum"] == [
        "transfer_7d",
        "industry_15d",
        "overall",
        "acceptance_1wd",
        "respond_24h",
    ]
    assert deadline["state"]["enum"] == ["running", "met", "breached", "cancelled"]
    assert deadline["due_at"]["format"] == "date-time"
    for name in ("DeadlineOut", "AgencyCounts", "DayOut", "YearScheduleIn", "YearLoaded"):
        assert schemas[name].get("examples"), name
        for prop, spec in schemas[name]["properties"].items():
            assert "type" in spec or "anyOf" in spec or "$ref" in spec or "enum" in spec, (name, prop)
    ours = {path: ops for path, ops in document["paths"].items() if path.startswith("/v1/")}
    assert ours
    for path, operations in ours.items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            assert operation.get("description"), (method, path)
            assert operation["responses"].get("200", {}).get("content"), (method, path)
