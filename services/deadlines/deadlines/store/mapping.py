"""Rows to domain values and back: the stored shapes of a limit, a deadline, a clue and a task."""

from collections.abc import Mapping
from typing import Any

from deadlines.domain.model import Clue, Deadline, Limit, Task
from deadlines.domain.periods import CountingMode
from deadlines.store.tables import ClueRow, TaskRow


def limit_to_json(limit: Limit) -> dict[str, Any]:
    return {"days": limit.days, "mode": str(limit.mode), "hours": limit.hours}


def limit_from_json(raw: Mapping[str, Any]) -> Limit:
    return Limit(
        days=raw.get("days"), mode=CountingMode(raw.get("mode", "calendar_days")), hours=raw.get("hours")
    )


def deadline_from(row: Any) -> Deadline:
    """A deadline from a ``DeadlineRow`` or a row of the deadlines table's columns."""
    return Deadline(
        deadline_id=row.deadline_id,
        clue_id=row.clue_id,
        task_id=row.task_id,
        scope=row.scope,
        rule=row.rule,
        agency_id=row.agency_id,
        division=row.division,
        source=row.source,
        starts_on=row.starts_on,
        start_at=row.start_at,
        limit=limit_from_json(row.limit),
        last_day=row.last_day,
        due_at=row.due_at,
        provisional=row.provisional,
        state=row.state,
        late=row.late,
        met_at=row.met_at,
        breached_at=row.breached_at,
        cancelled_at=row.cancelled_at,
        in_dispute_since=row.in_dispute_since,
        dispute_seconds=row.dispute_seconds,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def clue_from(row: ClueRow) -> Clue:
    return Clue(
        clue_id=row.clue_id,
        source=row.source,
        division=row.division,
        received_at=row.received_at,
        lead_clue_id=row.lead_clue_id,
        submitted_by=row.submitted_by,
        status=row.status,
    )


def clue_row(clue: Clue) -> ClueRow:
    return ClueRow(
        clue_id=clue.clue_id,
        source=clue.source,
        division=clue.division,
        received_at=clue.received_at,
        lead_clue_id=clue.lead_clue_id,
        submitted_by=clue.submitted_by,
        status=clue.status,
    )


def task_row(task: Task) -> TaskRow:
    return TaskRow(
        task_id=task.task_id, clue_id=task.clue_id, kind=task.kind, agency_id=task.agency_id, state=task.state
    )
