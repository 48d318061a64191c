"""The alarm scheduler: sleeps until the earliest pending alarm (an indexed lookup), then fires it.

No table scan: ``ix_alarms_pending`` answers both "what is next" and "what is due". Several
instances may run; ``FOR UPDATE SKIP LOCKED`` lets exactly one fire each alarm.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deadlines.app.handlers import DeadlineService

log = logging.getLogger(__name__)


class AlarmScheduler:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        service: DeadlineService,
        max_sleep_seconds: float = 30.0,
        after_fire: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._service = service
        self._max_sleep = max_sleep_seconds
        self._wake = asyncio.Event()
        self._after_fire = after_fire
        self.fired = 0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("alarm scheduler failed; retrying")
                await asyncio.sleep(1)

    async def tick(self) -> None:
        async with self._sessions.begin() as session:
            fired = await self._service.fire_due(session, now=datetime.now(UTC))
        if fired:
            self.fired += fired
            if self._after_fire is not None:
                self._after_fire()
            return
        async with self._sessions() as session:
            next_at = await self._service.next_alarm_at(session)
        wait = self._max_sleep
        if next_at is not None:
            wait = min(wait, max((next_at - datetime.now(UTC)).total_seconds(), 0.0))
        if wait <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=wait)
        self._wake.clear()
