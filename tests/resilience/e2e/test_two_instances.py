"""Horizontal scale: two instances of routing and of deadlines share each consumer group. Every clue
is handled exactly once while both run, and nothing is lost when one of each stops mid-stream."""

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.clues import clue_payload
from tests.support.groups import partitions, wait_sharing
from tests.support.stack import (
    DATABASE_URL,
    DEADLINES,
    INTAKE,
    KAFKA,
    ROUTING,
    client,
    eventually,
    spare_port,
)

REPO = Path(__file__).resolve().parents[3]
UVICORN = Path(sys.executable).parent / "uvicorn"
SECOND = {"routing": spare_port(12), "deadlines": spare_port(13)}
DIVISION = "330182"
BATCH = 40


class Instance:
    def __init__(self, service: str, port: int, process: asyncio.subprocess.Process) -> None:
        self.service, self.port, self.process = service, port, process
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout=30)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()


async def start_instance(service: str, port: int, log: Path) -> Instance:
    env = {
        **os.environ,
        "ANXIN_MODE": "development",
        "ANXIN_DATABASE_URL": DATABASE_URL,
        "ANXIN_KAFKA_BOOTSTRAP": KAFKA,
        "ANXIN_KAFKA_PARTITIONS": "6",
    }
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            str(UVICORN), f"{service}.main:create_app", "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log", cwd=REPO, env=env, stdout=output, stderr=output,
        )  # fmt: skip
    return Instance(service, port, process)


@pytest.fixture
async def second_instances(tmp_path: Path) -> AsyncIterator[dict[str, Instance]]:
    instances = {s: await start_instance(s, port, tmp_path / f"{s}.log") for s, port in SECOND.items()}
    try:
        for first, instance in ((ROUTING, instances["routing"]), (DEADLINES, instances["deadlines"])):
            await eventually(
                lambda i=instance: partitions(i.url),  # type: ignore[misc]
                within=90,
                what=f"the second {instance.service} to answer",
            )
            await wait_sharing(
                [first, instance.url], what=f"both {instance.service} instances to hold partitions"
            )
        yield instances
    finally:
        for instance in instances.values():
            await instance.stop()


async def submit(count: int) -> list[str]:
    limit = asyncio.Semaphore(8)
    async with client(INTAKE, "source:provincial") as intake:

        async def one() -> str:
            async with limit:
                response = await intake.post(
                    "/v1/clues", json=clue_payload(source="provincial", division=DIVISION)
                )
            assert response.status_code == 201, response.text
            return str(response.json()["clue_id"])

        return list(await asyncio.gather(*(one() for _ in range(count))))


async def handled_exactly_once(clue_ids: list[str]) -> None:
    """Each clue: one first task (verify, division gov) and one transfer_7d and one overall deadline."""
    async with client(ROUTING, "admin") as routing, client(DEADLINES, "admin") as deadlines:

        async def tasks(clue_id: str) -> list[tuple[str, str]]:
            items = (await routing.get("/v1/tasks", params={"clue_id": clue_id})).json()["items"]
            return [(t["kind"], t["agency_id"]) for t in items]

        async def rules(clue_id: str) -> list[str]:
            items = (await deadlines.get("/v1/deadlines", params={"clue_id": clue_id})).json()["items"]
            return sorted(d["rule"] for d in items)

        async def all_handled() -> bool:
            for clue_id in clue_ids:
                if not await tasks(clue_id) or "overall" not in await rules(clue_id):
                    return False
                if "transfer_7d" not in await rules(clue_id):
                    return False
            return True

        await eventually(all_handled, within=120, interval=1, what=f"{len(clue_ids)} clues routed and timed")
        for clue_id in clue_ids:
            assert await tasks(clue_id) == [("verify", f"{DIVISION}.gov")], clue_id
            clue_rules = await rules(clue_id)
            assert [r for r in clue_rules if r in {"overall", "transfer_7d"}] == ["overall", "transfer_7d"], (
                clue_id,
                clue_rules,
            )


async def processed(url: str) -> int:
    async with httpx.AsyncClient(timeout=10) as http:
        consumers = (await http.get(f"{url}/readyz")).json()["checks"]["consumers"]
    return sum(int(c["processed"]) for c in consumers.values())


async def test_two_instances_share_the_work_and_lose_nothing_when_one_stops(
    second_instances: dict[str, Instance],
) -> None:
    first_batch = await submit(BATCH)
    await handled_exactly_once(first_batch)
    for instance in second_instances.values():
        assert await processed(instance.url) > 0, f"the second {instance.service} took no share of the work"

    second_routing = second_instances["routing"].url
    before = await processed(second_routing)
    submitting = asyncio.create_task(submit(BATCH))

    async def mid_stream() -> bool:
        return await processed(second_routing) > before

    await eventually(mid_stream, within=60, what="the second routing to be handling the second batch")
    exit_codes = await asyncio.gather(*(i.stop() for i in second_instances.values()))
    # uvicorn shuts down gracefully, then re-raises the signal it caught: -SIGTERM, not SIGKILL.
    assert exit_codes == [-signal.SIGTERM, -signal.SIGTERM], "SIGTERM should end each instance by itself"
    second_batch = await submitting
    await handled_exactly_once(second_batch)
