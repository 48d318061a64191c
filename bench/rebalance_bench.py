"""Rebalances under load. With clues flowing at a steady rate, a second instance of routing, deadlines
or notify joins its consumer groups, leaves them (SIGTERM), joins again and is killed (SIGKILL).
For each event: how long the service's output stalls, and how many events were applied twice
(inbox hits). Needs the stack (`make up`); `make bench` starts it.

The output watched is the service's first reaction to each clue: routing's `task.assigned`,
deadlines' `deadline.started` (overall), notify's task.assigned webhook at a local receiver. A
stall is the longest pause between two outputs of one partition (clues keep their partition from
intake to the output, keyed by clue id) that overlaps the event, beside the longest such pause in
the steady flow before the first event of the same run: the baseline.
"""

import asyncio
import itertools
import json
import os
import signal
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import murmur2

from bench.results import write_section
from shared.events import DEADLINES_TOPIC, INTAKE_TOPIC, ROUTING_TOPIC
from shared.events.envelope import decode_event
from shared.settings import CommonSettings
from tests.support.clues import clue_payload
from tests.support.groups import REBALANCE_WITHIN, partitions, sharing
from tests.support.receiver import WebhookReceiver
from tests.support.stack import (
    DATABASE_URL,
    DEADLINES,
    INTAKE,
    KAFKA,
    NOTIFY,
    ROUTING,
    STATE,
    auth,
    eventually,
    spare_port,
)

RATE = float(os.environ.get("ANXIN_BENCH_REBALANCE_RATE", "50"))
RUNS = int(os.environ.get("ANXIN_BENCH_REBALANCE_RUNS", "5"))
SERVICES = os.environ.get("ANXIN_BENCH_REBALANCE_SERVICES", "routing,deadlines,notify").split(",")
STEADY = 6.0  # seconds of steady flow before the first event (the baseline)
WINDOW = 10.0  # seconds watched after a join or a leave
KILL_WINDOW = CommonSettings().consumer_session_timeout_ms / 1000 + 10
DIVISION = "330182"
GOV = f"{DIVISION}.gov"
PARTITIONS = CommonSettings().kafka_partitions
FIRST = {"routing": ROUTING, "deadlines": DEADLINES, "notify": NOTIFY}
#: The topic each service's watched output comes from.
INPUT = {"routing": INTAKE_TOPIC, "deadlines": INTAKE_TOPIC, "notify": ROUTING_TOPIC}
UVICORN = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "uvicorn"


def partition_of(clue_id: str) -> int:
    """Kafka's default partitioner, as intake's producer places the clue."""
    return int(murmur2(clue_id.encode()) & 0x7FFFFFFF) % PARTITIONS


@dataclass
class Output:
    """When each clue's first output arrived, by partition."""

    seen: set[str] = field(default_factory=set)
    times: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, clue_id: str, at: float) -> None:
        if clue_id not in self.seen:
            self.seen.add(clue_id)
            self.times[partition_of(clue_id)].append(at)

    def longest_pause(self, start: float, end: float) -> float:
        """The longest pause between outputs of one partition overlapping [start, end]."""
        longest = 0.0
        for times in self.times.values():
            marks = sorted(times)
            for before, after in itertools.pairwise(marks):
                if after > start and before < end:
                    longest = max(longest, after - before)
            later = [t for t in marks if t > start]
            if not later:  # nothing came out of this partition after the event at all
                longest = max(longest, end - start)
        return longest


@dataclass
class Progress:
    """A consumer group's committed offsets, sampled: when each partition last moved forward."""

    moves: dict[TopicPartition, list[tuple[float, bool]]] = field(default_factory=lambda: defaultdict(list))
    """per partition: (when the committed offset moved, whether a backlog was left behind it)"""

    def longest_stall(self, start: float, end: float) -> float:
        """The longest time a partition with a backlog went without a commit, overlapping [start, end]."""
        longest = 0.0
        for moves in self.moves.values():
            for (before, backlog), (after, _) in itertools.pairwise([*moves, (end, False)]):
                if backlog and after > start and before < end:
                    longest = max(longest, min(after, end) - max(before, start - 1))
        return longest


