"""Abuse limits on the real stack (issue 13): a key writing too fast, and an address failing to
authenticate too often, get 429 problem+json with Retry-After, and nothing is stored.

The stack under test runs with limits no test reaches (tests/stack-env.sh); this test starts a second
intake with low ones, after the other tests (its consumer joins intake's group for a while).
"""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.clues import clue_payload
from tests.support.stack import auth, eventually, spare_port

pytestmark = pytest.mark.runs_last

REPO = Path(__file__).resolve().parents[2]
UVICORN = Path(sys.executable).parent / "uvicorn"
URL = f"http://127.0.0.1:{spare_port(31)}"
LIMITS = {
    "ANXIN_WRITE_LIMITS": '{"source": [0.5, 3], "agency": [0.5, 3], "admin": [0.5, 3]}',
    "ANXIN_AUTH_FAILURES_PER_ADDRESS": "3",
    "ANXIN_AUTH_FAILURE_WINDOW_SECONDS": "20",
}


@pytest.fixture(scope="module")
async def strict_intake(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    log = tmp_path_factory.mktemp("intake") / "intake.log"
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            str(UVICORN), "intake.main:create_app", "--factory", "--host", "127.0.0.1",
            "--port", URL.rsplit(":", 1)[1], cwd=REPO, env={**os.environ, **LIMITS}, stdout=output, stderr=output,
        )  # fmt: skip

    async def ready() -> bool:
        try:
            async with httpx.AsyncClient(timeout=5) as http:
                return (await http.get(f"{URL}/readyz")).status_code == 200
        except httpx.TransportError:
            return False

    try:
        await eventually(ready, within=60, what="a second intake with strict limits")
        yield URL
    finally:
        process.terminate()
        await process.wait()


async def test_a_key_writing_faster_than_its_limit_gets_429_and_nothing_is_stored(strict_intake: str) -> None:
    async with httpx.AsyncClient(
        base_url=strict_intake, headers=auth("source:provincial"), timeout=30
    ) as http:
        for _ in range(3):  # the burst
            assert (await http.post("/v1/clues", json=clue_payload(source="provincial"))).status_code == 201
        refused_clue = clue_payload(source="provincial")
        refused = await http.post("/v1/clues", json=refused_clue)
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["status"] == 429
        wait = int(refused.headers["retry-after"])
        assert 1 <= wait <= 2
        async with httpx.AsyncClient(
            base_url=strict_intake, headers=auth("source:city"), timeout=30
        ) as other:
            assert (await other.post("/v1/clues", json=clue_payload(source="city"))).status_code == 201
        assert (await http.get("/healthz")).status_code == 200  # reads are not limited
        await asyncio.sleep(wait)
        accepted = await http.post("/v1/clues", json=refused_clue)
    assert accepted.status_code == 201, "a first acceptance, not 200: the refused one was not stored"


async def test_an_address_failing_to_authenticate_is_locked_out_for_the_window(strict_intake: str) -> None:
    clue = clue_payload()
    async with httpx.AsyncClient(base_url=strict_intake, timeout=30) as http:
        for key in ("not-a-key", "dev-source-guess", "another-guess"):
            failed = await http.post("/v1/clues", json=clue, headers={"Authorization": f"Bearer {key}"})
            assert failed.status_code == 401
        locked = await http.post("/v1/clues", json=clue, headers={"Authorization": "Bearer fourth-guess"})
        assert locked.status_code == 429
        assert locked.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(locked.headers["retry-after"]) <= 20
        # While locked out, a right key is not even checked: guessing learns nothing.
        valid = await http.post("/v1/clues", json=clue, headers=auth("source:national"))
        assert valid.status_code == 429
        assert (await http.get("/healthz")).status_code == 200

        async def unlocked() -> bool:
            response = await http.post("/v1/clues", json=clue, headers=auth("source:national"))
            return response.status_code == 201

        await eventually(unlocked, within=30, interval=1, what="the lockout to end")
