"""The alarm scheduler: sleeps until the earliest pending alarm (an indexed lookup), then fires it.

A thin adapter around the ``fire_due_alarms`` use case, driven by the clock instead of Kafka. No table
scan: ``ix_alarms_pending`` answers both "what is next" and "what is due". Several instances may run;
each alarm is claimed by exactly one (store/alarms.py).
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

from deadlines.app.alarms import fire_due_alarms, next_alarm_at
from deadlines.app.commands import FireDueAlarms
from deadlines.app.ports import UnitOfWork

log = logging.getLogger(__name__)


class AlarmScheduler:
    def __init__(
        self,
        *,
        transaction: Callable[[], AbstractAsyncContextManager[UnitOfWork]],
        max_sleep_seconds: float = 30.0,
        after_fire: Callable[[], None] | None = None,
    ) -> None:
        self._transaction = transaction
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
        async with self._transaction() as uow:
            fired = await fire_due_alarms(FireDueAlarms(), uow=uow, now=datetime.now(UTC))
        if fired:
            self.fired += fired
            if self._after_fire is not None:
                self._after_fire()
            return
        async with self._transaction() as uow:
            next_at = await next_alarm_at(uow=uow)
        wait = self._max_sleep
        if next_at is not None:
            wait = min(wait, max((next_at - datetime.now(UTC)).total_seconds(), 0.0))
        if wait <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=wait)
        self._wake.clear()
