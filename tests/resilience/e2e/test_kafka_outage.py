"""Nothing accepted is lost when Kafka is down: intake keeps answering 201 from PostgreSQL, and once
Kafka is back the outbox relay delivers every clue, each getting exactly one first task."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.clues import clue_payload
from tests.support.stack import INTAKE, ROUTING, client, eventually

KAFKA_SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "local" / "kafka.sh"
CLUES = 12


async def kafka(action: str) -> None:
    process = await asyncio.create_subprocess_exec("bash", str(KAFKA_SCRIPT), action)
    assert await process.wait() == 0, f"kafka.sh {action} failed"


@pytest.fixture
async def kafka_stopped() -> AsyncIterator[None]:
    await kafka("stop")
    try:
        yield
    finally:
        await kafka("start")


async def test_clues_accepted_while_kafka_is_down_all_reach_routing_once(kafka_stopped: None) -> None:
    async with client(INTAKE, "source:provincial") as intake:
        responses = await asyncio.gather(
            *(
                intake.post("/v1/clues", json=clue_payload(source="provincial", division="330182"))
                for _ in range(CLUES)
            )
        )
        assert [r.status_code for r in responses] == [201] * CLUES, [r.text for r in responses]
        clue_ids = [r.json()["clue_id"] for r in responses]

        readiness = await intake.get("/readyz")
        assert readiness.status_code == 503
        checks = readiness.json()["checks"]
        assert checks["kafka"] is False
        assert checks["outbox_backlog"] >= CLUES

    await kafka("start")

    async with client(ROUTING, "agency:330182.gov") as gov:

        async def every_clue_routed() -> bool:
            for clue_id in clue_ids:
                items = (await gov.get("/v1/tasks", params={"clue_id": clue_id})).json()["items"]
                if not items:
                    return False
            return True

        await eventually(
            every_clue_routed, within=180, interval=1, what="every clue's first task after Kafka returned"
        )
        for clue_id in clue_ids:
            items = (await gov.get("/v1/tasks", params={"clue_id": clue_id})).json()["items"]
            assert [(t["kind"], t["agency_id"]) for t in items] == [("verify", "330182.gov")]
