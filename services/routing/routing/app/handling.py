"""Reads for one clue's handling: a lead clue and the clues linked to it (rule 8), handled as one.

The use cases in `handlers` ask these for the facts the rules need; nothing here decides.
"""

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from routing.app.results import result_from_json
from routing.domain.assignees import decided_assignees
from routing.domain.model import ClueFacts, CompletedTask, ProjectKind, Source, TaskKind, TaskState
from routing.store.tables import ClueRow, DisputeRow, TaskRow

UNFINISHED = (TaskState.OPEN, TaskState.ACCEPTED)


def root_id(clue: ClueRow) -> str:
    """The clue whose handling this one is part of: its lead, or itself."""
    return clue.lead_clue_id or clue.clue_id


def in_handling(column: InstrumentedAttribute[str], root: str) -> ColumnElement[bool]:
    """`column` names the root clue or one linked to it."""
    linked = select(ClueRow.clue_id).where(ClueRow.lead_clue_id == root).scalar_subquery()
    return or_(column == root, column.in_(linked))


def facts_of(clue: ClueRow) -> ClueFacts:
    return ClueFacts(
        clue_id=clue.clue_id,
        source=Source(clue.source),
        division=clue.division,
        project_kind=ProjectKind(clue.project_kind) if clue.project_kind else None,
        emergency=clue.emergency,
        flags=frozenset(clue.flags),
    )


async def clue_facts(session: AsyncSession, clue: ClueRow) -> ClueFacts:
    """The clue's facts with the assignees its offices decided in disputes (rule 6)."""
    rows = await session.execute(
        select(TaskRow.kind, DisputeRow.decided_assignee)
        .join(TaskRow, TaskRow.task_id == DisputeRow.task_id)
        .where(DisputeRow.clue_id == clue.clue_id, DisputeRow.state == "decided")
        .order_by(DisputeRow.decided_at)
    )
    decisions = [(TaskKind(kind), assignee) for kind, assignee in rows if assignee]
    return replace(facts_of(clue), decided=decided_assignees(decisions))


async def handling_tasks(session: AsyncSession, root: str) -> list[TaskRow]:
    rows = await session.execute(select(TaskRow).where(in_handling(TaskRow.clue_id, root)))
    return list(rows.scalars())


async def pending_disputes(session: AsyncSession, root: str) -> int:
    count = await session.execute(
        select(func.count()).where(in_handling(DisputeRow.clue_id, root), DisputeRow.state == "pending")
    )
    return int(count.scalar_one())


async def unfinished_kinds(session: AsyncSession, root: str) -> list[str]:
    """The kinds of the handling's open and accepted tasks: the stage its sources see."""
    kinds = await session.execute(
        select(TaskRow.kind)
        .where(in_handling(TaskRow.clue_id, root), TaskRow.state.in_(UNFINISHED))
        .distinct()
    )
    return sorted(kinds.scalars())


async def responding(session: AsyncSession, root: str) -> frozenset[str]:
    """Agencies holding an unfinished `respond` in the handling."""
    rows = await session.execute(
        select(TaskRow.agency_id).where(
            in_handling(TaskRow.clue_id, root),
            TaskRow.kind == TaskKind.RESPOND,
            TaskRow.state.in_(UNFINISHED),
        )
    )
    return frozenset(rows.scalars())


def completed(tasks: Sequence[TaskRow]) -> list[CompletedTask]:
    """The done tasks with their results, each linked to the task that created it (its branch)."""
    return [
        CompletedTask(
            kind=TaskKind(t.kind),
            agency_id=t.agency_id,
            result=result_from_json(TaskKind(t.kind), t.result),
            task_id=t.task_id,
            created_by=t.created_by_task_id,
        )
        for t in tasks
        if t.state == TaskState.DONE and t.result is not None
    ]
