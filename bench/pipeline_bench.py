"""The pipeline benchmark (issue 14): open-loop load at fixed rates and a closed-loop burst, from intake's
201 to the first task in routing.tasks and the task.assigned webhook, each figure beside a baseline
measured in the same run (the bare endpoint with the same generator, raw aiokafka on the same broker)
and the CPU each process used. Needs a running stack; talks to it over HTTP, webhooks, Kafka and a
read-only look at routing.tasks.

    python -m bench.pipeline_bench                       # the issue's run: 50,100,200,400/s x 30 s, 20,000 burst
    python -m bench.pipeline_bench --rates 20 --seconds 5 --burst 200 --no-write   # a smoke run
"""

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench import kafka_baseline
from bench.hooks import REPO_ROOT, HookReceiver, free_port
from bench.openloop import Run, closed_loop, make_client, open_loop
from bench.pipeline_report import render as render_report
from bench.pipeline_results import BurstResult, Flow, RateResult
from bench.probes import CpuProbe, CpuUse, cpu_between, first_tasks, postmaster_of
from bench.results import write_section
from tests.support.clues import clue_payload
from tests.support.stack import DATABASE_URL, INTAKE, KAFKA, NOTIFY, STATE, auth

#: The 13 divisions (shared/places.py); each clue goes first to its division's gov (rule 1).
DIVISIONS = ("330102", "330105", "330106", "330108", "330109", "330110", "330111",
             "330112", "330113", "330114", "330122", "330127", "330182")  # fmt: skip
SOURCE = auth("source:national")
POLL = 0.25
WARMUP_WAIT = 60.0


def options(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pipeline_bench", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--rates", default="50,100,200,400", help="open-loop rates, clues/s, comma-separated")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each open-loop window")
    parser.add_argument("--burst", type=int, default=20_000, help="clues in the closed-loop burst (0: none)")
    parser.add_argument("--connections", type=int, default=64, help="closed-loop connections in the burst")
    parser.add_argument(
        "--max-in-flight", type=int, default=256, help="open loop: above this, ticks are dropped"
    )
    parser.add_argument("--drain", type=float, default=120.0, help="bounded wait after each rate's window, s")
    parser.add_argument("--burst-drain", type=float, default=600.0, help="bounded wait after the burst, s")
    parser.add_argument("--warmup", type=int, default=100, help="clues through the pipeline before measuring")
    parser.add_argument(
        "--idle", type=float, default=10.0, help="CPU of the idle stack measured this long, s"
    )
    parser.add_argument("--no-write", action="store_true", help="print the section, leave RESULTS.md alone")
    args = parser.parse_args(argv)
    args.rates = [float(r) for r in str(args.rates).split(",") if r.strip()]
    return args


def bodies(count: int) -> list[bytes]:
    """Clue bodies spread over the divisions, each with its own external id."""
    return [
        json.dumps(
            clue_payload(division=DIVISIONS[i % len(DIVISIONS)], external_id=f"B-{uuid.uuid4()}")
        ).encode()
        for i in range(count)
    ]


