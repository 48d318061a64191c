"""The delivery worker: leases due deliveries, sends them, and records each try, through the use cases.

Each endpoint gets at most ``per_endpoint_concurrency`` requests in flight, so a slow endpoint delays
only itself. A delivery whose recording fails is not lost: its lease runs out and it is tried again.
"""

import asyncio
import contextlib
import logging
import random
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

import httpx

from notify.app.delivering import claim_due_deliveries, hand_back, next_due, record_attempt
from notify.app.ports import SecretBox, UnitOfWork
from notify.app.subscriptions import seal_legacy_secrets
from notify.domain.model import Claimed
from notify.domain.urls import NOTHING_ALLOWED, Allowlist
from notify.settings import NotifySettings
from notify.worker.sending import Sender
from notify.worker.targets import PinnedTransport

log = logging.getLogger(__name__)

Transaction = Callable[[], AbstractAsyncContextManager[UnitOfWork]]


class DeliveryWorker:
    def __init__(
        self,
        *,
        transaction: Transaction,
        settings: NotifySettings,
        secrets: SecretBox,
        rng: random.Random | None = None,
        allowed: Allowlist = NOTHING_ALLOWED,
        require_https: bool = False,
    ) -> None:
        self._transaction = transaction
        self._secrets = secrets
        self._allowed = allowed
        self._require_https = require_https
        self._settings = settings
        self._schedule = settings.schedule()
        self._rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        #: Claimed and not yet recorded: handed back at shutdown instead of waiting out the lease.
        self._leased: dict[str, Claimed] = {}
        self._claimed_at = datetime.now(UTC)
        self.sent = 0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        timeout = httpx.Timeout(self._settings.request_timeout_seconds)
        async with self._transaction() as uow:
            await seal_legacy_secrets(uow=uow, secret_box=self._secrets)
        transport = PinnedTransport(limits=httpx.Limits(max_connections=self._settings.max_in_flight))
        async with httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
        ) as client:
            sender = Sender(
                client,
                self._settings.request_timeout_seconds,
                allowed=self._allowed,
                require_https=self._require_https,
            )
            try:
                while True:
                    try:
                        await self._round(sender)
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        log.exception("delivery round failed; retrying")
                        await asyncio.sleep(1)
            finally:
                await self._hand_back()

    async def _hand_back(self) -> None:
        """On shutdown: stop every send, then make its delivery due again for the next start.

        The sends are cancelled first, so a delivery is never out twice at once; one that the
        endpoint did receive is sent again with the same ``webhook-id`` (at least once).
        """
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if not self._leased:
            return
        async with self._transaction() as uow:
            await hand_back(list(self._leased.values()), uow=uow)
        log.info("handed back %d unfinished deliveries at shutdown", len(self._leased))
        self._leased.clear()

    async def _round(self, sender: Sender) -> None:
        free = self._settings.max_in_flight - len(self._tasks)
        claimed = await self._claim(free) if free > 0 else []
        for item in claimed:
            self._leased[item.delivery_id] = item
            self._in_flight[item.url] += 1
            task = asyncio.ensure_future(self._deliver(sender, item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if len(claimed) < max(free, 1):
            await self._sleep_until_due()

    async def _claim(self, limit: int) -> list[Claimed]:
        async with self._transaction() as uow:
            self._claimed_at, claimed = await claim_due_deliveries(
                uow=uow,
                limit=limit,
                lease_seconds=self._settings.request_timeout_seconds + 30,
                in_flight=self._in_flight,
                per_endpoint=self._settings.per_endpoint_concurrency,
                secret_box=self._secrets,
            )
        return claimed

    async def _sleep_until_due(self) -> None:
        async with self._transaction() as uow:
            due = await next_due(uow=uow, since=self._claimed_at)
        wait = 1.0
        if due is not None:
            wait = min(wait, max((due - datetime.now(UTC)).total_seconds(), 0.0))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.2))
        self._wake.clear()

    async def _deliver(self, sender: Sender, item: Claimed) -> None:
        try:
            attempt = await sender.send(item)
            async with self._transaction() as uow:
                outcome = await record_attempt(
                    item,
                    attempt,
                    uow=uow,
                    now=datetime.now(UTC),
                    schedule=self._schedule,
                    jitter=self._settings.jitter,
                    rng=self._rng,
                )
            if outcome == "succeeded":
                self.sent += 1
            self._leased.pop(item.delivery_id, None)
        except Exception:
            # The lease runs out and the delivery is tried again; it is never lost.
            log.exception("recording delivery %s failed", item.delivery_id)
            self._leased.pop(item.delivery_id, None)
        finally:
            self._in_flight[item.url] -= 1
            if self._in_flight[item.url] <= 0:
                del self._in_flight[item.url]
            self.wake()
