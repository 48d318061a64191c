"""The running stack, as tests see it: service URLs, development keys, polling."""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx

#: The stack under test, as deploy/local/stack.sh started it (make test: its own ports, Kafka and database).
PG_PORT = int(os.environ.get("PG_PORT", "5433"))
DATABASE_NAME = os.environ.get("ANXIN_DB", "anxin")
DATABASE_URL = os.environ.get("ANXIN_DATABASE_URL") or (
    f"postgresql+asyncpg://anxin:anxin@127.0.0.1:{PG_PORT}/{DATABASE_NAME}?ssl=disable"
)
#: The cluster's superuser over loopback (trusted there), for tests that create databases of their own.
SERVER_URL = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/postgres"
KAFKA = os.environ.get("ANXIN_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
PORT_BASE = int(os.environ.get("ANXIN_PORT_BASE", "8000"))
#: Runtime state of the stack: logs in log/, pid files in run/ (deploy/local/common.sh).
STATE = Path(os.environ.get("ANXIN_STATE") or Path(__file__).resolve().parents[2] / ".local")

INTAKE = f"http://127.0.0.1:{PORT_BASE + 1}"
ROUTING = f"http://127.0.0.1:{PORT_BASE + 2}"
DEADLINES = f"http://127.0.0.1:{PORT_BASE + 3}"
NOTIFY = f"http://127.0.0.1:{PORT_BASE + 4}"


def spare_port(offset: int) -> int:
    """A port for an extra instance a test starts: the stack's base + 10 + offset (offset 1-89)."""
    return PORT_BASE + 10 + offset


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