class Bench:
    """The stack's endpoints and probes, and what the benchmark started for itself."""

    def __init__(self, engine: AsyncEngine, hooks: HookReceiver, bare_url: str, probe: CpuProbe,
                 topic: str, partitions: int, size: int, args: argparse.Namespace) -> None:  # fmt: skip
        self.engine, self.hooks, self.probe, self.args = engine, hooks, probe, args
        self.topic, self.partitions, self.size = topic, partitions, size
        self.bare = make_client(bare_url, SOURCE)
        self.intake = make_client(f"{INTAKE}/v1/clues", SOURCE)

    async def close(self) -> None:
        await self.bare.aclose()
        await self.intake.aclose()

    async def follow(self, run: Run, within: float) -> Flow:
        """Read routing.tasks and the receiver right after the window, then until every accepted clue has
        its first task and webhook, or `within` seconds."""
        accepted = run.accepted_at()
        window_end = run.wall(run.finished)
        tasks = await first_tasks(self.engine, accepted)
        await self.hooks.poll()
        flow = Flow(accepted, window_end, len(tasks), sum(c in self.hooks.arrivals for c in accepted),
                    tasks, {}, within)  # fmt: skip
        deadline = time.perf_counter() + within
        while time.perf_counter() < deadline:
            missing = [c for c in accepted if c not in tasks]
            if missing:
                tasks.update(await first_tasks(self.engine, missing))
            await self.hooks.poll()
            if not missing and all(c in self.hooks.arrivals for c in accepted):
                break
            await asyncio.sleep(POLL)
        flow.hooks = {c: self.hooks.arrivals[c] for c in accepted if c in self.hooks.arrivals}
        return flow

    async def warm_up(self) -> str:
        """Connections opened and the pipeline run through once; what became of it, for the report."""
        if not self.args.warmup:
            return "No warm-up."
        warm = bodies(self.args.warmup)
        await closed_loop(self.bare, warm, connections=8)
        flow = await self.follow(await closed_loop(self.intake, warm, connections=8), WARMUP_WAIT)
        done = min(len(flow.tasks), len(flow.hooks))
        print(f"-- warm-up: {len(flow.accepted)} of {len(warm)} accepted, {done} through", flush=True)
        note = (
            "all through before measuring began"
            if done == len(warm)
            else f"{len(warm) - done} not through after {WARMUP_WAIT:.0f} s when measuring began"
        )
        return f"Warm-up: {len(warm)} clues, {note}."

    async def idle(self) -> CpuUse | None:
        """The stack's CPU with no clue going through: its pollers, heartbeats and relays."""
        if self.args.idle <= 0:
            return None
        print(f"-- idle stack for {self.args.idle:g} s", flush=True)
        start = self.probe.sample()
        await asyncio.sleep(self.args.idle)
        return cpu_between(start, self.probe.sample())

    async def at_rate(self, rate: float) -> RateResult:
        load = bodies(round(rate * self.args.seconds))
        print(f"-- {rate:g}/s for {self.args.seconds:g} s: bare endpoint, Kafka hop, pipeline", flush=True)
        start = self.probe.sample()
        bare = await open_loop(self.bare, load, rate=rate,
                               max_in_flight=self.args.max_in_flight)  # fmt: skip
        cpu_bare = cpu_between(start, self.probe.sample())
        kafka = await kafka_baseline.round_trip(KAFKA, self.topic, self.partitions, rate=rate, count=len(load),
                                                size=self.size, max_in_flight=self.args.max_in_flight)  # fmt: skip
        before = self.probe.sample()
        intake = await open_loop(self.intake, load, rate=rate,
                                 max_in_flight=self.args.max_in_flight)  # fmt: skip
        window = self.probe.sample()
        flow = await self.follow(intake, self.args.drain)
        drained = self.probe.sample()
        return RateResult(rate, self.args.seconds, bare, intake, kafka, flow, cpu_bare,
                          cpu_between(before, window), cpu_between(before, drained))  # fmt: skip

    async def burst(self, count: int) -> BurstResult:
        load, connections = bodies(count), self.args.connections
        print(
            f"-- burst of {count}, {connections} connections: bare endpoint, Kafka max rate, pipeline",
            flush=True,
        )
        start = self.probe.sample()
        bare = await closed_loop(self.bare, load, connections=connections)
        cpu_bare = cpu_between(start, self.probe.sample())
        kafka = await kafka_baseline.max_rate(KAFKA, self.topic, self.partitions, count=count, size=self.size)
        before = self.probe.sample()
        intake = await closed_loop(self.intake, load, connections=connections)
        window = self.probe.sample()
        flow = await self.follow(intake, self.args.burst_drain)
        drained = self.probe.sample()
        return BurstResult(count, connections, bare, intake, kafka, flow, cpu_bare,
                           cpu_between(before, window), cpu_between(before, drained))  # fmt: skip


@asynccontextmanager
async def bare_server() -> AsyncIterator[tuple[str, int]]:
    """bench/bare_app.py in a uvicorn of its own, started as intake's is (default loop and HTTP)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(
        *command, "--no-access-log", "--log-level", "warning", cwd=REPO_ROOT
    )
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                try:
                    await http.get(f"http://127.0.0.1:{port}/docs")
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        yield f"http://127.0.0.1:{port}/v1/clues", process.pid
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)


@asynccontextmanager
async def subscribed(hooks: HookReceiver) -> AsyncIterator[None]:
    """Each division's gov subscribes to task.assigned at the receiver; unsubscribed afterwards."""
    async with httpx.AsyncClient(timeout=30) as http:
        try:
            for division in DIVISIONS:
                response = await http.put(f"{NOTIFY}/v1/subscriptions/me", headers=auth(f"agency:{division}.gov"),
                                          json={"url": hooks.url(f"/hook/{division}"), "events": ["task.assigned"]})  # fmt: skip
                response.raise_for_status()
            yield
        finally:
            for division in DIVISIONS:
                await http.delete(f"{NOTIFY}/v1/subscriptions/me", headers=auth(f"agency:{division}.gov"))


async def measure(args: argparse.Namespace) -> str:
    engine = create_async_engine(DATABASE_URL, pool_size=2)
    hooks = HookReceiver()
    size = len(bodies(1)[0])
    async with AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        await hooks.start()
        stack.push_async_callback(hooks.stop)
        bare_url, bare_pid = await stack.enter_async_context(bare_server())
        await stack.enter_async_context(subscribed(hooks))
        topic, partitions = await stack.enter_async_context(kafka_baseline.scratch_topic(KAFKA))
        postmaster, database = await postmaster_of(engine)
        extra = {"bench (generator, this process)": os.getpid(), "bench (webhook receiver)": hooks.pid or -1,
                 "bench (bare endpoint)": bare_pid}  # fmt: skip
        probe = CpuProbe.for_stack(STATE, extra, postmaster=postmaster, database=database,
                                   own_only=frozenset({"bench (generator, this process)"}))  # fmt: skip
        bench = Bench(engine, hooks, bare_url, probe, topic, partitions, size, args)
        stack.push_async_callback(bench.close)
        warm_up = await bench.warm_up()
        idle = await bench.idle()
        rates = [await bench.at_rate(rate) for rate in args.rates]
        burst = await bench.burst(args.burst) if args.burst > 0 else None
        return render_report(
            args,
            rates,
            burst,
            probe.names(),
            partitions=partitions,
            duplicates=hooks.duplicates,
            warm_up=warm_up,
            idle=idle,
        )
    raise AssertionError("unreachable")


def main(argv: Sequence[str] | None = None) -> None:
    args = options(argv)
    body = asyncio.run(measure(args))
    print(body)
    if not args.no_write:
        write_section("pipeline", body)


if __name__ == "__main__":
    main()
