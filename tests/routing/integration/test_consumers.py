"""Routing's consumer against real Kafka: duplicates, poison messages, and a SIGKILL mid-stream (330114)."""

import asyncio
import os
import signal
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.events import INTAKE_TOPIC, dlq_topic, encode_event, new_event
from shared.events.envelope import CONTENT_TYPE
from shared.sealing import seal_personal_fields
from shared.settings import CommonSettings, Mode
from tests.routing.integration.flow import case, submit, wait_case, wait_open
from tests.support.clues import clue_payload
from tests.support.stack import INTAKE, KAFKA, ROUTING, STATE, client, eventually

DIVISION = "330114"
GOV = f"{DIVISION}.gov"
REPO = Path(__file__).resolve().parents[3]
HEADERS = [("content-type", CONTENT_TYPE.encode())]


def clue_received_data(clue_id: str, **overrides: Any) -> dict[str, Any]:
    """What intake publishes for a new clue (intake.app.submit_clue.clue_event_data), sealed with the
    development key the stack under test runs with."""
    sealer = CommonSettings(
        _env_file=None, mode=Mode.DEVELOPMENT, personal_data_key=None
    ).personal_data_sealer()
    assert sealer is not None
    content = {k: v for k, v in clue_payload(division=DIVISION, **overrides).items() if k != "source_payload"}
    data = seal_personal_fields(content, sealer, clue_id=clue_id)
    data.update(
        clue_id=clue_id,
        submitted_by="source:national",
        emergency=False,
        emergency_reasons=[],
        lead_clue_id=None,
    )
    return data


def clue_received(clue_id: str, data: dict[str, Any] | None = None) -> bytes:
    event = new_event(
        source="/tests/routing",
        type="clue.received",
        subject=clue_id,
        data=clue_received_data(clue_id),
        time=datetime.now(UTC),
    )
    if data is not None:  # bypass the schema check of new_event, as a broken producer would
        event = event.model_copy(update={"data": data})
    return encode_event(event)


@pytest.fixture
async def producer() -> AsyncIterator[AIOKafkaProducer]:
    kafka = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all")
    await kafka.start()
    yield kafka
    await kafka.stop()


async def test_the_same_event_twice_creates_one_set_of_tasks(producer: AIOKafkaProducer) -> None:
    clue_id = str(uuid.uuid4())
    message = clue_received(clue_id)
    for _ in range(2):
        await producer.send_and_wait(INTAKE_TOPIC, value=message, key=clue_id.encode(), headers=HEADERS)
    # A third event on the same key proves the second was consumed before we look.
    marker = str(uuid.uuid4())
    await producer.send_and_wait(
        INTAKE_TOPIC,
        value=clue_received(marker, clue_received_data(marker) | {"external_id": f"M-{marker}"}),
        key=clue_id.encode(),
        headers=HEADERS,
    )
    await wait_open(marker, [("verify", GOV)])
    routed = await case(clue_id)
    assert [(t["kind"], t["agency_id"]) for t in routed["tasks"]] == [("verify", GOV)]
    assert [e["action"] for e in routed["timeline"]].count("received") == 1


