"""The Kafka baseline: raw aiokafka produce -> consume on a scratch topic of the stack's broker, with the
producer settings the services use (acks=all, linger 2 ms) and messages the size of a clue.

`round_trip` sends on the open-loop schedule of the HTTP generator and measures each message from its
tick to its arrival at a consumer in the same process (one hop; the pipeline crosses Kafka twice);
`max_rate` sends N messages as fast as the producer takes them and times their arrival.
"""

import asyncio
import contextlib
import json
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.openloop import LATE_AFTER


@dataclass
class KafkaRun:
    sent: int = 0
    dropped: int = 0  # ticks with max_in_flight sends unacknowledged: not sent
    late: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # tick -> consumed, per message received
    seconds: float = 0.0  # first send -> last message consumed

    @property
    def received(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.received / self.seconds if self.seconds else 0.0


@contextlib.asynccontextmanager
async def scratch_topic(bootstrap: str) -> AsyncIterator[tuple[str, int]]:
    """A topic of its own for the baseline, with as many partitions as most of the stack's topics (6 if
    there are none yet), deleted afterwards: (name, partitions)."""
    topic = f"bench.scratch.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        names = [t for t in await admin.list_topics() if not t.startswith(("__", "bench."))]
        counts = (
            Counter(len(t["partitions"]) for t in await admin.describe_topics(names)) if names else Counter()
        )
        partitions = counts.most_common(1)[0][0] if counts else 6
        await admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
        yield topic, partitions
    finally:
        with contextlib.suppress(Exception):  # a scratch topic left behind is harmless
            await admin.delete_topics([topic])
        await admin.close()


class _Hop:
    """A producer and a consumer reading every partition of the topic from its end."""

    def __init__(self, bootstrap: str, topic: str, partitions: int, size: int) -> None:
        self.topic, self.partitions, self.size = topic, partitions, size
        self.producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, acks="all", linger_ms=2, request_timeout_ms=10_000
        )
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self.arrived: dict[int, float] = {}
        self.expected = 0
        self.complete = asyncio.Event()
        self.run_id = uuid.uuid4().hex
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "_Hop":
        await self.producer.start()
        await self.consumer.start()
        assigned = [TopicPartition(self.topic, p) for p in range(self.partitions)]
        self.consumer.assign(assigned)
        await self.consumer.seek_to_end(*assigned)
        for tp in assigned:
            await self.consumer.position(tp)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self.consumer.stop()
        await self.producer.stop()

    async def _read(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=100)
            now = time.perf_counter()
            for messages in batches.values():
                for message in messages:
                    head = json.loads(message.value)
                    if head["run"] == self.run_id:
                        self.arrived.setdefault(int(head["i"]), now)
            if self.expected and len(self.arrived) >= self.expected:
                self.complete.set()

    def message(self, i: int) -> tuple[bytes, bytes]:
        value = json.dumps({"run": self.run_id, "i": i, "pad": ""})
        value = value[:-2] + "x" * max(0, self.size - len(value)) + '"}'
        return str(uuid.uuid4()).encode(), value.encode()

    async def wait_for(self, count: int, within: float) -> None:
        """Until `count` messages have arrived, or `within` seconds."""
        self.expected = count
        if len(self.arrived) >= count:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.complete.wait(), within)


async def round_trip(
    bootstrap: str,
    topic: str,
    partitions: int,
    *,
    rate: float,
    count: int,
    size: int,
    max_in_flight: int,
    wait: float = 30,
) -> KafkaRun:
    run = KafkaRun()
    async with _Hop(bootstrap, topic, partitions, size) as hop:
        ticks: dict[int, float] = {}
        pending: set[asyncio.Task[None]] = set()

        async def send(i: int) -> None:
            key, value = hop.message(i)
            try:
                await (await hop.producer.send(topic, value, key=key))
            except Exception:  # counted, and shown in the report
                run.errors += 1

        started = time.perf_counter()
        for i in range(count):
            tick = started + i / rate
            delay = tick - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if len(pending) >= max_in_flight:
                run.dropped += 1
                continue
            if time.perf_counter() - tick > LATE_AFTER:
                run.late += 1
            ticks[i] = tick
            task = asyncio.create_task(send(i))
            pending.add(task)
            task.add_done_callback(pending.discard)
        run.sent = len(ticks)
        if pending:
            await asyncio.wait(pending)
        await hop.wait_for(run.sent - run.errors, wait)
        run.latencies_ms = [(hop.arrived[i] - ticks[i]) * 1000 for i in ticks if i in hop.arrived]
        if hop.arrived:
            run.seconds = max(hop.arrived.values()) - started
    return run


async def max_rate(
    bootstrap: str, topic: str, partitions: int, *, count: int, size: int, wait: float = 120
) -> KafkaRun:
    """`count` messages handed to the producer as fast as it takes them; rate = received / (first send
    to last arrival)."""
    run = KafkaRun(sent=count)
    async with _Hop(bootstrap, topic, partitions, size) as hop:
        messages = [hop.message(i) for i in range(count)]
        started = time.perf_counter()
        acks = [await hop.producer.send(topic, value, key=key) for key, value in messages]
        results = await asyncio.gather(*acks, return_exceptions=True)
        run.errors = sum(isinstance(r, BaseException) for r in results)
        await hop.wait_for(count - run.errors, wait)
        run.latencies_ms = [(at - started) * 1000 for at in hop.arrived.values()]
        if hop.arrived:
            run.seconds = max(hop.arrived.values()) - started
    return run
