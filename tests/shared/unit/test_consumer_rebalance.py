"""The consumer's rebalance behaviour that needs no broker: batch sizing and letting go."""

import asyncio
from typing import Any, cast

import pytest
from aiokafka import TopicPartition

from shared.consumer import ConsumerTuning, EventConsumer

pytestmark = pytest.mark.unit


def consumer(**tuning: Any) -> EventConsumer:
    return EventConsumer(
        name="events",
        topics=["anxin.intake"],
        group_id="anxin-test",
        kafka="127.0.0.1:1",
        sessions=cast(Any, None),
        inbox=cast(Any, None),
        handler=cast(Any, None),
        producer=cast(Any, None),
        tuning=ConsumerTuning(**tuning),
    )


def test_fetches_are_sized_to_the_batch_budget_from_the_measured_cost() -> None:
    events = consumer(max_records=200, batch_seconds=1.0)
    first = events._fetch_size()
    assert 1 <= first <= 200  # nothing measured yet: a small first fetch
    events._measure(seconds=2.0, records=20)  # 100 ms a record
    assert events._fetch_size() == 10
    for _ in range(30):
        events._measure(seconds=0.01, records=10)  # 1 ms a record: the budget fits more than the cap
    assert events._fetch_size() == 200
    for _ in range(30):
        events._measure(seconds=30.0, records=1)  # slower than the budget: one at a time, never zero
    assert events._fetch_size() == 1


async def test_letting_go_waits_for_the_batch_in_flight_then_takes_no_more() -> None:
    events = consumer(drain_seconds=5.0)
    partitions = [TopicPartition("anxin.intake", 0)]
    events.assigned(partitions)
    assert events.partitions == frozenset(partitions)
    events._idle.clear()  # a batch is in flight
    drained = asyncio.create_task(events.drain(partitions))
    await asyncio.sleep(0.05)
    assert not drained.done(), "let go while the batch in flight had not committed"
    assert events._letting_go
    events._idle.set()
    await asyncio.wait_for(drained, timeout=1)
    assert events.partitions == frozenset()
    events.assigned(partitions)
    assert not events._letting_go
    assert events.rebalances == 2


async def test_letting_go_is_bounded_by_the_drain_time() -> None:
    events = consumer(drain_seconds=0.1)
    events._idle.clear()  # a batch that never finishes
    await asyncio.wait_for(events.drain([]), timeout=1)
    assert events._letting_go


class FakeKafka:
    """What _consume_once uses of AIOKafkaConsumer: one getmany answer, and the seeks it makes."""

    def __init__(self, batches: dict[TopicPartition, list[Any]]) -> None:
        self.batches = batches
        self.seeks: dict[TopicPartition, int] = {}

    async def getmany(self, timeout_ms: int) -> dict[TopicPartition, list[Any]]:  # noqa: ARG002
        return self.batches

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.seeks[partition] = offset


class Record:
    def __init__(self, offset: int) -> None:
        self.offset = offset


async def test_every_partition_gets_its_share_and_the_rest_is_fetched_again() -> None:
    events = consumer(max_records=200, batch_seconds=1.0)
    events._measure(seconds=1.0, records=10)  # 100 ms a record: 10 fit the budget
    busy, quiet = TopicPartition("anxin.intake", 0), TopicPartition("anxin.intake", 1)
    kafka = FakeKafka({busy: [Record(i) for i in range(50)], quiet: [Record(7)]})
    applied: dict[TopicPartition, list[int]] = {}

    async def apply(_: Any, partition: TopicPartition, records: list[Any]) -> None:
        applied[partition] = [r.offset for r in records]

    events._apply_partition = apply  # type: ignore[method-assign,assignment]
    await events._consume_once(cast(Any, kafka))
    assert applied == {busy: list(range(10)), quiet: [7]}
    assert kafka.seeks == {busy: 10}