class Flow:
    """Clues posted at a fixed rate (open loop) until stopped, and the three outputs watched."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}
        self.failed = 0
        self.outputs = {name: Output() for name in FIRST}
        self.progress = {name: Progress() for name in FIRST}
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[Any]] = []
        self.receiver = WebhookReceiver()
        self._path = f"/ok/rebalance-{time.monotonic_ns()}"

    async def __aenter__(self) -> "Flow":
        await self.receiver.start()
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.put(
                f"{NOTIFY}/v1/subscriptions/me",
                json={"url": self.receiver.url(self._path), "events": ["task.assigned"]},
                headers=auth(f"agency:{GOV}"),
            )
            response.raise_for_status()
        self.consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False)
        await self.consumer.start()
        partitions = [
            TopicPartition(t, p) for t in (ROUTING_TOPIC, DEADLINES_TOPIC) for p in range(PARTITIONS)
        ]
        self.consumer.assign(partitions)
        await self.consumer.seek_to_end(*partitions)
        self.admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
        await self.admin.start()
        self._tasks = [
            asyncio.create_task(self._watch()),
            asyncio.create_task(self._post()),
            *(asyncio.create_task(self._sample(service)) for service in FIRST),
        ]
        return self

    async def __aexit__(self, *_: object) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.consumer.stop()
        await self.admin.close()
        await self.receiver.stop()

    async def _sample(self, service: str) -> None:
        last: dict[TopicPartition, int] = {}
        progress = self.progress[service]
        while True:
            committed = {
                tp: meta
                for tp, meta in (await self.admin.list_consumer_group_offsets(f"anxin-{service}")).items()
                if tp.topic == INPUT[service]
            }
            ends = await self.consumer.end_offsets(list(committed))
            now = time.monotonic()
            for tp, meta in committed.items():
                if meta.offset != last.get(tp):
                    progress.moves[tp].append((now, ends[tp] > meta.offset))
                    last[tp] = meta.offset
                elif ends[tp] > meta.offset and progress.moves[tp] and not progress.moves[tp][-1][1]:
                    progress.moves[tp].append((now, True))  # a backlog came up behind an idle partition
            await asyncio.sleep(0.1)

    async def _watch(self) -> None:
        webhooks = 0
        while True:
            batches = await self.consumer.getmany(timeout_ms=100)
            now = time.monotonic()
            for records in batches.values():
                for record in records:
                    event = decode_event(record.value)
                    if event.type == "task.assigned":
                        self.outputs["routing"].add(event.subject, now)
                    elif event.type == "deadline.started" and event.data.get("rule") == "overall":
                        self.outputs["deadlines"].add(event.subject, now)
            received = self.receiver.received(self._path)
            for webhook in received[webhooks:]:
                # the receiver stamps arrivals with the loop's clock, which is time.monotonic()
                self.outputs["notify"].add(json.loads(webhook.body)["data"]["clue_id"], webhook.at)
            webhooks = len(received)

    async def _post(self) -> None:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(
            base_url=INTAKE, headers=auth("source:provincial"), timeout=60, limits=limits
        ) as intake:
            in_flight: set[asyncio.Task[None]] = set()

            async def one() -> None:
                try:
                    response = await intake.post(
                        "/v1/clues", json=clue_payload(source="provincial", division=DIVISION)
                    )
                except httpx.TransportError:
                    self.failed += 1
                    return
                if response.status_code == 201:
                    self.accepted[response.json()["clue_id"]] = time.monotonic()
                else:
                    self.failed += 1

            started = time.monotonic()
            sent = 0
            while not self._stop.is_set():
                due = started + sent / RATE
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                task = asyncio.create_task(one())
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                sent += 1
            await asyncio.gather(*in_flight, return_exceptions=True)


class Instance:
    """A second uvicorn process of one service on the stack's database and Kafka."""

    def __init__(self, service: str, port: int) -> None:
        self.service, self.url = service, f"http://127.0.0.1:{port}"
        self.port = port
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {**os.environ, "ANXIN_DATABASE_URL": DATABASE_URL, "ANXIN_KAFKA_BOOTSTRAP": KAFKA}
        log = (STATE / "log" / f"{self.service}-{self.port}.log").open("ab")
        self.process = await asyncio.create_subprocess_exec(
            str(UVICORN), f"{self.service}.main:create_app", "--factory", "--host", "127.0.0.1",
            "--port", str(self.port), "--no-access-log", env=env, stdout=log, stderr=log,
        )  # fmt: skip

    async def end(self, how: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(how)
        await self.process.wait()


async def duplicates(urls: list[str]) -> int:
    total = 0
    async with httpx.AsyncClient(timeout=5) as http:
        for url in urls:
            try:
                consumers = (await http.get(f"{url}/readyz")).json()["checks"]["consumers"]
            except (httpx.HTTPError, ValueError, KeyError):
                continue
            total += sum(int(c.get("duplicates", 0)) for c in consumers.values())
    return total


@dataclass
class Event:
    kind: str
    stall: float
    """the longest a partition with a backlog went uncommitted"""
    pause: float
    """the longest pause of one partition's output, end to end"""
    duplicates: int
    settled: float
    """seconds from the event until every instance left holds partitions again"""


async def watch(
    flow: Flow,
    service: str,
    kind: str,
    act: Awaitable[None],
    settled_when: Callable[[], Awaitable[bool]],
    counted: list[str],
) -> Event:
    """Do ``act`` with the flow running; ``counted`` are the instances whose inbox hits it adds up."""
    before = await duplicates(counted)
    at = time.monotonic()
    await act
    await eventually(settled_when, within=REBALANCE_WITHIN, interval=0.1, what=f"{service} {kind} to settle")
    settled = time.monotonic() - at
    window = KILL_WINDOW if kind == "kill" else WINDOW
    await asyncio.sleep(max(0.0, at + window - time.monotonic()))
    after = await duplicates([FIRST[service]])
    stall = flow.progress[service].longest_stall(at, at + window)
    pause = flow.outputs[service].longest_pause(at, at + window)
    return Event(kind, stall, pause, max(after - before, 0), settled)


async def one_run(service: str, run: int) -> tuple[tuple[float, float], list[Event]]:
    first = FIRST[service]
    second = Instance(service, spare_port(40 + run))
    alone = await partitions(first)
    assert alone, f"{service} at {first} holds no partitions"

    async def first_holds_all() -> bool:
        return await partitions(first) == alone

    async def both_share() -> bool:
        return await sharing([first, second.url])

    async with Flow() as flow:
        await asyncio.sleep(STEADY)
        steady = (time.monotonic() - STEADY + 2, time.monotonic())
        baseline = (
            flow.progress[service].longest_stall(*steady),
            flow.outputs[service].longest_pause(*steady),
        )
        joined = await watch(flow, service, "join", second.start(), both_share, [first])
        joined.duplicates += await duplicates([second.url])
        # a leaving instance's own count goes with it: read it first
        leaving = await duplicates([second.url])
        left = await watch(flow, service, "leave", second.end(signal.SIGTERM), first_holds_all, [first])
        await second.start()
        await eventually(both_share, within=REBALANCE_WITHIN, what=f"the second {service} to join again")
        await asyncio.sleep(3)
        killed = await watch(flow, service, "kill", second.end(signal.SIGKILL), first_holds_all, [first])
        print(
            f"{service} run {run}: stall/pause baseline {baseline[0]:.2f}/{baseline[1]:.2f}s, "
            f"join {joined.stall:.2f}/{joined.pause:.2f}s, leave {left.stall:.2f}/{left.pause:.2f}s, "
            f"kill {killed.stall:.2f}/{killed.pause:.2f}s; applied twice {joined.duplicates}/{left.duplicates}/{killed.duplicates}"
            f" (the leaving instance itself {leaving}); accepted {len(flow.accepted)}, refused {flow.failed}",
            flush=True,
        )
    return baseline, [joined, left, killed]


def spread(values: list[float], unit: str = "s") -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f} {unit}"


