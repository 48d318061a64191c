"""Deadlines' gauges for /metrics: running, due soon (warned) and breached, per rule."""

from sqlalchemy import and_, exists, func, select

from deadlines.bootstrap import Deadlines
from deadlines.store.tables import AlarmRow, DeadlineRow
from shared.metrics import ExtraGauges


def deadline_gauges(deadlines: Deadlines) -> ExtraGauges:
    rules = [*deadlines.settings.rules, *deadlines.settings.task_limits]

    async def read() -> dict[str, dict[tuple[str, ...], float]]:
        warned = exists().where(
            AlarmRow.deadline_id == DeadlineRow.deadline_id,
            AlarmRow.kind.like("due_soon:%"),
            AlarmRow.fired_at.is_not(None),
        )
        query = select(
            DeadlineRow.rule,
            func.count().filter(DeadlineRow.state == "running"),
            func.count().filter(and_(DeadlineRow.state == "running", warned)),
            func.count().filter(and_(DeadlineRow.state == "breached", DeadlineRow.late.is_(False))),
        ).group_by(DeadlineRow.rule)
        async with deadlines.runtime.sessions() as session:
            rows = (await session.execute(query)).all()
        gauges: dict[str, dict[tuple[str, ...], float]] = {
            name: {(rule,): 0.0 for rule in rules}
            for name in ("anxin_deadlines_running", "anxin_deadlines_due_soon", "anxin_deadlines_breached")
        }
        for rule, running, due_soon, breached in rows:
            gauges["anxin_deadlines_running"][(rule,)] = running
            gauges["anxin_deadlines_due_soon"][(rule,)] = due_soon
            gauges["anxin_deadlines_breached"][(rule,)] = breached
        return gauges

    return read
