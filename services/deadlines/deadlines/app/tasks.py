"""Use cases on routing's task events: an assignment starts per-task limits (and, for the industry
authority's task, meets ``transfer_7d``); a task's progress meets them or cancels ``transfer_7d``."""

from datetime import datetime

from deadlines.app.commands import TrackTask, UpdateTask
from deadlines.app.lifecycle import cancel, settle, settle_rule, start
from deadlines.app.ports import UnitOfWork
from deadlines.domain.matter import INDUSTRY, TRANSFER, MatterClue, TransferOutcome, transfer_outcome
from deadlines.domain.model import Clue, Task
from deadlines.domain.rules import Policy, industry_limits, rules_met_by_task, task_limits


async def matter_of(uow: UnitOfWork, clue: Clue) -> list[Clue]:
    """The clue whose task it is, then the unclosed clues that joined its handling, oldest first."""
    return [clue, *await uow.clues.followers(clue.clue_id)]


async def track_task(cmd: TrackTask, *, uow: UnitOfWork, now: datetime, policy: Policy) -> None:
    task = Task(
        task_id=cmd.task_id, clue_id=cmd.clue_id, kind=cmd.kind, agency_id=cmd.agency_id, state=cmd.state
    )
    await uow.tasks.save(task)
    clue = await uow.clues.get(task.clue_id)
    if clue is None:
        return
    if cmd.replaces_task_id:
        # A task reassigned after a dispute keeps its clock: its deadlines follow the new task.
        await uow.deadlines.hand_over(old_task_id=cmd.replaces_task_id, task=task, now=now)
        return
    calendar = await uow.calendar.load()
    assigned_at = cmd.assigned_at or now
    if transfer_outcome(kind=task.kind, state=task.state, created_kinds=[]) is TransferOutcome.MET:
        # The matter's handling reached the industry authority: every clue in it is transferred.
        matter = await matter_of(uow, clue)
        for member in matter:
            await settle_rule(uow, clue_id=member.clue_id, rule=TRANSFER, met_at=assigned_at, now=now)
        members = {member.clue_id: member for member in matter}
        industry = industry_limits(policy, [MatterClue(c.clue_id, c.source) for c in matter])
        for clue_id, limit in industry:
            await start(
                uow,
                clue=members[clue_id],
                rule=INDUSTRY,
                limit=limit,
                start_at=assigned_at,
                task_id=task.task_id,
                agency_id=task.agency_id,
                calendar=calendar,
                policy=policy,
                now=now,
            )
    for rule, limit in task_limits(policy, task.kind):
        await start(
            uow,
            clue=clue,
            rule=rule,
            limit=limit,
            start_at=assigned_at,
            task_id=task.task_id,
            agency_id=task.agency_id,
            calendar=calendar,
            policy=policy,
            now=now,
        )


async def update_task(cmd: UpdateTask, *, uow: UnitOfWork, now: datetime, policy: Policy) -> None:
    await uow.tasks.set_state(cmd.task_id, cmd.state)
    at = cmd.updated_at or now
    for rule in rules_met_by_task(policy, kind=cmd.kind, state=cmd.state):
        await settle(uow, await uow.deadlines.open_of_task(cmd.task_id, rule), met_at=at, now=now)
    outcome = transfer_outcome(kind=cmd.kind, state=cmd.state, created_kinds=cmd.created_kinds)
    if outcome is TransferOutcome.CANCELLED:
        clue = await uow.clues.get(cmd.clue_id)
        matter = await matter_of(uow, clue) if clue is not None else []
        for member in matter:  # the clue and those that joined its handling
            await cancel(uow, await uow.deadlines.open_of_clue(member.clue_id, rules=[TRANSFER]), now=now)