async def measure() -> str:
    rows = []
    for service in SERVICES:
        baselines: list[tuple[float, float]] = []
        events: dict[str, list[Event]] = defaultdict(list)
        for run in range(RUNS):
            baseline, run_events = await one_run(service, run)
            baselines.append(baseline)
            for event in run_events:
                events[event.kind].append(event)
        rows.append(
            f"| {service} | steady flow (baseline) | {spread([b[0] for b in baselines])} "
            f"| {spread([b[1] for b in baselines])} | | |"
        )
        for kind in ("join", "leave", "kill"):
            twice = [e.duplicates for e in events[kind]]
            rows.append(
                f"| {service} | {kind} | {spread([e.stall for e in events[kind]])} "
                f"| {spread([e.pause for e in events[kind]])} | {spread([e.settled for e in events[kind]])} "
                f"| {min(twice)} / {statistics.median(twice):g} / {max(twice)} |"
            )
    tuning = CommonSettings()
    return (
        f"Clues posted at {RATE:g}/s (open loop) to intake while a second instance of each consuming\n"
        f"service joins its groups, leaves (SIGTERM), joins again and is killed (SIGKILL); {RUNS} runs\n"
        "each, min / median / max. Stall: the longest time one partition with a backlog went without a\n"
        "commit of the service's group, overlapping the event (committed offsets of the topic the\n"
        "watched output comes from, anxin.intake or for notify anxin.routing, sampled every 0.1 s).\n"
        "Output pause: the same, end to end, between two outputs of one partition (routing:\n"
        "task.assigned, deadlines: deadline.started, notify: the task.assigned webhook), which also\n"
        "waits for the outbox relay and, for notify, the delivery worker. The baseline rows measure\n"
        "both in the steady flow before the first event. Settled: until every remaining instance holds\n"
        "partitions again. Applied twice: inbox hits of the service's consumers during the event.\n"
        f"Consumer settings: session timeout {tuning.consumer_session_timeout_ms} ms, heartbeat "
        f"{tuning.consumer_heartbeat_interval_ms} ms, max poll interval {tuning.consumer_max_poll_interval_ms} ms, "
        f"{tuning.consumer_max_records} records a fetch, drain {tuning.consumer_drain_seconds:g} s.\n"
        "Targets: join and leave stall at most 10 s; a kill resumes within the session timeout + 5 s.\n\n"
        "| service | event | stall | output pause | settled | applied twice |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
    )


def main() -> None:
    write_section("rebalance", asyncio.run(measure()))


if __name__ == "__main__":
    main()
