"""Time in dispute (异议) is recorded on the deadlines of the returned task; the clock keeps running."""

from deadlines.app.commands import RecordDispute
from deadlines.app.ports import UnitOfWork


async def record_dispute(cmd: RecordDispute, *, uow: UnitOfWork) -> None:
    """``cmd.at`` is when routing opened or decided the dispute, not when it reached us. Routing
    announces the new task before the decision, so by then the deadlines may follow the new task."""
    if not cmd.decided:
        await uow.deadlines.open_dispute(cmd.task_id, at=cmd.at)
        return
    task_ids = [t for t in (cmd.task_id, cmd.new_task_id) if t]
    await uow.deadlines.close_dispute(task_ids, at=cmd.at)
