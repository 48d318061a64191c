"""Notify's gauges for /metrics: deliveries pending (waiting or being sent) and failed."""

from sqlalchemy import func, select

from notify.bootstrap import Notify
from notify.store.tables import DeliveryRow
from shared.metrics import ExtraGauges


def delivery_gauges(notify: Notify) -> ExtraGauges:
    async def read() -> dict[str, dict[tuple[str, ...], float]]:
        query = select(
            func.count().filter(DeliveryRow.state.in_(["pending", "delivering"])),
            func.count().filter(DeliveryRow.state == "failed"),
        )
        async with notify.runtime.sessions() as session:
            pending, failed = (await session.execute(query)).one()
        return {
            "anxin_deliveries_pending": {("all",): pending},
            "anxin_deliveries_failed": {("all",): failed},
        }

    return read
