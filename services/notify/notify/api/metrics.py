"""Notify's gauges for /metrics: the webhook backlog (deliveries pending or being sent, failed, and the
age of the oldest pending one), which ``anxin-ops backlog`` also reads."""

from datetime import UTC, datetime

from notify.app.context import NotifyContext
from notify.app.deliveries import webhook_backlog
from shared.metrics import ExtraGauges


def delivery_gauges(notify: NotifyContext) -> ExtraGauges:
    async def read() -> dict[str, dict[tuple[str, ...], float]]:
        async with notify.transaction() as uow:
            backlog = await webhook_backlog(uow=uow, now=datetime.now(UTC))
        return {
            "anxin_deliveries_pending": {("all",): backlog.pending},
            "anxin_deliveries_failed": {("all",): backlog.failed},
            "anxin_deliveries_oldest_pending_seconds": {("all",): backlog.oldest_pending_seconds},
        }

    return read
