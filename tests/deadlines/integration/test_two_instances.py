"""Two deadlines processes on one database: each alarm is announced exactly once."""

import asyncio
import os
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from shared.settings import REPO_ROOT
from tests.deadlines.integration.support import (
    DeadlineEvents,
    act,
    announcements,
    backdated,
    submit,
    wait_task,
)
from tests.support.groups import REBALANCE_WITHIN, wait_sharing
from tests.support.stack import DATABASE_URL, DEADLINES, KAFKA, client, eventually, spare_port

DIVISION = "330127"
SECOND_PORT = spare_port(3)
SECOND = f"http://127.0.0.1:{SECOND_PORT}"
CLUES = 16


@pytest.fixture
async def second_instance() -> AsyncIterator[None]:
    """``uvicorn deadlines.main:create_app`` on a spare port with the stack's database and Kafka."""
    env = os.environ | {"ANXIN_DATABASE_URL": DATABASE_URL, "ANXIN_KAFKA_BOOTSTRAP": KAFKA}
    log = Path(tempfile.mkdtemp(prefix=f"deadlines-{SECOND_PORT}-")) / "deadlines.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            str(REPO_ROOT / ".venv" / "bin" / "uvicorn"),
            "deadlines.main:create_app",
            "--factory",
            "--host=127.0.0.1",
            f"--port={SECOND_PORT}",
            "--no-access-log",
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:

        async def ready() -> bool:
            assert process.returncode is None, f"the second instance exited; see {log}"
            try:
                async with httpx.AsyncClient(timeout=2) as http:
                    return (await http.get(f"{SECOND}/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, within=60, what=f"a second deadlines instance on :{SECOND_PORT}")
        await wait_sharing([DEADLINES, SECOND], what="both deadlines instances to hold partitions")
        yield
    finally:
        process.terminate()
        await process.wait()


async def test_two_instances_announce_each_alarm_once(second_instance: None) -> None:
    async with DeadlineEvents() as events:
        clue_ids = await asyncio.gather(
            *(
                submit("source:city", source="city", division=DIVISION, received_at=backdated(45))
                for _ in range(CLUES)
            )
        )

        def all_announced(ev: DeadlineEvents) -> bool:
            return all(
                {e["data"].get("escalation_step") for e in ev.of(c, "deadline.breached", rule="overall")}
                >= {None, "330100.office"}
                for c in clue_ids
            )

        await events.wait(all_announced, within=60, what=f"overall breached and escalated on {CLUES} clues")
        # Something later on the last clue, so that a late duplicate would have had its chance.
        resolve = await wait_task(clue_ids[-1], "resolve", f"{DIVISION}.gov")
        await act(resolve, "accept")
        await events.wait(
            lambda ev: bool(ev.of(clue_ids[-1], "deadline.met", rule="acceptance_1wd")),
            within=REBALANCE_WITHIN,
            what="acceptance_1wd met on the last clue",
        )
        for clue_id in clue_ids:
            counts = announcements(events.of(clue_id, "deadline.breached"))
            assert sorted(step for (_, _, step) in counts) == ["", "330100.office"], counts
            assert set(counts.values()) == {1}, (clue_id, counts)
            assert not events.of(clue_id, "deadline.due_soon")
    # The second instance serves the same deadlines.
    async with client(SECOND, "admin") as second:
        response = await second.get("/v1/deadlines", params={"clue_id": clue_ids[0], "rule": "overall"})
    assert response.status_code == 200, response.text
    assert [d["state"] for d in response.json()["items"]] == ["breached"]
