"""A lean HTTP/1.1 client for the load generator: keep-alive connections on asyncio streams, requests
written as pre-built bytes, responses read by Content-Length (or chunked).

httpx spends several milliseconds of CPU per request on this machine, three times what the bare
endpoint spends answering it; a generator that costly would measure itself. This one does only what
posting a JSON body to uvicorn needs.
"""

import asyncio
import time
from urllib.parse import urlsplit

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class HttpError(Exception):
    """No complete response: the connection failed, closed early, or the response was malformed."""


class _Stale(Exception):
    """The connection was closed before a byte of the response came back."""


class RawClient:
    """POSTs to one host over a pool of keep-alive connections, one request at a time on each."""

    #: uvicorn closes a connection idle for 5 s; one idle longer than this is not reused.
    IDLE = 3.0

    def __init__(self, url: str, headers: dict[str, str], timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        lines = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._head = "\r\n".join(lines).encode("latin-1")
        self._idle: list[tuple[Connection, float]] = []

    def _reuse(self) -> Connection | None:
        now = time.monotonic()
        while self._idle:
            connection, since = self._idle.pop()
            if now - since < self.IDLE and not connection[0].at_eof():
                return connection
            connection[1].close()
        return None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """(status, body) of one POST; HttpError or TimeoutError when there was no complete response."""
        request = self._head + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        connection = self._reuse()
        try:
            async with asyncio.timeout(self.timeout):
                if connection is not None:
                    try:
                        return self._done(connection, *await self._exchange(connection, request))
                    except _Stale:  # closed by the server before it read anything: once more, anew
                        connection[1].close()
                connection = await asyncio.open_connection(self.host, self.port)
                return self._done(connection, *await self._exchange(connection, request))
        except BaseException as error:
            if connection is not None:
                connection[1].close()
            if isinstance(error, OSError | asyncio.IncompleteReadError | ValueError | _Stale):
                raise HttpError(type(error).__name__) from error
            raise

    def _done(self, connection: Connection, status: int, payload: bytes, keep: bool) -> tuple[int, bytes]:
        if keep:
            self._idle.append((connection, time.monotonic()))
        else:
            connection[1].close()
        return status, payload

    @staticmethod
    async def _exchange(connection: Connection, request: bytes) -> tuple[int, bytes, bool]:
        reader, writer = connection
        try:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            if not error.partial:
                raise _Stale from error
            raise
        except ConnectionError as error:
            raise _Stale from error
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise HttpError(f"malformed status line {status_line!r}")
        headers = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip().lower()
        if "content-length" in headers:
            payload = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            chunks = []
            while size := int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16):
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            payload = b"".join(chunks)
        else:
            raise HttpError("response without a length")
        return int(parts[1]), payload, headers.get("connection") != "close"

    async def aclose(self) -> None:
        while self._idle:
            self._idle.pop()[0][1].close()
