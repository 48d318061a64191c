"""The quarterly briefing in a real headless Chromium: the ranking table and both SVG charts render."""

import asyncio
import shutil
import socket
import struct
import zlib
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.reports.app import dev_key, project, reports_app
from tests.reports.generated import generate, interleave

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 1600


class AsCityOffice:
    """Adds the city office's key to every request: a browser loading a URL sends no bearer token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            token = f"Bearer {dev_key('agency:330100.office')}".encode()
            scope = dict(scope, headers=[*scope["headers"], (b"authorization", token)])
        await self.app(scope, receive, send)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
async def briefing_url(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[str]:
    async with sessions() as session, session.begin():
        for event in interleave(generate(400, seed=5), seed=6):
            await project(session, event)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(AsCityOffice(reports_app(sessions)), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1/reports/briefing?quarter=2026Q3"
    server.should_exit = True
    await serving


async def chromium(*args: str, user_data: Path) -> str:
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_data}",
        f"--window-size={WIDTH},{HEIGHT}",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode(errors="replace")[-2000:]
    return stdout.decode()


class Briefing(HTMLParser):
    """What the rendered DOM holds: ranking rows, charts and their bars."""

    def __init__(self) -> None:
        super().__init__()
        self.in_ranking = False
        self.ranking_rows: list[str] = []
        self.svgs: list[str] = []
        self.bars: dict[str, int] = {}
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.in_ranking = found.get("id") == "ranking"
        if tag == "tr" and self.in_ranking and "unit" in (found.get("class") or "").split():
            self.ranking_rows.append(found.get("data-key") or "")
        if tag == "svg":
            self.svgs.append(found.get("id") or "")
        if tag == "rect" and found.get("class") == "bar":
            self.bars[self.svgs[-1]] = self.bars.get(self.svgs[-1], 0) + 1
        if tag == "section":
            self.sections.append(found.get("data-division") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_ranking = False


async def test_chromium_renders_the_ranking_and_the_charts(briefing_url: str, tmp_path: Path) -> None:
    dom = await chromium("--dump-dom", briefing_url, user_data=tmp_path / "dom")
    page = Briefing()
    page.feed(dom)
    assert len(page.ranking_rows) == 13
    assert set(page.ranking_rows) >= {"330106", "330110", "330182"}
    assert page.svgs[:2] == ["chart-volume", "chart-on-time"]
    assert page.bars["chart-volume"] == 13  # the generated quarter has clues in every division
    assert page.bars.get("chart-on-time", 0) >= 10
    assert len(page.sections) == 13
    assert "根治欠薪通报晾晒" in dom


async def test_the_screenshot_is_not_blank(briefing_url: str, tmp_path: Path) -> None:
    shot = tmp_path / "briefing.png"
    await chromium(f"--screenshot={shot}", "--hide-scrollbars", briefing_url, user_data=tmp_path / "shot")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (WIDTH, HEIGHT)
    pixels = zlib.decompress(b"".join(_chunks(png, b"IDAT")))
    # A blank page is one colour: its rows compress to almost nothing and use a few byte values.
    assert len(set(pixels)) > 64
    assert len(png) > 30_000


def _chunks(png: bytes, kind: bytes) -> list[bytes]:
    out, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == kind:
            out.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    return out
