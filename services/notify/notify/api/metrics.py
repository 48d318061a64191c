"""Notify's gauges for /metrics: deliveries pending (waiting or being sent) and failed."""

from notify.app.context import NotifyContext
from notify.app.deliveries import delivery_counts
from shared.metrics import ExtraGauges


def delivery_gauges(notify: NotifyContext) -> ExtraGauges:
    async def read() -> dict[str, dict[tuple[str, ...], float]]:
        async with notify.transaction() as uow:
            pending, failed = await delivery_counts(uow=uow)
        return {
            "anxin_deliveries_pending": {("all",): pending},
            "anxin_deliveries_failed": {("all",): failed},
        }

    return read
