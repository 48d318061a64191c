"""Webhook delivery: deliveries per second to a local receiver beside the receiver's own ceiling (a
client posting to it directly), the delay from a clue's 201 to its task.assigned webhook, and from an
emergency clue's 201 to its clue.emergency webhook. Needs the stack (`make up`)."""

import asyncio
import statistics
import time
import uuid

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.load import run_load
from bench.results import write_section
from tests.support.clues import clue_payload
from tests.support.receiver import WebhookReceiver
from tests.support.stack import DATABASE_URL, INTAKE, NOTIFY, auth

DIVISION = "330182"
BURST = 600
SAMPLES = 60


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def subscribe(http: httpx.AsyncClient, principal: str, url: str, events: list[str]) -> None:
    response = await http.put(
        f"{NOTIFY}/v1/subscriptions/me", json={"url": url, "events": events}, headers=auth(principal)
    )
    response.raise_for_status()


async def wait_for(receiver: WebhookReceiver, path: str, count: int, within: float = 300) -> None:
    deadline = time.monotonic() + within
    while len(receiver.received(path)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(receiver.received(path))} of {count} webhooks arrived at {path}")
        await asyncio.sleep(0.01)


async def redeliver_burst(receiver: WebhookReceiver, path: str, principal: str) -> float:
    """The worker alone: make the burst's deliveries due again at once and time their arrival."""
    engine = create_async_engine(DATABASE_URL)
    before = len(receiver.received(path))
    async with engine.begin() as connection:
        result = await connection.execute(
            text(
                "UPDATE notify.deliveries SET state = 'pending', attempts = 0, next_attempt_at = now() "
                "WHERE principal = :p AND state = 'succeeded' AND payload->>'type' = 'task.assigned' "
                "AND created_at > now() - interval '10 minutes'"
            ),
            {"p": principal},
        )
    await engine.dispose()
    started = asyncio.get_running_loop().time()
    await wait_for(receiver, path, before + result.rowcount)
    return result.rowcount / (receiver.received(path)[-1].at - started)


async def measure() -> str:
    receiver = WebhookReceiver()
    await receiver.start()
    run = uuid.uuid4().hex[:8]
    gov, office = f"agency:{DIVISION}.gov", f"agency:{DIVISION}.office"
    async with httpx.AsyncClient(timeout=30) as http:
        try:
            ceiling_path = f"/ok/ceiling-{run}"
            ceiling = await run_load(
                url=receiver.url(ceiling_path),
                headers={},
                make_body=lambda i: {"i": i},
                total=BURST,
                concurrency=4,
            )

            burst_path = f"/ok/burst-{run}"
            await subscribe(http, gov, receiver.url(burst_path), ["task.assigned"])
            payloads = [clue_payload(division=DIVISION) for _ in range(BURST)]
            started = time.perf_counter()
            await run_load(url=f"{INTAKE}/v1/clues", headers=auth("source:national"),
                           make_body=lambda i: payloads[i], total=BURST, concurrency=16)  # fmt: skip
            await wait_for(receiver, burst_path, BURST)
            arrivals = [r.at for r in receiver.received(burst_path)]
            burst_seconds = time.perf_counter() - started
            pipeline_rate = (len(arrivals) - 1) / (max(arrivals) - min(arrivals))
            delivery_rate = await redeliver_burst(receiver, burst_path, gov)

            single_path = f"/ok/single-{run}"
            await subscribe(http, gov, receiver.url(single_path), ["task.assigned"])
            delays = []
            for i in range(SAMPLES):
                response = await http.post(f"{INTAKE}/v1/clues", json=clue_payload(division=DIVISION),
                                           headers=auth("source:national"))  # fmt: skip
                accepted = asyncio.get_running_loop().time()
                response.raise_for_status()
                await wait_for(receiver, single_path, i + 1, within=30)
                delays.append((receiver.received(single_path)[-1].at - accepted) * 1000)

            emergency_path = f"/ok/emergency-{run}"
            await subscribe(http, office, receiver.url(emergency_path), ["clue.emergency"])
            emergency_delays = []
            for i in range(SAMPLES // 2):
                response = await http.post(f"{INTAKE}/v1/clues", json=clue_payload(division=DIVISION, workers=45),
                                           headers=auth("source:national"))  # fmt: skip
                accepted = asyncio.get_running_loop().time()
                response.raise_for_status()
                await wait_for(receiver, emergency_path, i + 1, within=30)
                emergency_delays.append((receiver.received(emergency_path)[-1].at - accepted) * 1000)
        finally:
            for principal in (gov, office):
                await http.delete(f"{NOTIFY}/v1/subscriptions/me", headers=auth(principal))
            await receiver.stop()
    return f"""
| measurement | result |
|---|---|
| receiver ceiling: a client posting straight to the local receiver (4 connections) | {ceiling.throughput:.0f} req/s |
| notify's delivery worker: {BURST} due deliveries (signed, leased, each try recorded) | {delivery_rate:.0f} deliveries/s |
| ratio notify / receiver ceiling | {delivery_rate / ceiling.throughput:.2f} |
| whole pipeline: {BURST} clues from POST /v1/clues to their webhooks | {burst_seconds:.1f} s ({pipeline_rate:.0f} webhooks/s) |
| clue 201 to its task.assigned webhook, one at a time ({SAMPLES}) | p50 {statistics.median(delays):.0f} ms, p99 {percentile(delays, 99):.0f} ms |
| emergency clue 201 to its clue.emergency webhook ({SAMPLES // 2}) | p50 {statistics.median(emergency_delays):.0f} ms, p99 {percentile(emergency_delays, 99):.0f} ms |

The path of one webhook: intake's outbox relay, Kafka, routing's consumer and its outbox relay (for
task.assigned), Kafka again, notify's consumer, then the delivery worker. Target for emergencies: one second.
"""


def main() -> None:
    body = asyncio.run(measure())
    write_section("notify", body)
    print(body)


if __name__ == "__main__":
    main()
