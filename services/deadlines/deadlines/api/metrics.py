"""Deadlines' gauges for /metrics: running, due soon (warned) and breached, per rule."""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from deadlines.app.ports import DeadlineReads
from shared.metrics import ExtraGauges

GAUGES = ("anxin_deadlines_running", "anxin_deadlines_due_soon", "anxin_deadlines_breached")


def deadline_gauges(
    rules: Sequence[str], reads: Callable[[], AbstractAsyncContextManager[DeadlineReads]]
) -> ExtraGauges:
    async def read() -> dict[str, dict[tuple[str, ...], float]]:
        async with reads() as queries:
            counts = await queries.rule_counts()
        gauges: dict[str, dict[tuple[str, ...], float]] = {
            name: {(rule,): 0.0 for rule in rules} for name in GAUGES
        }
        for c in counts:
            gauges["anxin_deadlines_running"][(c.rule,)] = c.running
            gauges["anxin_deadlines_due_soon"][(c.rule,)] = c.due_soon
            gauges["anxin_deadlines_breached"][(c.rule,)] = c.breached
        return gauges

    return read
