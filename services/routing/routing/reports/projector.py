"""Projects the events of anxin.intake, anxin.routing and anxin.deadlines into the report tables.

Runs as its own consumer group (``anxin-routing-reports``) with its own inbox, so each event is
applied once. Every write is an upsert keyed by the event's own ids, and the per-clue facts are
recomputed from the task and deadline rows, so events of different topics may arrive in any order.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.tables import (
    report_clue_agencies,
    report_clues,
    report_deadlines,
    report_disputes,
    report_tasks,
)
from shared.events import CloudEvent

Apply = Callable[[AsyncSession, CloudEvent, dict[str, Any]], Awaitable[None]]


async def project(session: AsyncSession, event: CloudEvent) -> None:
    """Apply one event to the read model; types the reports do not use are ignored."""
    apply = _APPLY.get(event.type)
    if apply is None:
        return
    data = event.data
    await apply(session, event, data)
    if event.type in _CHANGES_CLUE_FACTS:
        await _refresh_clue(session, str(data.get("clue_id") or event.subject))


async def _clue_received(session: AsyncSession, _: CloudEvent, data: dict[str, Any]) -> None:
    project_info = data.get("project") or {}
    statement = pg_insert(report_clues).values(
        clue_id=data["clue_id"],
        source=data["source"],
        received_division=data["division"],
        township=data.get("township") or None,
        project_kind=project_info.get("kind"),
        received_at=_moment(data["received_at"]),
        emergency=bool(data.get("emergency")),
        workers=int(data["workers"]),
        amount_owed=Decimal(str(data["amount_owed"])),
        lead_clue_id=data.get("lead_clue_id"),
    )
    new = statement.excluded
    changes: dict[str, Any] = {
        name: new[name] for name in ("source", "received_division", "township", "project_kind")
    }
    changes |= {name: new[name] for name in ("received_at", "workers", "amount_owed")}
    # clue.linked and clue.emergency only add to what clue.received says, whichever came first.
    changes["emergency"] = report_clues.c.emergency | new.emergency
    changes["lead_clue_id"] = func.coalesce(new.lead_clue_id, report_clues.c.lead_clue_id)
    await session.execute(statement.on_conflict_do_update(index_elements=["clue_id"], set_=changes))


async def _clue_linked(session: AsyncSession, _: CloudEvent, data: dict[str, Any]) -> None:
    await _upsert(
        session, report_clues, ["clue_id"], clue_id=data["clue_id"], lead_clue_id=data["lead_clue_id"]
    )


async def _clue_emergency(session: AsyncSession, _: CloudEvent, data: dict[str, Any]) -> None:
    await _upsert(session, report_clues, ["clue_id"], clue_id=data["clue_id"], emergency=True)


async def _clue_status(session: AsyncSession, _: CloudEvent, data: dict[str, Any]) -> None:
    closed = data["status"] == "closed"
    paid = data.get("amount_paid")
    await _upsert(
        session,
        report_clues,
        ["clue_id"],
        clue_id=data["clue_id"],
        status=data["status"],
        status_division=data["division"],
        outcome=data.get("outcome") if closed else None,
        amount_paid=Decimal(str(paid)) if closed and paid is not None else None,
        closed_at=_moment(data["closed_at"]) if closed and data.get("closed_at") else None,
    )


async def _task_assigned(session: AsyncSession, _: CloudEvent, data: dict[str, Any]) -> None:
    created_at = _moment(data["created_at"])
    await session.execute(
        pg_insert(report_tasks)
        .values(
            task_id=data["task_id"],
            clue_id=data["clue_id"],
            kind=data["kind"],
            agency_id=data["agency_id"],
            state=data["state"],
            created_at=created_at,
        )
        .on_conflict_do_update(index_elements=["task_id"], set_={"created_at": created_at})
    )
    await session.execute(
        pg_insert(report_clue_agencies)
        .values(clue_id=data["clue_id"], agency_id=data["agency_id"])
        .on_conflict_do_nothing()
    )


async def _task_updated(session: AsyncSession, _: CloudEvent, data: dict[str, Any]) -> None:
    result = data.get("result") or {}
    done = data["state"] == "done"
    changes: dict[str, Any] = {
        "state": data["state"],
        "done_at": _moment(data["updated_at"]) if done else None,
        "resolved": result.get("resolved") if done else None,
        "outcome": result.get("outcome") if done else None,
    }
    await session.execute(
        pg_insert(report_tasks)
        .values(
            task_id=data["task_id"],
            clue_id=data["clue_id"],
            kind=data["kind"],
            agency_id=data["agency_id"],
            created_at=_moment(data["updated_at"]),  # replaced by task.assigned's, whichever comes first
            **changes,
        )
        .on_conflict_do_update(index_elements=["task_id"], set_=changes)
    )


async def _dispute_opened(session: AsyncSession, event: CloudEvent, data: dict[str, Any]) -> None:
    await session.execute(
        pg_insert(report_disputes)
        .values(
            dispute_id=data["dispute_id"],
            clue_id=data["clue_id"],
            from_agency=data["from_agency"],
            opened_at=event.time,
        )
        .on_conflict_do_nothing()
    )


async def _dispute_decided(session: AsyncSession, event: CloudEvent, data: dict[str, Any]) -> None:
    await _upsert(
        session,
        report_disputes,
        ["dispute_id"],
        dispute_id=data["dispute_id"],
        clue_id=data["clue_id"],
        from_agency=data["from_agency"],
        opened_at=event.time,  # kept from dispute.opened when that came first
        decided_at=event.time,
        keep=("opened_at",),
    )
    moved_to = data.get("moved_to_division")
    if moved_to:
        await _upsert(session, report_clues, ["clue_id"], clue_id=data["clue_id"], status_division=moved_to)


async def _deadline(session: AsyncSession, event: CloudEvent, data: dict[str, Any]) -> None:
    values: dict[str, Any] = {
        "clue_id": data["clue_id"],
        "task_id": data.get("task_id"),
        "rule": data["rule"],
        "agency_id": data.get("agency_id"),
        "due_at": _moment(data["due_at"]),
        "state": data["state"],
        "late": bool(data.get("late")),
    }
    if event.type == "deadline.met":
        values["settled_at"] = event.time
    await _upsert(session, report_deadlines, ["deadline_id"], deadline_id=data["deadline_id"], **values)


_REFRESH = text(
    """
    UPDATE routing.report_clues AS c SET
      division = coalesce(c.status_division, c.received_division),
      industry_agency = coalesce(c.status_division, c.received_division) || CASE
          WHEN c.project_kind IN ('building', 'municipal') THEN '.construction'
          WHEN c.project_kind = 'transport' THEN '.transport'
          WHEN c.project_kind = 'water' THEN '.water' END,
      transfer_at = (SELECT min(t.created_at) FROM routing.report_tasks t
                      WHERE t.clue_id = c.clue_id AND t.kind = 'industry_resolve'),
      case_filed_at = (SELECT min(t.created_at) FROM routing.report_tasks t
                        WHERE t.clue_id = c.clue_id AND t.kind = 'investigate'),
      criminal_referral_at = (SELECT min(t.created_at) FROM routing.report_tasks t
                               WHERE t.clue_id = c.clue_id AND t.kind = 'criminal'),
      credit_referral_at = (SELECT min(t.done_at) FROM routing.report_tasks t
                             WHERE t.clue_id = c.clue_id AND t.kind = 'investigate'
                               AND t.outcome = 'credit_referral'),
      transfer_on_time = (SELECT bool_and(d.state = 'met' AND NOT d.late) FROM routing.report_deadlines d
                           WHERE d.clue_id = c.clue_id AND d.rule = 'transfer_7d'
                             AND d.settled_at IS NOT NULL)
    WHERE c.clue_id = :clue_id
    """
)


async def _refresh_clue(session: AsyncSession, clue_id: str) -> None:
    await session.execute(_REFRESH, {"clue_id": clue_id})


async def _upsert(
    session: AsyncSession, table: Table, keys: list[str], *, keep: tuple[str, ...] = (), **values: Any
) -> None:
    changes = {k: v for k, v in values.items() if k not in keys and k not in keep}
    statement = pg_insert(table).values(**values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=keys, set_=changes)
        if changes
        else statement.on_conflict_do_nothing()
    )


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without an offset: {value!r}")
    return moment


# Events that can change a clue's division or the facts derived from its tasks and deadlines.
_CHANGES_CLUE_FACTS = frozenset(
    {"clue.received", "clue.status", "task.assigned", "task.updated", "dispute.decided", "deadline.met"}
)

_APPLY: dict[str, Apply] = {
    "clue.received": _clue_received,
    "clue.linked": _clue_linked,
    "clue.emergency": _clue_emergency,
    "clue.status": _clue_status,
    "task.assigned": _task_assigned,
    "task.updated": _task_updated,
    "dispute.opened": _dispute_opened,
    "dispute.decided": _dispute_decided,
    "deadline.started": _deadline,
    "deadline.due_soon": _deadline,
    "deadline.breached": _deadline,
    "deadline.met": _deadline,
    "deadline.cancelled": _deadline,
    "deadline.corrected": _deadline,
}
