"""Issue 19 items 4 and 6: SSRF checks in every mode, an explicit allowlist, https in production,
and the connection made to the very address that was checked (no DNS rebinding)."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from notify.domain.urls import Allowlist, UrlRefused
from notify.settings import NotifySettings
from notify.worker.targets import PinnedTransport, Resolver, pinned, vet_target

LOOPBACK = Allowlist.parse("", "127.0.0.0/8,::1/128")


def resolving_to(*addresses: str) -> Resolver:
    async def resolver(host: str) -> list[str]:
        return list(addresses)

    return resolver


async def test_loopback_is_refused_unless_allowed_explicitly() -> None:
    with pytest.raises(UrlRefused, match="non-public"):
        await vet_target("http://127.0.0.1:9000/hook")
    assert await vet_target("http://127.0.0.1:9000/hook", allowed=LOOPBACK) == "127.0.0.1"
    with pytest.raises(UrlRefused, match="non-public"):
        await vet_target("http://10.0.0.5/hook", allowed=LOOPBACK)


async def test_an_allowed_host_name_may_resolve_anywhere() -> None:
    allowed = Allowlist.parse("receiver.internal", "")
    got = await vet_target("http://receiver.internal/x", allowed=allowed, resolver=resolving_to("10.1.2.3"))
    assert got == "10.1.2.3"


async def test_production_requires_https() -> None:
    with pytest.raises(UrlRefused, match="https"):
        await vet_target(
            "http://hooks.example.com/x", require_https=True, resolver=resolving_to("93.184.216.34")
        )
    got = await vet_target(
        "https://hooks.example.com/x", require_https=True, resolver=resolving_to("93.184.216.34")
    )
    assert got == "93.184.216.34"


async def test_a_host_rebound_to_a_private_address_is_refused_at_send_time() -> None:
    with pytest.raises(UrlRefused, match="non-public"):
        await vet_target(
            "https://hooks.example.com/x", resolver=resolving_to("93.184.216.34", "169.254.169.254")
        )


def test_the_settings_parse_the_allowlist_and_refuse_a_bad_network() -> None:
    settings = NotifySettings(allowed_cidrs="127.0.0.0/8, ::1/128", allowed_hosts="Receiver.Internal")
    assert settings.allowlist().permits("x", "127.0.0.9")
    assert settings.allowlist().permits("receiver.internal", "10.0.0.1")
    assert (
        not NotifySettings(allowed_cidrs="", allowed_hosts="").allowlist().permits("localhost", "127.0.0.1")
    )
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 network"):
        NotifySettings(allowed_cidrs="127.0.0.300/8")


@pytest.fixture
async def server() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A bare HTTP server on 127.0.0.1 that records each request's head."""
    heads: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    listening = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield port, heads


async def test_the_request_goes_to_the_vetted_address_with_its_host_name(
    server: tuple[int, list[bytes]],
) -> None:
    # rebind.invalid resolves nowhere: the request reaches the server only through the pinned address.
    port, heads = server
    url = f"http://rebind.invalid:{port}/hook"
    async with httpx.AsyncClient(transport=PinnedTransport(), trust_env=False) as client:
        async with pinned("rebind.invalid", "127.0.0.1"):
            response = await client.post(url, content=b"{}")
        assert response.status_code == 204
        assert f"host: rebind.invalid:{port}".encode() in heads[0].lower()
        with pytest.raises(httpx.ConnectError, match="not vetted"):
            await client.post(url, content=b"{}")  # nothing pinned: no second, unchecked lookup
