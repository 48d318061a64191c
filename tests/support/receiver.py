"""A webhook receiver on loopback. The path says how to answer, so one server serves every test.

``/ok/<name>``: 204. ``/flaky/<n>/<name>``: 500 for the first n tries, then 204.
``/status/<code>/<name>``: always <code>. ``/hang/<name>``: never answers (until the client gives up).
"""

import asyncio
import socket
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class WebhookReceiver:
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _task: "asyncio.Task[None] | None" = None

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def received(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    async def _handle(self, request: Request) -> Response:
        loop = asyncio.get_running_loop()
        path = request.url.path
        body = await request.body()
        self.requests.append(
            Received(path, {k.lower(): v for k, v in request.headers.items()}, body, loop.time())
        )
        parts = path.strip("/").split("/")
        if parts[0] == "hang":
            await asyncio.sleep(3600)
        if parts[0] == "status":
            return Response(status_code=int(parts[1]))
        if parts[0] == "flaky":
            failures = int(parts[1])
            if len(self.received(path)) <= failures:
                return Response(status_code=500)
        return Response(status_code=204)

    async def start(self) -> None:
        with socket.socket() as probe:
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST"])])
        config = uvicorn.Config(app, host=self.host, port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.ensure_future(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            await asyncio.wait([self._task], timeout=5)
