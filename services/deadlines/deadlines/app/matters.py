"""Clues of one matter (rule 8) in deadlines: a lead clue and the clues that joined its handling.

A linked clue has no tasks of its own; its periods settle on its lead's tasks (domain/matter.py).
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.domain.matter import MatterClue
from deadlines.store.tables import ClueRow, TaskRow

UNFINISHED = ("open", "accepted")


async def matter_of(session: AsyncSession, clue: ClueRow) -> list[ClueRow]:
    """The clue whose task it is, then the unclosed clues that joined its handling, oldest first."""
    followers = (
        await session.execute(
            select(ClueRow)
            .where(ClueRow.lead_clue_id == clue.clue_id, ClueRow.status != "closed")
            .order_by(ClueRow.received_at, ClueRow.clue_id)
        )
    ).scalars()
    return [clue, *followers]


def as_matter(clues: list[ClueRow]) -> list[MatterClue]:
    return [MatterClue(clue_id=c.clue_id, source=c.source) for c in clues]


async def holders_of(session: AsyncSession, clue_id: str) -> list[str]:
    """Agencies holding unfinished tasks on the clue's handling: its own, or its lead's when linked."""
    clue = await session.get(ClueRow, clue_id)
    handled_by = [clue_id] + ([clue.lead_clue_id] if clue is not None and clue.lead_clue_id else [])
    holders = await session.execute(
        select(TaskRow.agency_id)
        .where(TaskRow.clue_id.in_(handled_by), TaskRow.state.in_(UNFINISHED))
        .distinct()
    )
    return sorted(holders.scalars())


async def own_task_ids(session: AsyncSession, clue_id: str) -> frozenset[str]:
    rows = await session.execute(select(TaskRow.task_id).where(TaskRow.clue_id == clue_id))
    return frozenset(rows.scalars())
