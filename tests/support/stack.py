"""The running stack, as tests see it: service URLs, development keys, polling."""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

#: The database of the stack under test (make test uses a fresh one, anxin_test).
DATABASE_URL = os.environ.get("ANXIN_DATABASE_URL") or (
    f"postgresql+asyncpg://anxin:anxin@127.0.0.1:5433/{os.environ.get('ANXIN_DB', 'anxin')}?ssl=disable"
)

INTAKE = "http://127.0.0.1:8001"
ROUTING = "http://127.0.0.1:8002"
DEADLINES = "http://127.0.0.1:8003"
NOTIFY = "http://127.0.0.1:8004"

T = TypeVar("T")


def key(principal: str) -> str:
    """The development key of a principal (deploy/local/principals.yaml)."""
    return "dev-" + principal.replace(":", "-")


def auth(principal: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key(principal)}"}


def client(base_url: str, principal: str | None = None) -> httpx.AsyncClient:
    headers = auth(principal) if principal else {}
    return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30)


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    within: float = 30.0,
    interval: float = 0.2,
    what: str = "condition",
) -> T:
    """Poll until ``probe`` returns something truthy; fail with ``what`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within}s waiting for {what}")
        await asyncio.sleep(interval)
