"""Repositories the projector writes through: clues, tasks, deadlines and disputes of the read model.

Every write is an upsert keyed by the event's own ids, so an event applied twice changes nothing.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, not_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.app.commands import (
    RecordClueReceived,
    RecordDeadline,
    RecordDisputeDecided,
    RecordDisputeOpened,
    RecordTaskAssigned,
    RecordTaskUpdated,
)
from routing.reports.store.tables import (
    report_clue_agencies,
    report_clues,
    report_deadlines,
    report_disputes,
    report_tasks,
)

clues, tasks, deadlines = report_clues.c, report_tasks.c, report_deadlines.c


class SqlReportClues:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_received(self, clue: RecordClueReceived) -> None:
        statement = pg_insert(report_clues).values(
            clue_id=clue.clue_id,
            source=clue.source,
            received_division=clue.division,
            township=clue.township,
            project_kind=clue.project_kind,
            received_at=clue.received_at,
            emergency=clue.emergency,
            workers=clue.workers,
            amount_owed=clue.amount_owed,
            lead_clue_id=clue.lead_clue_id,
        )
        new = statement.excluded
        received = ("source", "received_division", "township", "project_kind", "received_at", "workers")
        changes: dict[str, Any] = {name: new[name] for name in (*received, "amount_owed")}
        # clue.linked and clue.emergency only add to what clue.received says, whichever came first.
        changes["emergency"] = clues.emergency | new.emergency
        changes["lead_clue_id"] = func.coalesce(new.lead_clue_id, clues.lead_clue_id)
        await self._session.execute(statement.on_conflict_do_update(index_elements=["clue_id"], set_=changes))

    async def link(self, clue_id: str, lead_clue_id: str) -> None:
        await _upsert(self._session, report_clues, ["clue_id"], clue_id=clue_id, lead_clue_id=lead_clue_id)

    async def mark_emergency(self, clue_id: str) -> None:
        await _upsert(self._session, report_clues, ["clue_id"], clue_id=clue_id, emergency=True)

    async def record_status(
        self,
        clue_id: str,
        *,
        status: str,
        division: str,
        outcome: str | None,
        amount_paid: Decimal | None,
        closed_at: datetime | None,
    ) -> None:
        await _upsert(
            self._session,
            report_clues,
            ["clue_id"],
            clue_id=clue_id,
            status=status,
            status_division=division,
            outcome=outcome,
            amount_paid=amount_paid,
            closed_at=closed_at,
        )

    async def move(self, clue_id: str, division: str) -> None:
        await _upsert(self._session, report_clues, ["clue_id"], clue_id=clue_id, status_division=division)

    async def refresh(self, clue_id: str) -> None:
        division = func.coalesce(clues.status_division, clues.received_division)
        await self._session.execute(
            update(report_clues)
            .where(clues.clue_id == clue_id)
            .values(
                division=division,
                industry_agency=division.concat(_INDUSTRY_SUFFIX),
                transfer_at=_first_task(tasks.created_at, tasks.kind == "industry_resolve"),
                case_filed_at=_first_task(tasks.created_at, tasks.kind == "investigate"),
                criminal_referral_at=_first_task(tasks.created_at, tasks.kind == "criminal"),
                credit_referral_at=_first_task(
                    tasks.done_at, tasks.kind == "investigate", tasks.outcome == "credit_referral"
                ),
                transfer_on_time=select(func.bool_and(and_(deadlines.state == "met", not_(deadlines.late))))
                .where(
                    deadlines.clue_id == clues.clue_id,
                    deadlines.rule == "transfer_7d",
                    deadlines.settled_at.is_not(None),
                )
                .scalar_subquery(),
            )
        )


# The industry authority of a project kind, appended to the clue's division (330106.construction).
_INDUSTRY_SUFFIX = case(
    (clues.project_kind.in_(("building", "municipal")), ".construction"),
    (clues.project_kind == "transport", ".transport"),
    (clues.project_kind == "water", ".water"),
)


def _first_task(moment: ColumnElement[datetime], *conditions: ColumnElement[bool]) -> Any:
    """The earliest ``moment`` among the clue's tasks that meet ``conditions`` (a correlated subquery)."""
    return select(func.min(moment)).where(tasks.clue_id == clues.clue_id, *conditions).scalar_subquery()


class SqlReportTasks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_assigned(self, task: RecordTaskAssigned) -> None:
        await self._session.execute(
            pg_insert(report_tasks)
            .values(
                task_id=task.task_id,
                clue_id=task.clue_id,
                kind=task.kind,
                agency_id=task.agency_id,
                state=task.state,
                created_at=task.created_at,
            )
            .on_conflict_do_update(index_elements=["task_id"], set_={"created_at": task.created_at})
        )
        await self._session.execute(
            pg_insert(report_clue_agencies)
            .values(clue_id=task.clue_id, agency_id=task.agency_id)
            .on_conflict_do_nothing()
        )

    async def record_progress(
        self, task: RecordTaskUpdated, *, done_at: datetime | None, resolved: bool | None, outcome: str | None
    ) -> None:
        changes: dict[str, Any] = {
            "state": task.state,
            "done_at": done_at,
            "resolved": resolved,
            "outcome": outcome,
        }
        await self._session.execute(
            pg_insert(report_tasks)
            .values(
                task_id=task.task_id,
                clue_id=task.clue_id,
                kind=task.kind,
                agency_id=task.agency_id,
                created_at=task.updated_at,  # replaced by task.assigned's, whichever comes first
                **changes,
            )
            .on_conflict_do_update(index_elements=["task_id"], set_=changes)
        )


class SqlReportDeadlines:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, deadline: RecordDeadline) -> None:
        values: dict[str, Any] = {
            "clue_id": deadline.clue_id,
            "task_id": deadline.task_id,
            "rule": deadline.rule,
            "agency_id": deadline.agency_id,
            "due_at": deadline.due_at,
            "state": deadline.state,
            "late": deadline.late,
        }
        if deadline.met_at is not None:
            values["settled_at"] = deadline.met_at
        await _upsert(
            self._session, report_deadlines, ["deadline_id"], deadline_id=deadline.deadline_id, **values
        )


class SqlReportDisputes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_opened(self, dispute: RecordDisputeOpened) -> None:
        await self._session.execute(
            pg_insert(report_disputes)
            .values(
                dispute_id=dispute.dispute_id,
                clue_id=dispute.clue_id,
                from_agency=dispute.from_agency,
                opened_at=dispute.opened_at,
            )
            .on_conflict_do_nothing()
        )

    async def record_decided(self, dispute: RecordDisputeDecided) -> None:
        await _upsert(
            self._session,
            report_disputes,
            ["dispute_id"],
            dispute_id=dispute.dispute_id,
            clue_id=dispute.clue_id,
            from_agency=dispute.from_agency,
            opened_at=dispute.decided_at,  # kept from dispute.opened when that came first
            decided_at=dispute.decided_at,
            keep=("opened_at",),
        )


async def _upsert(
    session: AsyncSession, table: Table, keys: list[str], *, keep: tuple[str, ...] = (), **values: Any
) -> None:
    """Insert the row, or update its ``values`` except the keys and the columns to ``keep``."""
    changes = {k: v for k, v in values.items() if k not in keys and k not in keep}
    statement = pg_insert(table).values(**values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=keys, set_=changes)
        if changes
        else statement.on_conflict_do_nothing()
    )
