"""Helpers for deadlines' integration tests: read ``anxin.deadlines``, submit clues, poll deadlines.

Deadlines' tests reserve divisions 330122 and 330127 (330127 may also receive a clue moved by
routing's dispute test, so every check filters by clue id).
"""

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

import httpx
from aiokafka import AIOKafkaConsumer

from shared.events import DEADLINES_TOPIC
from shared.events.envelope import decode_event
from tests.support.clues import clue_payload
from tests.support.stack import DEADLINES, INTAKE, KAFKA, ROUTING, client, eventually

Json = dict[str, Any]
ADMIN = "admin"


class DeadlineEvents:
    """Every ``anxin.deadlines`` event published after entering, read under a fresh group id."""

    def __init__(self) -> None:
        self.events: list[Json] = []  # {"id", "type", "data"}
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=KAFKA,
            group_id=f"test-deadlines-{uuid.uuid4()}",
            enable_auto_commit=False,
            auto_offset_reset="latest",
        )

    async def __aenter__(self) -> Self:
        await self._consumer.start()
        try:
            await self._capture_end()
        except BaseException:
            await self._consumer.stop()
            raise
        return self

    async def _capture_end(self) -> None:
        self._consumer.subscribe([DEADLINES_TOPIC])

        async def assigned() -> bool:
            await self._consumer.getmany(timeout_ms=100)  # joins the group; nothing is published yet
            return bool(self._consumer.assignment())

        await eventually(assigned, within=30, what=f"assignment of {DEADLINES_TOPIC}")
        for tp in self._consumer.assignment():  # resolve the end now, before the test acts
            await self._consumer.position(tp)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._consumer.stop()

    async def _drain(self) -> None:
        batches = await self._consumer.getmany(timeout_ms=200)
        for messages in batches.values():
            for message in messages:
                assert message.value is not None
                event = decode_event(message.value)
                self.events.append({"id": event.id, "type": event.type, "data": event.data})

    def of(self, clue_id: str, event_type: str | None = None, **fields: Any) -> list[Json]:
        """Distinct events (by id) about a clue, optionally of a type and with given data fields."""
        seen: dict[str, Json] = {}
        for event in self.events:
            data = event["data"]
            if data.get("clue_id") != clue_id or (event_type and event["type"] != event_type):
                continue
            if all(data.get(k) == v for k, v in fields.items()):
                seen.setdefault(event["id"], event)
        return list(seen.values())

    async def wait(
        self, predicate: Callable[["DeadlineEvents"], bool], *, what: str, within: float = 30.0
    ) -> None:
        async def probe() -> bool:
            await self._drain()
            return predicate(self)

        await eventually(probe, within=within, interval=0.05, what=what)


def announcements(events: list[Json]) -> Counter[tuple[str, str, str]]:
    """How often each (type, deadline, step) was announced; a step is the offset or escalation."""
    return Counter(
        (
            e["type"],
            e["data"]["deadline_id"],
            str(e["data"].get("escalation_step") or e["data"].get("working_days_before") or ""),
        )
        for e in events
    )


def backdated(days: int) -> str:
    return (datetime.now().astimezone() - timedelta(days=days)).isoformat()


async def post(base_url: str, principal: str, path: str, body: Json | None = None) -> httpx.Response:
    """POST to a shared service, waiting out a restart by its owner (a refused connection sent nothing)."""

    async def attempt() -> httpx.Response | None:
        try:
            async with client(base_url, principal) as http:
                return await http.post(path, json=body)
        except httpx.ConnectError:
            return None

    response: httpx.Response = await eventually(attempt, what=f"{base_url} accepting connections")
    return response


async def get(base_url: str, principal: str, path: str) -> httpx.Response:
    """GET from a shared service, waiting out a restart by its owner."""

    async def attempt() -> httpx.Response | None:
        try:
            async with client(base_url, principal) as http:
                return await http.get(path)
        except httpx.ConnectError:
            return None

    response: httpx.Response = await eventually(attempt, what=f"{base_url} accepting connections")
    return response


async def submit(principal: str = "source:national", **overrides: Any) -> str:
    response = await post(INTAKE, principal, "/v1/clues", clue_payload(**overrides))
    assert response.status_code == 201, response.text
    clue_id: str = response.json()["clue_id"]
    return clue_id


async def deadlines_of(clue_id: str, principal: str = ADMIN, **filters: Any) -> list[Json]:
    async with client(DEADLINES, principal) as deadlines:
        response = await deadlines.get("/v1/deadlines", params={"clue_id": clue_id, **filters})
    assert response.status_code == 200, response.text
    items: list[Json] = response.json()["items"]
    return items


async def wait_deadline(clue_id: str, rule: str, state: str, within: float = 30.0) -> Json:
    async def probe() -> Json | None:
        found = [d for d in await deadlines_of(clue_id, rule=rule) if d["state"] == state]
        return found[0] if len(found) == 1 else None

    return await eventually(probe, within=within, what=f"{rule} {state} on {clue_id}")


async def wait_task(clue_id: str, kind: str, agency_id: str, state: str = "open") -> Json:
    async def probe() -> Json | None:
        try:
            async with client(ROUTING, ADMIN) as routing:
                response = await routing.get(f"/v1/cases/{clue_id}")
        except httpx.TransportError:
            return None  # routing is shared: another engineer may be restarting it
        if response.status_code != 200:
            return None
        found = [
            t
            for t in response.json()["tasks"]
            if (t["kind"], t["agency_id"], t["state"]) == (kind, agency_id, state)
        ]
        return found[0] if found else None

    task: Json = await eventually(probe, within=60, what=f"{kind} task for {agency_id} on {clue_id}")
    return task


async def act(task: Json, action: str, body: Json | None = None) -> Json:
    response = await post(
        ROUTING, f"agency:{task['agency_id']}", f"/v1/tasks/{task['task_id']}/{action}", body
    )
    assert response.status_code in (200, 201), response.text
    result: Json = response.json()
    return result


def review_body(*, substantiated: bool, causes: list[str]) -> Json:
    return {
        "substantiated": substantiated,
        "resolved": False,
        "amount_paid": "0.00",
        "causes": causes,
        "needs_case": False,
        "escalate": False,
        "note": "核查完毕",
    }
