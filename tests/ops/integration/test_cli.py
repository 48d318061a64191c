"""anxin-ops against the running stack: backlog, DLQ replay, calendar, audit, redelivery."""

import asyncio
import json
import uuid
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from typer.testing import CliRunner

from shared.kafka import ensure_topics
from shared.ops.cli import app
from tests.support import stack
from tests.support.stack import KAFKA

runner = CliRunner()
#: The admin key comes from the environment (or a file), never as a flag value.
ADMIN = {"ANXIN_OPS_KEY": stack.key("admin")}


def test_backlog_shows_every_outbox_and_the_lag_of_every_group() -> None:
    result = runner.invoke(app, ["backlog", "--json", "--kafka", KAFKA])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    outboxes = {o["service"]: o for o in report["outboxes"]}
    for service in ("routing", "deadlines"):
        assert outboxes[service]["reachable"], service
        assert outboxes[service]["backlog"] is not None
    groups = {(g["group"], g["topic"]) for g in report["consumer_groups"]}
    assert ("anxin-routing", "anxin.intake") in groups
    assert ("anxin-notify", "anxin.deadlines") in groups
    assert all(g["lag"] == g["end"] - (g["committed"] or 0) for g in report["consumer_groups"])


def test_backlog_shows_the_webhook_backlog() -> None:
    result = runner.invoke(app, ["backlog", "--json", "--kafka", KAFKA])
    assert result.exit_code == 0, result.output
    webhooks = json.loads(result.stdout)["webhooks"]
    assert webhooks["reachable"]
    assert isinstance(webhooks["pending"], int)
    assert isinstance(webhooks["failed"], int)
    assert webhooks["oldest_pending_seconds"] >= 0
    text = runner.invoke(app, ["backlog", "--kafka", KAFKA])
    assert "webhooks\tpending\tfailed\toldest_pending_seconds" in text.stdout
    assert "notify\tunreachable" not in text.stdout


async def _park(topic: str, messages: list[tuple[str, str]]) -> None:
    await ensure_topics(KAFKA, [topic, f"{topic}.dlq"], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA)
    await producer.start()
    try:
        for key, value in messages:
            headers = [("dlt-original-topic", topic.encode()), ("dlt-exception-message", b"boom")]
            await producer.send_and_wait(
                f"{topic}.dlq", value=value.encode(), key=key.encode(), headers=headers
            )
    finally:
        await producer.stop()


async def _read(topic: str, count: int) -> list[tuple[str, str, list[str]]]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=KAFKA, auto_offset_reset="earliest")
    await consumer.start()
    try:
        records: list[ConsumerRecord[bytes, bytes]] = []
        while len(records) < count:
            batch = await asyncio.wait_for(consumer.getmany(timeout_ms=500), timeout=20)
            records += [r for rs in batch.values() for r in rs]
        await asyncio.sleep(0.5)  # anything beyond `count` would show up in this extra poll
        records += [r for rs in (await consumer.getmany(timeout_ms=500)).values() for r in rs]
        return [(r.key.decode(), r.value.decode(), [h for h, _ in r.headers]) for r in records]
    finally:
        await consumer.stop()


def test_dlq_replay_republishes_each_message_once_to_its_topic_with_its_key() -> None:
    topic = f"anxin-ops-test-{uuid.uuid4().hex[:12]}"
    parked = [(f"clue-{i}", json.dumps({"n": i})) for i in range(3)]
    asyncio.run(_park(topic, parked))

    first = runner.invoke(app, ["dlq", "replay", "--kafka", KAFKA, "--topic", topic, "--max", "2"])
    assert first.exit_code == 0, first.output
    assert "replayed 2 message(s)" in first.stdout
    second = runner.invoke(app, ["dlq", "replay", "--kafka", KAFKA, "--topic", topic])
    assert "replayed 1 message(s)" in second.stdout
    third = runner.invoke(app, ["dlq", "replay", "--kafka", KAFKA, "--topic", topic])
    assert "replayed 0 message(s)" in third.stdout

    republished = asyncio.run(_read(topic, 3))
    assert [(key, value) for key, value, _ in republished] == parked
    for _, _, headers in republished:
        assert "dlt-exception-message" not in headers
        assert "anxin-replayed-from" in headers


def test_calendar_load_puts_the_schedule_and_refuses_a_non_admin_key(tmp_path: Path) -> None:
    schedule = tmp_path / "2098.yaml"
    name = f"测试节{uuid.uuid4().hex[:6]}"
    schedule.write_text(
        f"holidays:\n  - {{date: 2098-10-01, name: {name}}}\n  - {{date: 2098-10-02, name: {name}}}\n"
        "workdays: [2098-09-27]\n",
        encoding="utf-8",
    )
    refused = runner.invoke(
        app, ["calendar", "load", "2098", str(schedule)], env={"ANXIN_OPS_KEY": stack.key("source:national")}
    )
    assert refused.exit_code == 1
    assert "403" in refused.output

    loaded = runner.invoke(app, ["calendar", "load", "2098", str(schedule)], env=ADMIN)
    assert loaded.exit_code == 0, loaded.output
    assert "2098: 2 holidays, 1 working days" in loaded.stdout
    day = httpx.get(f"{stack.DEADLINES}/v1/calendar/days/2098-10-01", headers=stack.auth("admin")).json()
    assert (day["workday"], day["holiday"], day["provisional"]) == (False, name, False)
    makeup = httpx.get(f"{stack.DEADLINES}/v1/calendar/days/2098-09-27", headers=stack.auth("admin")).json()
    assert makeup["workday"] is True


def test_audit_verify_checks_every_case_of_a_division() -> None:
    result = runner.invoke(app, ["audit", "verify", "330182"], env=ADMIN)
    assert result.exit_code == 0, result.output
    assert "division 330182:" in result.stdout
    assert ", 0 broken" in result.stdout
    refused = runner.invoke(
        app, ["audit", "verify", "330182"], env={"ANXIN_OPS_KEY": stack.key("agency:330182.office")}
    )
    assert refused.exit_code == 1
    bad = httpx.get(
        f"{stack.ROUTING}/v1/cases/verify", params={"division": "33"}, headers=stack.auth("admin")
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_redeliver_takes_a_range_refuses_a_reversed_one_and_non_admins() -> None:
    ok = runner.invoke(
        app,
        ["redeliver", "--since", "2001-01-01T00:00:00+08:00", "--until", "2001-01-02T00:00:00+08:00"],
        env={"ANXIN_OPS_KEY": stack.key("admin")},
    )
    assert ok.exit_code == 0, ok.output
    assert "redelivering 0 failed deliveries" in ok.stdout
    reversed_range = runner.invoke(
        app,
        ["redeliver", "--since", "2001-01-02T00:00:00+08:00", "--until", "2001-01-01T00:00:00+08:00"],
        env={"ANXIN_OPS_KEY": stack.key("admin")},
    )
    assert reversed_range.exit_code == 1
    assert "422" in reversed_range.output
    not_admin = runner.invoke(
        app,
        ["redeliver", "--since", "2001-01-01T00:00:00+08:00"],
        env={"ANXIN_OPS_KEY": stack.key("agency:330182.office")},
    )
    assert not_admin.exit_code == 1
    assert "403" in not_admin.output
    naive = runner.invoke(app, ["redeliver", "--since", "2001-01-01T00:00:00"], env=ADMIN)
    assert naive.exit_code == 2
