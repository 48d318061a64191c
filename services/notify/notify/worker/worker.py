"""The delivery worker: sends due webhooks, signed per Standard Webhooks, and records each try.

A delivery is leased (state ``delivering``) in the database before it is sent, so a restart
resumes pending retries and two workers never send one delivery at once. Each endpoint gets at
most ``per_endpoint_concurrency`` requests in flight, so a slow endpoint delays only itself.
"""

import asyncio
import contextlib
import json
import logging
import random
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from opentelemetry.trace import SpanKind
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notify.app.claims import CLAIM, NEXT_DUE, NOW, RELEASE_EXPIRED, Claimed, signature_header
from notify.app.targets import PinnedTransport, pinned, vet_target
from notify.domain.retries import next_attempt_at, outcome_of, retry_after_seconds
from notify.domain.urls import NOTHING_ALLOWED, Allowlist, UrlRefused, origin
from notify.settings import NotifySettings
from notify.store.secretbox import SecretBox, seal_legacy_secrets
from notify.store.tables import AttemptRow, DeliveryRow, SubscriptionRow
from shared.tracing import PROPAGATOR, context_of, tracer

log = logging.getLogger(__name__)

DISABLED_BY_410 = "not sent: the subscription was disabled after its endpoint answered 410 Gone"


class DeliveryWorker:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: NotifySettings,
        secrets: SecretBox,
        rng: random.Random | None = None,
        allowed: Allowlist = NOTHING_ALLOWED,
        require_https: bool = False,
    ) -> None:
        self._secrets = secrets
        self._allowed = allowed
        self._require_https = require_https
        self._sessions = sessions
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
        await seal_legacy_secrets(self._sessions, self._secrets)
        transport = PinnedTransport(limits=httpx.Limits(max_connections=self._settings.max_in_flight))
        async with httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
        ) as client:
            try:
                while True:
                    try:
                        await self._round(client)
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
        async with self._sessions.begin() as session:
            for item in self._leased.values():
                await session.execute(
                    update(DeliveryRow)
                    .where(
                        DeliveryRow.delivery_id == item.delivery_id,
                        DeliveryRow.state == "delivering",
                        DeliveryRow.lease_until == item.lease_until,
                    )
                    .values(state="pending", lease_until=None)
                )
        log.info("handed back %d unfinished deliveries at shutdown", len(self._leased))
        self._leased.clear()

    async def _round(self, client: httpx.AsyncClient) -> None:
        free = self._settings.max_in_flight - len(self._tasks)
        claimed = await self._claim(free) if free > 0 else []
        for item in claimed:
            self._leased[item.delivery_id] = item
            self._in_flight[item.url] += 1
            task = asyncio.ensure_future(self._deliver(client, item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if len(claimed) < max(free, 1):
            await self._sleep_until_due()

    async def _claim(self, limit: int) -> list[Claimed]:
        busy = [url for url, n in self._in_flight.items() if n >= self._settings.per_endpoint_concurrency]
        lease = self._settings.request_timeout_seconds + 30
        async with self._sessions.begin() as session:
            self._claimed_at = (await session.execute(NOW)).scalar_one()
            await session.execute(RELEASE_EXPIRED)
            rows = (await session.execute(CLAIM, {"lease": lease, "busy": busy, "limit": limit})).all()
            claimed = [self._opened(Claimed(**row._mapping)) for row in rows]
            # Keep within each endpoint's bound; hand the rest back at once.
            kept, returned = [], []
            per_url = Counter(self._in_flight)
            for item in claimed:
                if per_url[item.url] < self._settings.per_endpoint_concurrency:
                    per_url[item.url] += 1
                    kept.append(item)
                else:
                    returned.append(item.delivery_id)
            if returned:
                await session.execute(
                    update(DeliveryRow)
                    .where(DeliveryRow.delivery_id.in_(returned))
                    .values(state="pending", lease_until=None)
                )
        return kept

    def _opened(self, item: Claimed) -> Claimed:
        """The claimed row with its secrets opened (they are sealed at rest)."""
        return replace(
            item,
            secret=self._secrets.open(item.secret, principal=item.principal),
            previous_secret=self._secrets.open_optional(item.previous_secret, principal=item.principal),
        )

    async def _sleep_until_due(self) -> None:
        async with self._sessions() as session:
            due = (await session.execute(NEXT_DUE, {"since": self._claimed_at})).scalar_one_or_none()
        wait = 1.0
        if due is not None:
            wait = min(wait, max((due - datetime.now(UTC)).total_seconds(), 0.0))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.2))
        self._wake.clear()

    async def _deliver(self, client: httpx.AsyncClient, item: Claimed) -> None:
        try:
            await self._send_and_record(client, item)
        except Exception:
            # The lease runs out and the delivery is tried again; it is never lost.
            log.exception("recording delivery %s failed", item.delivery_id)
            self._leased.pop(item.delivery_id, None)
        finally:
            self._in_flight[item.url] -= 1
            if self._in_flight[item.url] <= 0:
                del self._in_flight[item.url]
            self.wake()

    async def _send_and_record(self, client: httpx.AsyncClient, item: Claimed) -> None:
        body = json.dumps(item.payload, ensure_ascii=False, separators=(",", ":"))
        at = datetime.now(UTC)
        headers = {
            "webhook-id": item.delivery_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature_header(item, body=body, at=at),
            "content-type": "application/json",
            "user-agent": "anxin-notify/1",
        }
        status: int | None = None
        error: str | None = None
        started = time.monotonic()
        retry_after: float | None = None
        try:
            address = await vet_target(item.url, allowed=self._allowed, require_https=self._require_https)
            with tracer.start_as_current_span(
                f"deliver {item.payload.get('type')}",
                context=context_of(item.traceparent),
                kind=SpanKind.CLIENT,
            ) as span:
                span.set_attribute("webhook.id", item.delivery_id)
                span.set_attribute("attempt", item.attempts + 1)
                PROPAGATOR.inject(headers)
                # httpx times each phase; this bounds the whole request, well within the lease.
                async with (
                    asyncio.timeout(self._settings.request_timeout_seconds),
                    pinned(urlsplit(item.url).hostname or "", address),
                ):
                    response = await client.post(item.url, content=body.encode(), headers=headers)
                span.set_attribute("http.status_code", response.status_code)
            status = response.status_code
            retry_after = retry_after_seconds(response.status_code, response.headers.get("retry-after"))
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except TimeoutError:
            error = f"no answer within {self._settings.request_timeout_seconds:g} s"
        except UrlRefused as exc:
            error = f"refused: {exc}"[:500]
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        duration_ms = int((time.monotonic() - started) * 1000)
        log.info(
            "delivery %s to %s: %s in %d ms",
            item.delivery_id,
            origin(item.url),
            error or f"HTTP {status}",
            duration_ms,
        )
        await self._record(
            item, status=status, error=error, at=at, duration_ms=duration_ms, retry_after=retry_after
        )
        self._leased.pop(item.delivery_id, None)

    async def _record(
        self,
        item: Claimed,
        *,
        status: int | None,
        error: str | None,
        at: datetime,
        duration_ms: int,
        retry_after: float | None,
    ) -> None:
        now = datetime.now(UTC)
        outcome = outcome_of(status)
        attempts = item.attempts + 1
        values: dict[str, object] = {
            "attempts": attempts,
            "last_status": status,
            "last_error": error,
            "lease_until": None,
            "updated_at": now,
        }
        if outcome == "succeeded":
            values.update(state="succeeded", delivered_at=now, next_attempt_at=None)
            self.sent += 1
        elif outcome == "gone":
            values.update(
                state="failed", next_attempt_at=None, last_error="410 Gone: the subscription is disabled"
            )
        else:
            retry_at = next_attempt_at(
                attempts_made=attempts,
                schedule=self._schedule,
                now=now,
                jitter=self._settings.jitter,
                rng=self._rng,
                retry_after=retry_after,
            )
            values.update(state="pending" if retry_at else "failed", next_attempt_at=retry_at)
        async with self._sessions.begin() as session:
            session.add(
                AttemptRow(
                    delivery_id=item.delivery_id,
                    url=item.url,
                    status=status,
                    error=error,
                    started_at=at,
                    duration_ms=duration_ms,
                )
            )
            # Only while this worker still holds the lease it claimed.
            await session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.delivery_id == item.delivery_id,
                    DeliveryRow.state == "delivering",
                    DeliveryRow.lease_until == item.lease_until,
                )
                .values(**values)
            )
            if outcome == "gone":
                disabled = await session.execute(
                    update(SubscriptionRow)
                    .where(SubscriptionRow.principal == item.principal, SubscriptionRow.url == item.url)
                    .values(
                        disabled_at=now,
                        disabled_reason=f"the endpoint answered 410 Gone at {now.isoformat()}",
                    )
                    .returning(SubscriptionRow.principal)
                )
                if disabled.first() is not None:
                    await hold_pending(session, principal=item.principal, reason=DISABLED_BY_410, now=now)


async def hold_pending(session: AsyncSession, *, principal: str, reason: str, now: datetime) -> None:
    """Pending deliveries of a subscription that can no longer receive become ``failed``.

    They stay listed under ``state=failed`` and can be redelivered once the subscription is
    fixed, and they no longer sit in the worker's due index.
    """
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.principal == principal, DeliveryRow.state == "pending")
        .values(state="failed", next_attempt_at=None, last_error=reason, updated_at=now)
    )
