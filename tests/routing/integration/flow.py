"""Helpers for routing's integration tests: submit clues, find tasks, act on them over HTTP.

Routing's tests reserve divisions 330111 (paths), 330112 (disputes, 330127 as the target of the
cross-division one), 330113 (duplicates, emergencies) and 330114 (access, timeline, consumers).
"""

from typing import Any

import httpx

from tests.support.clues import clue_payload
from tests.support.stack import INTAKE, ROUTING, client, eventually

Json = dict[str, Any]
ADMIN = "admin"


async def submit(principal: str = "source:national", **overrides: Any) -> str:
    """Submit a clue to intake, waiting out a restart of intake (the stack is shared)."""
    payload = clue_payload(**overrides)

    async def post() -> httpx.Response | None:
        async with client(INTAKE, principal) as intake:
            try:
                return await intake.post("/v1/clues", json=payload)
            except httpx.ConnectError:
                return None

    response = await eventually(post, within=60, what="intake accepting the clue")
    assert response.status_code == 201, response.text
    clue_id: str = response.json()["clue_id"]
    return clue_id


async def case(clue_id: str, principal: str = ADMIN) -> Json:
    async with client(ROUTING, principal) as routing:
        response = await routing.get(f"/v1/cases/{clue_id}")
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


async def wait_case(clue_id: str, what: str, predicate: Any, within: float = 30.0) -> Json:
    """Poll the case (as admin) until ``predicate(case)`` holds."""

    async def probe() -> Json | None:
        async with client(ROUTING, ADMIN) as routing:
            response = await routing.get(f"/v1/cases/{clue_id}")
        if response.status_code != 200:
            return None
        body: Json = response.json()
        return body if predicate(body) else None

    return await eventually(probe, within=within, what=what)


def unfinished(case_body: Json) -> list[Json]:
    return [t for t in case_body["tasks"] if t["state"] in ("open", "accepted")]


def open_kinds(case_body: Json) -> list[tuple[str, str]]:
    return sorted((t["kind"], t["agency_id"]) for t in unfinished(case_body))


async def wait_open(clue_id: str, expected: list[tuple[str, str]], within: float = 30.0) -> Json:
    """Wait until the unfinished tasks are exactly ``expected`` (kind, agency) pairs."""
    return await wait_case(
        clue_id, f"unfinished tasks {sorted(expected)}", lambda c: open_kinds(c) == sorted(expected), within
    )


def task_of(case_body: Json, kind: str, agency_id: str, state: str = "open") -> Json:
    found: list[Json] = [
        t
        for t in case_body["tasks"]
        if t["kind"] == kind and t["agency_id"] == agency_id and t["state"] == state
    ]
    assert len(found) == 1, (kind, agency_id, state, case_body["tasks"])
    return found[0]


async def accept_and_complete(task: Json, body: Json) -> Json:
    """The holder accepts the task, then completes it with ``body``; returns the done task."""
    async with client(ROUTING, f"agency:{task['agency_id']}") as agency:
        accepted = await agency.post(f"/v1/tasks/{task['task_id']}/accept")
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["state"] == "accepted"
        done = await agency.post(f"/v1/tasks/{task['task_id']}/complete", json=body)
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "done"
    result: Json = done.json()
    return result


def finding(**overrides: Any) -> Json:
    body: Json = {
        "substantiated": True,
        "resolved": False,
        "amount_paid": "0.00",
        "causes": [],
        "needs_case": False,
        "escalate": False,
        "note": "核查属实",
    }
    body.update(overrides)
    return body