async def test_poison_messages_go_to_the_dlq_and_do_not_block_the_partition(
    producer: AIOKafkaProducer,
) -> None:
    clue_id = str(uuid.uuid4())
    key = clue_id.encode()
    dlq = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False)
    await dlq.start()
    try:
        known = await producer.partitions_for(dlq_topic(INTAKE_TOPIC))
        partitions = [TopicPartition(dlq_topic(INTAKE_TOPIC), p) for p in known]
        dlq.assign(partitions)
        await dlq.seek_to_end(*partitions)
        for partition in partitions:
            await dlq.position(partition)

        undecodable = b"{not a cloud event"
        garbage = clue_received(clue_id, {"clue_id": clue_id, "division": "nowhere", "workers": "many"})
        for value in (undecodable, garbage):
            await producer.send_and_wait(INTAKE_TOPIC, value=value, key=key, headers=HEADERS)
        await producer.send_and_wait(INTAKE_TOPIC, value=clue_received(clue_id), key=key, headers=HEADERS)

        parked: list[Any] = []

        async def both_parked() -> list[Any] | None:
            batches = await dlq.getmany(timeout_ms=500)
            parked.extend(
                r
                for records in batches.values()
                for r in records
                if r.key == key and ("dlt-original-consumer-group", b"anxin-routing") in r.headers
            )
            return parked if len(parked) >= 2 else None

        # Other services consume anxin.intake too; routing's own dead letters name its group.
        await eventually(both_parked, within=30, what="two messages on anxin.intake.dlq")
    finally:
        await dlq.stop()
    assert [r.value for r in parked] == [undecodable, garbage]
    for record in parked:
        headers = {k: v.decode() for k, v in record.headers}
        assert headers["dlt-original-topic"] == INTAKE_TOPIC
        assert headers["dlt-original-consumer-group"] == "anxin-routing"
        assert headers["dlt-exception-message"]
        assert {"dlt-original-partition", "dlt-original-offset", "dlt-exception-fqcn"} <= set(headers)
    # The valid clue right behind them, with the same key and partition, is routed.
    await wait_open(clue_id, [("verify", GOV)])


async def _stack(*args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        str(REPO / "deploy/local/stack.sh"),
        *args,
        cwd=REPO,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await process.wait() == 0


async def _routing_ready() -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            return (await http.get(f"{ROUTING}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def test_routing_killed_mid_stream_loses_and_duplicates_nothing() -> None:
    pid = int((STATE / "run" / "routing.pid").read_text().strip())
    clue_ids: list[str] = []

    async def submit_all() -> None:
        for _ in range(30):
            clue_ids.append(await submit(division=DIVISION))

    submitting = asyncio.create_task(submit_all())
    await eventually(lambda: _ready_after(clue_ids, 8), what="some clues submitted")
    os.kill(pid, signal.SIGKILL)
    try:
        await submitting
    finally:
        # Whatever failed, the shared stack gets its routing back.
        await eventually(lambda: _dead(pid), within=10, what="the killed routing process gone")
        await _stack("start-service", "routing")
        await eventually(_routing_ready, within=60, what="routing ready again")

    for clue_id in clue_ids:
        routed = await wait_case(clue_id, "its first task", lambda c: len(c["tasks"]) >= 1, within=90)
        assert [(t["kind"], t["agency_id"]) for t in routed["tasks"]] == [("verify", GOV)], clue_id
        assert [e["action"] for e in routed["timeline"]].count("received") == 1
    # Routing's outbox survived too: intake hears of every clue's first stage.
    async with client(INTAKE, "source:national") as intake:
        for clue_id in clue_ids:

            async def in_progress(clue_id: str = clue_id) -> bool:
                body = (await intake.get(f"/v1/clues/{clue_id}")).json()
                return bool(body["status"] == "in_progress" and body["stage"] == ["verify"])

            await eventually(in_progress, within=60, what=f"intake showing {clue_id} in verify")


async def _ready_after(items: list[str], count: int) -> bool:
    return len(items) >= count


async def _dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_a_linked_clue_arriving_before_its_lead_waits_and_then_joins(
    producer: AIOKafkaProducer,
) -> None:
    lead_id, follower_id = str(uuid.uuid4()), str(uuid.uuid4())
    follower = clue_received(follower_id, clue_received_data(follower_id) | {"lead_clue_id": lead_id})
    await producer.send_and_wait(INTAKE_TOPIC, value=follower, key=follower_id.encode(), headers=HEADERS)
    waiting = await wait_case(follower_id, "the follower stored", lambda c: c["status"] == "received")
    assert waiting["tasks"] == []
    assert waiting["timeline"][-1]["action"] == "awaiting_lead"

    await producer.send_and_wait(
        INTAKE_TOPIC, value=clue_received(lead_id), key=lead_id.encode(), headers=HEADERS
    )
    await wait_open(lead_id, [("verify", GOV)])
    joined = await wait_case(follower_id, "the follower joined", lambda c: c["status"] == "in_progress")
    assert joined["tasks"] == []
    assert joined["lead_clue_id"] == lead_id
    assert joined["related"] == [lead_id]
