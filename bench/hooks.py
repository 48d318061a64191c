"""The pipeline benchmark's webhook receiver, in a process of its own so that receiving hundreds of
webhooks a second does not share an event loop with the load generator's schedule.

`python -m bench.hooks PORT` serves POST /<anything>: it records the wall-clock arrival of the first
webhook per `data.clue_id` (retries and duplicates are only counted) and answers 204.
GET /arrivals?after=N returns the first arrivals from index N on: {"arrivals": [[clue_id, type, t]],
"duplicates": n, "requests": n}.
"""

import asyncio
import json
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def app() -> Any:
    """The receiver's ASGI app (built here so the parent process never imports Starlette for it)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    arrivals: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    counts = {"duplicates": 0, "requests": 0}

    async def receive(request: Request) -> Response:
        body = await request.body()
        at = time.time()
        counts["requests"] += 1
        try:
            event = json.loads(body)
            clue_id, kind = str(event["data"]["clue_id"]), str(event.get("type", ""))
        except (ValueError, KeyError, TypeError):
            return Response(status_code=204)
        if clue_id in seen:
            counts["duplicates"] += 1
        else:
            seen.add(clue_id)
            arrivals.append((clue_id, kind, at))
        return Response(status_code=204)

    async def listing(request: Request) -> Response:
        after = int(request.query_params.get("after", "0"))
        return JSONResponse({"arrivals": arrivals[after:], **counts})

    return Starlette(
        routes=[
            Route("/arrivals", listing, methods=["GET"]),
            Route("/{path:path}", receive, methods=["POST"]),
        ]
    )


@dataclass
class HookReceiver:
    """The receiver process, seen from the benchmark: start, URL per path, arrival times by clue."""

    port: int = field(default_factory=free_port)
    arrivals: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0
    requests: int = 0
    _process: asyncio.subprocess.Process | None = None
    _http: httpx.AsyncClient | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def start(self) -> None:
        command = [sys.executable, "-m", "bench.hooks", str(self.port)]
        self._process = await asyncio.create_subprocess_exec(*command, cwd=REPO_ROOT)
        self._http = httpx.AsyncClient(timeout=30)
        for _ in range(300):
            try:
                await self.poll()
                return
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the webhook receiver did not come up on port {self.port}")

    async def poll(self) -> None:
        """Fetch the arrivals recorded since the last poll."""
        assert self._http is not None
        response = await self._http.get(self.url("/arrivals"), params={"after": len(self.arrivals)})
        response.raise_for_status()
        listing = response.json()
        for clue_id, _kind, at in listing["arrivals"]:
            self.arrivals.setdefault(clue_id, float(at))
        self.duplicates, self.requests = int(listing["duplicates"]), int(listing["requests"])

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._process is not None:
            self._process.terminate()
            await asyncio.wait_for(self._process.wait(), 10)


def main() -> None:
    import uvicorn

    port = int(sys.argv[1])
    uvicorn.run(app(), host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off")


if __name__ == "__main__":
    main()
