"""Use cases on a clue's events: its receipt starts its periods; its status can unlink or close it."""

from dataclasses import replace
from datetime import datetime

from deadlines.app.commands import ApplyClueStatus, StartClueDeadlines
from deadlines.app.lifecycle import cancel, settle_rule, start
from deadlines.app.ports import UnitOfWork
from deadlines.domain.matter import TRANSFER, unlinked_cancels
from deadlines.domain.model import Clue, DeadlineState
from deadlines.domain.rules import OVERALL, Policy, receipt_limits, unlinked_transfer_limit


async def start_clue_deadlines(
    cmd: StartClueDeadlines, *, uow: UnitOfWork, now: datetime, policy: Policy
) -> None:
    clue = Clue(
        clue_id=cmd.clue_id,
        source=cmd.source,
        division=cmd.division,
        received_at=cmd.received_at,
        lead_clue_id=cmd.lead_clue_id,
        submitted_by=cmd.submitted_by,
    )
    await uow.clues.save(clue)
    calendar = await uow.calendar.load()
    # Linked or not, a clue's periods follow its own source and count from its own receipt.
    for rule, limit in receipt_limits(policy, clue.source):
        await start(
            uow,
            clue=clue,
            rule=rule,
            limit=limit,
            start_at=clue.received_at,
            calendar=calendar,
            policy=policy,
            now=now,
        )


async def apply_clue_status(cmd: ApplyClueStatus, *, uow: UnitOfWork, now: datetime, policy: Policy) -> None:
    if cmd.relinked:
        await _follow_link(uow, clue_id=cmd.clue_id, lead_clue_id=cmd.lead_clue_id, now=now, policy=policy)
    clue = await uow.clues.get(cmd.clue_id)
    if clue is not None:
        await uow.clues.save(
            replace(
                clue,
                status=cmd.status,
                lead_clue_id=cmd.lead_clue_id if cmd.relinked else clue.lead_clue_id,
                division=cmd.division or clue.division,
            )
        )
    if cmd.division:
        await uow.deadlines.move_to_division(cmd.clue_id, cmd.division)
    if cmd.status == "closed":
        closed_at = cmd.closed_at or now
        await settle_rule(uow, clue_id=cmd.clue_id, rule=OVERALL, met_at=closed_at, now=now)
        await cancel(uow, await uow.deadlines.open_of_clue(cmd.clue_id), now=now)


async def _follow_link(
    uow: UnitOfWork, *, clue_id: str, lead_clue_id: str | None, now: datetime, policy: Policy
) -> None:
    """An unlinked clue (or one whose lead had closed) handles itself from rule 1 (rule 8).

    Its deadlines on the former lead's tasks no longer apply; its ``transfer_7d`` keeps counting
    from its own receipt, and starts anew if the former lead's handling had cancelled it.
    """
    clue = await uow.clues.get(clue_id)
    if clue is None or clue.lead_clue_id is None or lead_clue_id is not None:
        return
    clue = replace(clue, lead_clue_id=None)
    await uow.clues.save(clue)
    own = await uow.tasks.ids_of_clue(clue_id)
    stale = {
        d.deadline_id
        for d in await uow.deadlines.of_clue(clue_id)
        if unlinked_cancels(task_id=d.task_id, own_task_ids=own)
    }
    still_open = await uow.deadlines.open_of_clue(clue_id)
    await cancel(uow, [d for d in still_open if d.deadline_id in stale], now=now)
    transfer = await uow.deadlines.of_clue_rule(clue_id, TRANSFER)
    limit = unlinked_transfer_limit(policy, clue.source)
    if transfer is None or transfer.state != DeadlineState.CANCELLED or limit is None:
        return
    await start(
        uow,
        clue=clue,
        rule=TRANSFER,
        limit=limit,
        start_at=clue.received_at,
        calendar=await uow.calendar.load(),
        policy=policy,
        now=now,
        scope="unlinked",
    )
