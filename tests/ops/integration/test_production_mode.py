"""Production mode, on a real routing instance (a spare port): it refuses to start without its secrets,
and with them accepts only keys from the hashed keys file, noticing a revocation without a restart."""

import asyncio
import base64
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from shared.auth import Principal
from shared.ops import keys as key_store
from tests.support.stack import DATABASE_NAME, DATABASE_URL, KAFKA, PG_PORT, eventually, spare_port

REPO = Path(__file__).resolve().parents[3]
UVICORN = Path(sys.executable).parent / "uvicorn"
PORT = spare_port(22)
URL = f"http://127.0.0.1:{PORT}"
# The local database trusts every password: any but the development one passes the production check.
PRODUCTION_DB = f"postgresql+asyncpg://anxin:not-the-dev-password@127.0.0.1:{PG_PORT}/{DATABASE_NAME}"


PERSONAL_DATA_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


def routing_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "ANXIN_MODE": "production",
        "ANXIN_DATABASE_URL": PRODUCTION_DB,
        "ANXIN_KAFKA_BOOTSTRAP": KAFKA,
        "ANXIN_KEYS_RELOAD_SECONDS": "0.5",
        "ANXIN_PERSONAL_DATA_KEY": PERSONAL_DATA_KEY,
        **extra,
    }


async def start_routing(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as output:
        return await asyncio.create_subprocess_exec(
            str(UVICORN), "routing.main:create_app", "--factory", "--host", "127.0.0.1", "--port", str(PORT),
            cwd=REPO, env=env, stdout=output, stderr=output,
        )  # fmt: skip


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=30)
        except TimeoutError:
            process.kill()
            await process.wait()


@pytest.mark.parametrize(
    ("variables", "complaint"),
    [
        ({}, "ANXIN_KEYS_FILE is not set"),
        (
            {"ANXIN_DATABASE_URL": DATABASE_URL},
            "ANXIN_DATABASE_URL",
        ),
        (  # issue 19: a database off this machine must be reached over TLS
            {"ANXIN_DATABASE_URL": "postgresql+asyncpg://anxin:strong@db.invalid:5432/anxin?ssl=disable"},
            "ANXIN_DATABASE_URL does not require TLS",
        ),
    ],
)
async def test_production_mode_refuses_to_start_without_its_secrets(
    tmp_path: Path, variables: dict[str, str], complaint: str
) -> None:
    keys_file = tmp_path / "keys.yaml"
    key_store.issue_key(keys_file, Principal.parse("admin"), now=datetime.now(UTC))
    env = routing_env(**variables)
    if variables:  # these cases have a keys file; only the database URL is wrong
        env["ANXIN_KEYS_FILE"] = str(keys_file)
    log = tmp_path / "routing.log"
    process = await start_routing(env, log)
    try:
        assert await asyncio.wait_for(process.wait(), timeout=60) != 0
    finally:
        await stop(process)
    assert complaint in log.read_text(encoding="utf-8")


async def test_production_mode_refuses_to_start_routing_without_the_personal_data_key(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.yaml"
    key_store.write_key_file(keys_file, [])
    env = routing_env(ANXIN_KEYS_FILE=str(keys_file))
    del env["ANXIN_PERSONAL_DATA_KEY"]
    log = tmp_path / "routing.log"
    process = await start_routing(env, log)
    try:
        assert await asyncio.wait_for(process.wait(), timeout=60) != 0
    finally:
        await stop(process)
    assert "ANXIN_PERSONAL_DATA_KEY is not set" in log.read_text(encoding="utf-8")


@pytest.fixture
async def production_routing(tmp_path: Path) -> AsyncIterator[Path]:
    keys_file = tmp_path / "keys.yaml"
    key_store.write_key_file(keys_file, [])
    process = await start_routing(routing_env(ANXIN_KEYS_FILE=str(keys_file)), tmp_path / "routing.log")
    try:
        async with httpx.AsyncClient(timeout=5) as http:

            async def up() -> bool:
                try:
                    return (await http.get(f"{URL}/healthz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(up, within=60, interval=0.3, what=f"production routing on :{PORT}")
        yield keys_file
    finally:
        await stop(process)


async def test_production_accepts_issued_keys_only_and_notices_revocation(production_routing: Path) -> None:
    keys_file = production_routing
    issued = key_store.issue_key(keys_file, Principal.parse("agency:330182.office"), now=datetime.now(UTC))
    async with httpx.AsyncClient(base_url=URL, timeout=10) as http:

        async def status(key: str) -> int:
            response = await http.get("/v1/tasks", headers={"Authorization": f"Bearer {key}"})
            return response.status_code

        async def accepted() -> bool:
            return await status(issued.key) == 200

        await eventually(accepted, within=10, what="the issued key to be accepted")
        assert await status("dev-agency-330182.office") == 401

        key_store.revoke_key(keys_file, issued.entry.key_id)

        async def refused() -> bool:
            return await status(issued.key) == 401

        await eventually(refused, within=10, what="the revoked key to be refused")
