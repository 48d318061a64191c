"""Personal data never travels in clear on Kafka: a client that reaches the broker but lacks the key
(ANXIN_PERSONAL_DATA_KEY, held by intake and routing) reads no complainant's name, phone or ID
number on any topic or dead-letter topic, while routing still shows them to the office in full."""

import random
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.events.topics import ALL_TOPICS, dlq_topic
from tests.support.clues import clue_payload, make_id_number
from tests.support.stack import INTAKE, KAFKA, ROUTING, client, eventually

DIVISION = "330105"


async def every_message() -> list[bytes]:
    """Each message's value and headers on every topic and DLQ, from the start to the end now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False)
    await consumer.start()
    seen: list[bytes] = []
    try:
        topics = [*ALL_TOPICS, *(dlq_topic(t) for t in ALL_TOPICS)]
        admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
        await admin.start()
        try:
            described = await admin.describe_topics(topics)
        finally:
            await admin.close()
        partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]]
        assert len(partitions) >= len(topics), partitions
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        for tp in partitions:
            while await consumer.position(tp) < ends[tp]:
                for record in (await consumer.getmany(tp, timeout_ms=2000)).get(tp, []):
                    seen.append(record.value or b"")
                    seen.extend(value for _, value in record.headers)
    finally:
        await consumer.stop()
    return seen


async def test_no_topic_or_dlq_carries_a_complainant_in_clear() -> None:
    name = f"测试人{uuid.uuid4().hex[:6]}"
    phone = f"139{random.randrange(10**8):08d}"
    id_number = make_id_number()
    payload = clue_payload(
        source="provincial",
        division=DIVISION,
        workers=40,  # an emergency too: clue.emergency and its respond tasks go out as well
        complainant={"name": name, "phone": phone, "id_number": id_number},
        summary=f"投诉人电话{phone}，身份证{id_number}，反映工程完工后拖欠工资",
    )
    async with client(INTAKE, "source:provincial") as intake:
        response = await intake.post("/v1/clues", json=payload)
    assert response.status_code == 201, response.text
    clue_id = response.json()["clue_id"]

    async with client(ROUTING, f"agency:{DIVISION}.office") as office:

        async def shown_in_full() -> dict[str, Any] | None:
            answer = await office.get(f"/v1/cases/{clue_id}")
            if answer.status_code != 200 or not answer.json()["tasks"]:
                return None
            shown: dict[str, Any] = answer.json()["clue"]
            return shown

        shown = await eventually(shown_in_full, within=60, what="routing to show the case to the office")
    assert shown["complainant"] == {"name": name, "phone": phone, "id_number": id_number}
    assert shown["summary"] == payload["summary"]

    messages = await every_message()
    assert any(clue_id.encode() in m for m in messages), "the clue's own events were not found"
    for secret in (name, phone, id_number):
        leaked = [m[:200] for m in messages if secret.encode() in m]
        assert not leaked, (secret, leaked)
