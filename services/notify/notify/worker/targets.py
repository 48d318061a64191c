"""Webhook targets, vetted and then connected to as vetted (no DNS rebinding in between).

The worker resolves a target's host, checks every address (notify.domain.urls), and pins the
first one for that request. The transport's network backend connects only to pinned addresses:
the URL keeps its host, so the ``Host`` header, the TLS server name and certificate checks are
those of the host name, while the TCP connection goes to the address that was checked.
"""

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

import httpcore
import httpx

from notify.domain.urls import NOTHING_ALLOWED, Allowlist, UrlRefused, check_url

Resolver = Callable[[str], Awaitable[list[str]]]
#: host name -> the vetted address, for the requests of the current task.
_PINNED: ContextVar[dict[str, str] | None] = ContextVar("anxin_notify_pinned", default=None)


async def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (an address literal resolves to itself)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UrlRefused(f"the host {host!r} does not resolve ({error})") from error
    return sorted({str(info[4][0]) for info in infos})


async def vet_target(
    url: str,
    *,
    allowed: Allowlist = NOTHING_ALLOWED,
    require_https: bool = False,
    resolver: Resolver = resolve,
) -> str:
    """Resolve at send time and check; the address to connect to. UrlRefused if not allowed."""
    check_url(url, resolved=[], allow_private=True, require_https=require_https)  # the form first
    addresses = await resolver(urlsplit(url).hostname or "")
    check_url(url, resolved=addresses, allowed=allowed, require_https=require_https)
    return min(addresses, key=lambda a: ":" in a)  # IPv4 first, as most receivers listen there


async def refuse_private_target(url: str, *, allowed: Allowlist = NOTHING_ALLOWED) -> str:
    """Resolve again at send time, so a host re-pointed at a private address is not reached."""
    return await vet_target(url, allowed=allowed)


@asynccontextmanager
async def pinned(host: str, address: str) -> AsyncIterator[None]:
    """Requests in this block connect to ``host`` at ``address`` only."""
    token = _PINNED.set({**(_PINNED.get() or {}), host.lower(): address})
    try:
        yield
    finally:
        _PINNED.reset(token)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects a host name only to the address pinned for it; anything else is refused.

    (No Unix sockets: the base class refuses them.)"""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = (_PINNED.get() or {}).get(host.lower())
        if address is None:
            raise httpcore.ConnectError(f"{host} was not vetted for this request; not connecting")
        return await self._inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the pinning backend; no proxies from the environment."""

    def __init__(self, *, limits: httpx.Limits = httpx.Limits()) -> None:
        super().__init__(trust_env=False, limits=limits)
        # httpx 0.28 builds its pool in __init__ without a way to pass a network backend: the same
        # pool, built again with one.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(),
        )
