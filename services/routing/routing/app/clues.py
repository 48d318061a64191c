"""Clues arriving and joining: rule 1 (first tasks), rule 7 (emergencies) and rule 8 (linked clues)."""

from __future__ import annotations

from datetime import datetime

from routing.app.commands import LinkClue, ReceiveClue, UnlinkClue
from routing.app.handling import assign, lock_clue, status_changed
from routing.app.history import record
from routing.app.ports import UnitOfWork
from routing.domain import rules
from routing.domain.access import direct_access, may_unlink
from routing.domain.case import SYSTEM, Actor, Clue
from routing.domain.errors import ConflictError, NotArbiter, NotFoundError
from routing.domain.model import ClueStatus


async def receive_clue(command: ReceiveClue, *, uow: UnitOfWork, now: datetime) -> None:
    """A new clue from intake: its first tasks (rule 1, rule 7), or joining its lead's handling (rule 8)."""
    if await uow.clues.get(command.clue_id) is not None:
        return
    clue = _clue_of(command, now)
    await uow.clues.add(clue)
    await record(uow, clue.clue_id, SYSTEM, "received", now, detail={"source": clue.source})
    if clue.lead_clue_id is not None:
        # Locked, so the lead cannot close unseen while this clue joins it.
        lead = await uow.clues.get(clue.lead_clue_id, lock=True)
        if lead is None:
            # The lead's clue.received is on another partition and not here yet: it adopts this one.
            detail = {"lead_clue_id": clue.lead_clue_id}
            await record(uow, clue.clue_id, SYSTEM, "awaiting_lead", now, detail=detail)
            plans = rules.joining_tasks(clue.facts())  # rule 7 does not wait for the lead
            for plan in plans:
                await assign(uow, clue, plan, now, created_by=None)
            if plans:
                await status_changed(uow, clue, now)
            return
        if lead.lead_clue_id is not None:  # the lead joined another clue itself: join the root
            lead = await uow.clues.get(lead.lead_clue_id, lock=True) or lead
        if not lead.closed:
            await _join_lead(uow, clue, lead, now)
            return
        clue.lead_clue_id = None
    await _start_handling(uow, clue, now)
    for follower in await uow.clues.linked_to(clue.clue_id, lock=True, unclosed=True):
        await _join_lead(uow, follower, clue, now)


async def link_clue(command: LinkClue, *, uow: UnitOfWork, now: datetime) -> None:
    """``clue.linked``: idempotent, since ``clue.received`` already carried the link."""
    clue = await uow.clues.get(command.clue_id, lock=True)
    if clue is None or clue.lead_clue_id == command.lead_clue_id:
        return
    lead = await uow.clues.get(command.lead_clue_id, lock=True)
    has_tasks = await uow.tasks.any_on_clue(clue.clue_id)
    if lead is not None and not lead.closed and not has_tasks:
        await _join_lead(uow, clue, lead, now)


async def unlink_clue(command: UnlinkClue, *, uow: UnitOfWork, now: datetime) -> Clue:
    """Rule 8: the division office unlinks a clue, which starts its own handling at rule 1."""
    clue = await lock_clue(uow, command.clue_id)
    caller = command.caller
    if not may_unlink(caller, clue):
        access = direct_access(caller, clue)
        if access is None:
            assert caller.agency_id is not None
            visible = bool(await uow.tasks.agency_states(caller.agency_id, _handled(clue)))
        else:
            visible = access.visible
        if not visible:
            raise NotFoundError("clue")
        raise NotArbiter("only the division office (or the city office) may unlink a clue")
    if clue.lead_clue_id is None:
        raise ConflictError("the clue is not linked to another clue")
    if clue.closed:
        raise ConflictError("the clue closed with its lead clue; a closed clue cannot be unlinked")
    lead_id, clue.lead_clue_id = clue.lead_clue_id, None
    clue.status = ClueStatus.RECEIVED
    actor = Actor(str(caller))
    await record(uow, clue.clue_id, actor, "unlinked", now, detail={"lead_clue_id": lead_id})
    await _start_handling(uow, clue, now)
    return clue


def _handled(clue: Clue) -> list[str]:
    return [clue.clue_id] + ([clue.lead_clue_id] if clue.lead_clue_id else [])


def _clue_of(command: ReceiveClue, now: datetime) -> Clue:
    return Clue(
        clue_id=command.clue_id,
        source=command.source,
        submitted_by=command.submitted_by,
        division=command.division,
        original_division=command.division,
        township=command.township,
        project_kind=command.project_kind,
        emergency=command.emergency,
        flags=list(command.flags),
        received_at=command.received_at,
        workers=command.workers,
        amount_owed=command.amount_owed,
        snapshot=command.snapshot,
        lead_clue_id=command.lead_clue_id,
        status=ClueStatus.RECEIVED,
        created_at=now,
        updated_at=now,
    )


async def _start_handling(uow: UnitOfWork, clue: Clue, now: datetime) -> None:
    own = await uow.tasks.responding(clue.clue_id)  # an unlinked clue keeps its own
    for plan in rules.first_tasks(clue.facts(), responding=own):
        await assign(uow, clue, plan, now, created_by=None)
    await status_changed(uow, clue, now)


async def _join_lead(uow: UnitOfWork, clue: Clue, lead: Clue, now: datetime) -> None:
    """Rule 8, with rule 7 first: an emergency still gets its `respond` tasks (in the lead's
    division), and makes the lead an emergency too."""
    clue.lead_clue_id, clue.division = lead.clue_id, lead.division
    clue.status = lead.status if lead.status != ClueStatus.RECEIVED else ClueStatus.IN_PROGRESS
    why = clue.snapshot.get("link_reason") or "rule 8: same employer, division and project"
    await record(uow, clue.clue_id, SYSTEM, "joined", now, detail={"lead_clue_id": lead.clue_id, "why": why})
    await record(uow, lead.clue_id, SYSTEM, "related", now, detail={"clue_id": clue.clue_id})
    busy = await uow.tasks.responding(lead.clue_id)
    for plan in rules.joining_tasks(clue.facts(), responding=busy):
        await assign(uow, clue, plan, now, created_by=None)
    if clue.emergency and not lead.emergency:
        lead.emergency = True
        detail = {"clue_id": clue.clue_id, "why": "rule 7 before rule 8: a clue linked to it is an emergency"}
        await record(uow, lead.clue_id, SYSTEM, "emergency", now, detail=detail)
    await status_changed(uow, clue, now)
