"""HTTP load for the pipeline benchmark: an open-loop generator (a send at each tick of a fixed schedule,
whatever the responses do) and a closed-loop one (N connections, each sending when its last returns).

Both post pre-encoded bodies through the same lean client (bench/rawhttp.py), so the bare endpoint and
intake see the same generator. Open-loop latency counts from the request's tick, not from the moment it left,
so a generator that falls behind shows up in the figures (and in `late`) instead of hiding queueing.
"""

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.rawhttp import HttpError, RawClient

#: A send this far behind its tick counts as late (the generator, not the server, fell behind).
LATE_AFTER = 0.010


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


@dataclass(slots=True)
class Shot:
    """One request: its tick, when it left, when its response came back (perf_counter seconds)."""

    scheduled: float
    sent: float
    done: float = 0.0
    status: int = 0  # 0: no response (transport error or timeout, see `error`)
    error: str | None = None
    clue_id: str | None = None


@dataclass
class Run:
    """The requests of one load phase. `wall0` is time.time() at `started`, so any perf_counter
    instant converts to wall-clock time (to compare with PostgreSQL timestamps and webhook arrivals)."""

    rate: float | None  # requests a second for open loop; None for closed loop
    started: float
    wall0: float
    shots: list[Shot] = field(default_factory=list)
    scheduled: int = 0
    dropped: int = 0  # ticks with max_in_flight requests outstanding: not sent, counted here
    late: int = 0
    max_lag: float = 0.0
    finished: float = 0.0

    def wall(self, perf: float) -> float:
        return self.wall0 + (perf - self.started)

    @property
    def answered(self) -> list[Shot]:
        return [s for s in self.shots if s.status]

    @property
    def accepted(self) -> list[Shot]:
        return [s for s in self.shots if s.status == 201 and s.clue_id]

    def statuses(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for shot in self.shots:
            name = str(shot.status) if shot.status else (shot.error or "no response")
            counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items()))

    def accepted_per_second(self) -> float:
        """201s divided by the time from the first tick to the last 201."""
        accepted = self.accepted
        if not accepted:
            return 0.0
        return len(accepted) / max(1e-9, max(s.done for s in accepted) - self.started)

    def latencies_ms(self) -> list[float]:
        """From each answered request's tick to its response."""
        return [(s.done - s.scheduled) * 1000 for s in self.answered]

    def accepted_at(self) -> dict[str, float]:
        """Wall-clock time of each 201, by clue id."""
        return {s.clue_id: self.wall(s.done) for s in self.accepted if s.clue_id}


def make_client(url: str, headers: dict[str, str], timeout: float = 30.0) -> RawClient:
    """A client posting JSON bodies to `url`; it keeps as many connections as requests were in flight."""
    return RawClient(url, {**headers, "Content-Type": "application/json"}, timeout)


async def _fire(client: RawClient, body: bytes, shot: Shot) -> None:
    try:
        status, payload = await client.post(body)
        if status == 201:
            shot.clue_id = str(json.loads(payload)["clue_id"])
        shot.status = status
    except (HttpError, TimeoutError, ValueError, KeyError, TypeError) as error:
        shot.error = type(error).__name__
    finally:
        shot.done = time.perf_counter()


async def open_loop(
    client: RawClient,
    bodies: Sequence[bytes],
    *,
    rate: float,
    max_in_flight: int,
) -> Run:
    """Send bodies[i] at tick i / rate, len(bodies) ticks; wait for every response that was sent."""
    run = Run(rate=rate, started=time.perf_counter(), wall0=time.time())
    pending: set[asyncio.Task[None]] = set()
    for i, body in enumerate(bodies):
        tick = run.started + i / rate
        delay = tick - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        run.scheduled += 1
        if len(pending) >= max_in_flight:
            run.dropped += 1
            continue
        now = time.perf_counter()
        lag = now - tick
        run.max_lag = max(run.max_lag, lag)
        if lag > LATE_AFTER:
            run.late += 1
        shot = Shot(scheduled=tick, sent=now)
        run.shots.append(shot)
        task = asyncio.create_task(_fire(client, body, shot))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.wait(pending)
    run.finished = time.perf_counter()
    return run


async def closed_loop(
    client: RawClient,
    bodies: Sequence[bytes],
    *,
    connections: int,
) -> Run:
    """`connections` workers, each posting the next body as soon as its last request returned."""
    run = Run(rate=None, started=time.perf_counter(), wall0=time.time(), scheduled=len(bodies))
    queue = iter(bodies)

    async def worker() -> None:
        for body in queue:
            now = time.perf_counter()
            shot = Shot(scheduled=now, sent=now)
            run.shots.append(shot)
            await _fire(client, body, shot)

    await asyncio.gather(*(worker() for _ in range(connections)))
    run.finished = time.perf_counter()
    return run
