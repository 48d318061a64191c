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
