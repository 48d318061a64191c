"""Who sees what in routing (CONTRACT.md, Who sees what), as SQL conditions and checks."""

from sqlalchemy import exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from routing.store.tables import ClueRow, DisputeRow, TaskRow
from shared.auth import Principal

UNFINISHED = ("open", "accepted")


def tasks_visible(principal: Principal) -> ColumnElement[bool]:
    """An agency sees its own tasks; an office its division's; a source the tasks on its clues."""
    if principal.is_admin or principal.is_city_office:
        return true()
    clue_of_task = select(ClueRow.clue_id).where(ClueRow.clue_id == TaskRow.clue_id)
    conditions: list[ColumnElement[bool]] = []
    if principal.agency_id:
        conditions.append(TaskRow.agency_id == principal.agency_id)
    if principal.is_office:
        conditions.append(exists(clue_of_task.where(ClueRow.division == principal.division)))
    conditions.append(exists(clue_of_task.where(ClueRow.submitted_by == str(principal))))
    return or_(*conditions)


def disputes_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_admin or principal.is_city_office:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.agency_id:
        conditions += [
            DisputeRow.arbiter == principal.agency_id,
            DisputeRow.from_agency == principal.agency_id,
        ]
    if principal.is_office:
        conditions.append(
            exists(
                select(ClueRow.clue_id).where(
                    ClueRow.clue_id == DisputeRow.clue_id, ClueRow.division == principal.division
                )
            )
        )
    return or_(*conditions) if conditions else ~true()


async def agency_task_states(session: AsyncSession, agency_id: str, clue_ids: list[str]) -> list[str]:
    rows = await session.execute(
        select(TaskRow.state).where(TaskRow.agency_id == agency_id, TaskRow.clue_id.in_(clue_ids))
    )
    return list(rows.scalars())


async def clue_access(session: AsyncSession, principal: Principal, clue: ClueRow) -> tuple[bool, bool]:
    """(visible, full personal data) for one clue; a linked clue counts its lead's tasks (rule 8).

    Admin sees everything, but personal data only masked: the contract names the source, open
    holders and the offices alone.
    """
    if principal.is_admin:
        return True, False
    if principal.oversees_division(clue.division) or str(principal) == clue.submitted_by:
        return True, True
    if principal.agency_id is None:
        return False, False
    handled = [clue.clue_id] + ([clue.lead_clue_id] if clue.lead_clue_id else [])
    states = await agency_task_states(session, principal.agency_id, handled)
    if not states:
        return False, False
    return True, any(state in UNFINISHED for state in states)
