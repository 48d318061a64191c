"""Issue 19 item 9: over-limit chunked bodies get 413 on every service; made-up methods add no series."""

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, auth

CHUNK = b" " * 65_536
#: Over the 1 MiB default of ANXIN_MAX_BODY_BYTES (and intake's 256 KiB).
CHUNKS = 17


async def chunked() -> AsyncIterator[bytes]:
    yield b'{"reason": "'
    for _ in range(CHUNKS):
        yield CHUNK
    yield b'"}'


@pytest.mark.parametrize(
    ("base", "method", "path", "principal"),
    [
        (INTAKE, "POST", "/v1/clues", "source:national"),
        (ROUTING, "POST", "/v1/tasks/00000000-0000-0000-0000-000000000000/return", "agency:330106.gov"),
        (DEADLINES, "PUT", "/v1/calendar/years/2099", "admin"),
        (NOTIFY, "PUT", "/v1/subscriptions/me", "agency:330106.gov"),
    ],
)
async def test_an_over_limit_chunked_body_gets_413(base: str, method: str, path: str, principal: str) -> None:
    headers = auth(principal) | {"content-type": "application/json"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
        response = await http.request(method, path, content=chunked())
    assert "content-length" not in response.request.headers  # sent chunked
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 413


@pytest.mark.parametrize("base", [INTAKE, ROUTING, DEADLINES, NOTIFY])
async def test_made_up_methods_are_counted_as_other(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        for method in ("BREWX", "BREWY", "PROPFINDZ"):
            await http.request(method, "/healthz")
        metrics = (await http.get("/metrics")).text
    for method in ("BREWX", "BREWY", "PROPFINDZ"):
        assert f'method="{method}"' not in metrics
    assert 'method="other"' in metrics
