"""Sending one delivery: signed per Standard Webhooks, to the address its URL was vetted at."""

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from opentelemetry.trace import SpanKind
from standardwebhooks.webhooks import Webhook

from notify.domain.model import Attempt, Claimed
from notify.domain.retries import retry_after_seconds
from notify.domain.urls import NOTHING_ALLOWED, Allowlist, UrlRefused, origin
from notify.worker.targets import pinned, vet_target
from shared.tracing import PROPAGATOR, context_of, tracer

log = logging.getLogger(__name__)


def signature_header(claimed: Claimed, *, body: str, at: datetime) -> str:
    """Space-separated ``v1,<sig>`` values: during a rotation both secrets sign."""
    secrets = [claimed.secret]
    if claimed.previous_secret and claimed.previous_secret_until and claimed.previous_secret_until > at:
        secrets.append(claimed.previous_secret)
    return " ".join(Webhook(secret).sign(claimed.delivery_id, at, body) for secret in secrets)


@dataclass(frozen=True)
class Sender:
    client: httpx.AsyncClient
    timeout_seconds: float
    allowed: Allowlist = NOTHING_ALLOWED
    require_https: bool = False

    async def send(self, item: Claimed) -> Attempt:
        """One try: the endpoint's answer, or why there was none. Never raises for the endpoint's sake."""
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
            address = await vet_target(item.url, allowed=self.allowed, require_https=self.require_https)
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
                    asyncio.timeout(self.timeout_seconds),
                    pinned(urlsplit(item.url).hostname or "", address),
                ):
                    response = await self.client.post(item.url, content=body.encode(), headers=headers)
                span.set_attribute("http.status_code", response.status_code)
            status = response.status_code
            retry_after = retry_after_seconds(response.status_code, response.headers.get("retry-after"))
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except TimeoutError:
            error = f"no answer within {self.timeout_seconds:g} s"
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
        return Attempt(
            status=status, error=error, started_at=at, duration_ms=duration_ms, retry_after=retry_after
        )
