"""Intake throughput and latency of POST /v1/clues beside a bare FastAPI endpoint, and the time from
intake to the first task being visible at routing. Needs the stack (`make up`)."""

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.load import LoadResult, run_load
from bench.results import write_section
from tests.support.clues import clue_payload
from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, auth

REPO_ROOT = Path(__file__).resolve().parent.parent
BARE_PORT = 8091
TOTAL = 3000
CONCURRENCY = 32
LATENCY_SAMPLES = 100


async def wait_ready(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                if (await client.get(url)).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def row(name: str, result: LoadResult, baseline: LoadResult) -> str:
    return (
        f"| {name} | {result.requests} | {result.throughput:.0f} | {result.throughput / baseline.throughput:.2f} "
        f"| {result.p50:.1f} | {result.percentile(99):.1f} | {dict(sorted(result.statuses.items()))} |"
    )


async def stack_idle() -> None:
    """Every consumer of every service has applied everything: no processed count moves for 3 s."""
    urls = [f"{base}/readyz" for base in (INTAKE, ROUTING, DEADLINES, NOTIFY)]
    async with httpx.AsyncClient(timeout=30) as client:
        last: list[int] = []
        still = 0
        while still < 3:
            counts = []
            for url in urls:
                consumers = (await client.get(url)).json()["checks"]["consumers"]
                counts += [c["processed"] for c in consumers.values()]
            still = still + 1 if counts == last else 0
            last = counts
            await asyncio.sleep(1)


async def intake_to_task_visible(samples: int) -> list[float]:
    """Seconds from the 201 of a submission to its first task answering at GET /v1/tasks."""
    delays = []
    async with httpx.AsyncClient(timeout=30) as client:
        for _ in range(samples):
            body = clue_payload(division="330182")
            response = await client.post(f"{INTAKE}/v1/clues", json=body, headers=auth("source:national"))
            accepted = time.perf_counter()
            clue_id = response.json()["clue_id"]
            while True:
                tasks = await client.get(
                    f"{ROUTING}/v1/tasks", params={"clue_id": clue_id}, headers=auth("agency:330182.gov")
                )
                if tasks.json()["items"]:
                    delays.append(time.perf_counter() - accepted)
                    break
                await asyncio.sleep(0.005)
    return delays


def start_bare_server() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(BARE_PORT)]
    return subprocess.Popen([*command, "--no-access-log", "--log-level", "warning"], cwd=REPO_ROOT)


async def measure_load() -> tuple[LoadResult, LoadResult]:
    await wait_ready(f"http://127.0.0.1:{BARE_PORT}/docs")
    payloads = [clue_payload(division="330182") for _ in range(TOTAL)]
    warmup = [clue_payload(division="330182") for _ in range(200)]
    headers = auth("source:national")
    bare_url, intake_url = f"http://127.0.0.1:{BARE_PORT}/v1/clues", f"{INTAKE}/v1/clues"
    for url in (bare_url, intake_url):
        await run_load(
            url=url, headers=headers, make_body=lambda i: warmup[i], total=200, concurrency=CONCURRENCY
        )
    await stack_idle()  # each side measured on a quiet machine: nothing left over from the warm-up
    baseline = await run_load(
        url=bare_url, headers=headers, make_body=lambda i: payloads[i], total=TOTAL, concurrency=CONCURRENCY
    )
    await stack_idle()
    intake = await run_load(
        url=intake_url, headers=headers, make_body=lambda i: payloads[i], total=TOTAL, concurrency=CONCURRENCY
    )
    return baseline, intake


async def report(baseline: LoadResult, intake: LoadResult) -> None:
    await stack_idle()  # single-clue latency is measured once the services have drained the burst
    delays = sorted(await intake_to_task_visible(LATENCY_SAMPLES))
    p50 = statistics.median(delays) * 1000
    p99 = delays[min(len(delays) - 1, int(0.99 * (len(delays) - 1)))] * 1000
    body = f"""
### POST /v1/clues under load ({CONCURRENCY} concurrent clients, closed loop, one uvicorn worker each)

| endpoint | requests | req/s | ratio to bare | p50 ms | p99 ms | statuses |
|---|---|---|---|---|---|---|
{row("bare FastAPI+uvicorn (does nothing)", baseline, baseline)}
{row("intake (validate, store clue + outbox in one transaction)", intake, baseline)}

The load generator runs on the same 2 cores as the services, so absolute figures are a floor.

### From intake's 201 to the first task visible at routing ({LATENCY_SAMPLES} clues, one at a time)

p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {delays[-1] * 1000:.0f} ms (outbox relay, Kafka, routing's consumer
and transaction, then a poll every 5 ms).
"""
    write_section("intake", body)
    print(body)


def main() -> None:
    bare = start_bare_server()
    try:
        baseline, intake = asyncio.run(measure_load())
    finally:
        bare.terminate()
        bare.wait(10)
    asyncio.run(report(baseline, intake))


if __name__ == "__main__":
    main()
