"""Deadlines' use cases: start, meet, cancel, fire alarms, load a calendar year.

Each runs inside the caller's transaction and writes its events to the outbox.
"""

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, cast, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.app import calendar_years
from deadlines.app.calendar_years import limit_to_json, load_calendar
from deadlines.app.matters import as_matter, holders_of, matter_of, own_task_ids
from deadlines.domain.alarms import DeadlineStatus, alarm_applies, cancellable
from deadlines.domain.calendar import HolidayCalendar, YearSchedule, shanghai_date
from deadlines.domain.deadline import Alarm, DeadlineState, Limit, alarms_for, period_for, settle_met
from deadlines.domain.matter import (
    INDUSTRY,
    INDUSTRY_TASK,
    TRANSFER,
    TransferOutcome,
    industry_period_clues,
    receipt_rules,
    transfer_outcome,
    unlinked_cancels,
)
from deadlines.domain.periods import CountingMode, Period
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import AlarmRow, ClueRow, DeadlineRow, TaskRow
from shared.events import new_event
from shared.messaging import Outbox

log = logging.getLogger(__name__)

EVENT_SOURCE = "/anxin/deadlines"


class DeadlineService:
    def __init__(self, settings: DeadlinesSettings, outbox: Outbox) -> None:
        self.settings = settings
        self.outbox = outbox

    # -- consumed events ---------------------------------------------------------------------

    async def on_clue_received(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        received_at = datetime.fromisoformat(data["received_at"])
        clue = ClueRow(
            clue_id=data["clue_id"],
            source=data["source"],
            division=data["division"],
            received_at=received_at,
            lead_clue_id=data.get("lead_clue_id"),
            submitted_by=data["submitted_by"],
            status="received",
        )
        await session.merge(clue)
        calendar = await load_calendar(session)
        # Linked or not, a clue's periods follow its own source and count from its own receipt.
        sources = {rule: spec.sources for rule, spec in self.settings.rules.items()}
        for rule in receipt_rules(clue.source, sources):
            spec = self.settings.rules[rule]
            days = spec.days_by_source.get(clue.source, spec.days)
            await self._start(
                session,
                clue=clue,
                rule=rule,
                limit=Limit(days=days, mode=spec.mode),
                start_at=received_at,
                task_id=None,
                agency_id=None,
                now=now,
                calendar=calendar,
            )

    async def on_task_assigned(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        task = TaskRow(
            task_id=data["task_id"],
            clue_id=data["clue_id"],
            kind=data["kind"],
            agency_id=data["agency_id"],
            state=data["state"],
        )
        await session.merge(task)
        clue = await session.get(ClueRow, task.clue_id)
        if clue is None:
            return
        replaces = data.get("replaces_task_id")
        if replaces:
            await self._hand_over(session, old_task_id=replaces, new_task=task, now=now)
            return
        calendar = await load_calendar(session)
        assigned_at = datetime.fromisoformat(data.get("created_at") or now.isoformat())
        if transfer_outcome(kind=task.kind, state=task.state, created_kinds=[]) is TransferOutcome.MET:
            # The matter's handling reached the industry authority: every clue in it is transferred.
            matter = await matter_of(session, clue)
            for member in matter:
                await self._settle_rule(
                    session, clue_id=member.clue_id, rule=TRANSFER, met_at=assigned_at, now=now
                )
            spec = self.settings.rules.get(INDUSTRY)
            industry = industry_period_clues(as_matter(matter), spec.sources if spec else [])
            for member in matter:
                if spec is None or member.clue_id not in industry:
                    continue
                await self._start(
                    session,
                    clue=member,
                    rule=INDUSTRY,
                    limit=Limit(days=spec.days_by_source.get(member.source, spec.days), mode=spec.mode),
                    start_at=assigned_at,
                    task_id=task.task_id,
                    agency_id=task.agency_id,
                    now=now,
                    calendar=calendar,
                )
        for rule, limit in self.settings.task_limits.items():
            if limit.task_kinds is not None and task.kind not in limit.task_kinds:
                continue
            await self._start(
                session,
                clue=clue,
                rule=rule,
                limit=Limit(days=limit.working_days, mode=CountingMode.WORKING_DAYS, hours=limit.hours),
                start_at=assigned_at,
                task_id=task.task_id,
                agency_id=task.agency_id,
                now=now,
                calendar=calendar,
            )

    async def on_task_updated(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        task_id, state = data["task_id"], data["state"]
        await session.execute(update(TaskRow).where(TaskRow.task_id == task_id).values(state=state))
        at = datetime.fromisoformat(data.get("updated_at") or now.isoformat())
        for rule, limit in self.settings.task_limits.items():
            reached = state == limit.until or (limit.until == "accepted" and state == "done")
            if reached:
                await self._settle_task_rule(session, task_id=task_id, rule=rule, met_at=at, now=now)
        if state == "done" and data.get("kind") == INDUSTRY_TASK:
            await self._settle_task_rule(session, task_id=task_id, rule="industry_15d", met_at=at, now=now)
        outcome = transfer_outcome(
            kind=data.get("kind", ""), state=state, created_kinds=data.get("created_kinds") or []
        )
        if outcome is TransferOutcome.CANCELLED:
            clue = await session.get(ClueRow, data["clue_id"])
            matter = await matter_of(session, clue) if clue is not None else []
            for member in matter:  # the clue and those that joined its handling
                await self._cancel(session, clue_id=member.clue_id, rules=[TRANSFER], now=now)

    async def on_clue_status(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        clue_id = data["clue_id"]
        values: dict[str, Any] = {"status": data["status"]}
        if "lead_clue_id" in data:
            await self._follow_link(session, clue_id=clue_id, lead_clue_id=data["lead_clue_id"], now=now)
            values["lead_clue_id"] = data["lead_clue_id"]
        if data.get("division"):
            values["division"] = data["division"]
        await session.execute(update(ClueRow).where(ClueRow.clue_id == clue_id).values(**values))
        if data.get("division"):
            await session.execute(
                update(DeadlineRow).where(DeadlineRow.clue_id == clue_id).values(division=data["division"])
            )
        if data["status"] == "closed":
            closed_at = datetime.fromisoformat(data.get("closed_at") or now.isoformat())
            await self._settle_rule(session, clue_id=clue_id, rule="overall", met_at=closed_at, now=now)
            await self._cancel(session, clue_id=clue_id, rules=None, now=now)

    async def _follow_link(
        self, session: AsyncSession, *, clue_id: str, lead_clue_id: str | None, now: datetime
    ) -> None:
        """An unlinked clue (or one whose lead had closed) handles itself from rule 1 (rule 8).

        Its deadlines on the former lead's tasks no longer apply; its ``transfer_7d`` keeps counting
        from its own receipt, and starts anew if the former lead's handling had cancelled it.
        """
        clue = await session.get(ClueRow, clue_id)
        if clue is None or clue.lead_clue_id is None or lead_clue_id is not None:
            return
        clue.lead_clue_id = None
        own = await own_task_ids(session, clue_id)
        rows = (await session.execute(select(DeadlineRow).where(DeadlineRow.clue_id == clue_id))).scalars()
        stale = [r.deadline_id for r in rows if unlinked_cancels(task_id=r.task_id, own_task_ids=own)]
        await self._cancel(session, clue_id=clue_id, rules=None, now=now, only=stale)
        transfer = (
            await session.execute(
                select(DeadlineRow).where(
                    DeadlineRow.clue_id == clue_id, DeadlineRow.rule == TRANSFER, DeadlineRow.scope == ""
                )
            )
        ).scalar_one_or_none()
        spec = self.settings.rules.get(TRANSFER)
        if transfer is None or transfer.state != DeadlineState.CANCELLED or spec is None:
            return
        await self._start(
            session,
            clue=clue,
            rule=TRANSFER,
            limit=Limit(days=spec.days_by_source.get(clue.source, spec.days), mode=spec.mode),
            start_at=clue.received_at,
            task_id=None,
            agency_id=None,
            now=now,
            calendar=await load_calendar(session),
            scope="unlinked",
        )

    async def on_dispute(
        self, session: AsyncSession, event_type: str, data: dict[str, Any], at: datetime
    ) -> None:
        """Time in dispute is recorded on the deadlines of the returned task; the clock keeps running.

        ``at`` is when routing opened or decided the dispute. Routing announces the new task before
        the decision, so by then the deadlines may already follow the new task.
        """
        if event_type == "dispute.opened":
            await session.execute(
                update(DeadlineRow)
                .where(DeadlineRow.task_id == data["task_id"], DeadlineRow.in_dispute_since.is_(None))
                .values(in_dispute_since=at)
            )
        elif event_type == "dispute.decided":
            task_ids = [t for t in (data["task_id"], data.get("new_task_id")) if t]
            elapsed = func.greatest(
                func.extract("epoch", literal(at, DateTime(timezone=True)) - DeadlineRow.in_dispute_since), 0
            )
            await session.execute(
                update(DeadlineRow)
                .where(DeadlineRow.task_id.in_(task_ids), DeadlineRow.in_dispute_since.is_not(None))
                .values(
                    dispute_seconds=DeadlineRow.dispute_seconds + cast(func.floor(elapsed), Integer),
                    in_dispute_since=None,
                    updated_at=at,
                )
            )

    # -- deadlines ---------------------------------------------------------------------------

    async def _start(
        self,
        session: AsyncSession,
        *,
        clue: ClueRow,
        rule: str,
        limit: Limit,
        start_at: datetime,
        task_id: str | None,
        agency_id: str | None,
        now: datetime,
        calendar: HolidayCalendar,
        scope: str | None = None,
    ) -> None:
        starts_on = shanghai_date(start_at)
        period = period_for(limit, start=start_at, starts_on=starts_on, calendar=calendar)
        deadline_id = str(uuid.uuid4())
        inserted = await session.execute(
            pg_insert(DeadlineRow)
            .values(
                deadline_id=deadline_id,
                clue_id=clue.clue_id,
                task_id=task_id,
                scope=scope or task_id or "",
                rule=rule,
                agency_id=agency_id,
                division=clue.division,
                source=clue.source,
                starts_on=starts_on,
                start_at=start_at,
                limit=limit_to_json(limit),
                last_day=period.last_day,
                due_at=period.due_at,
                provisional=period.provisional,
                state=DeadlineState.RUNNING,
            )
            .on_conflict_do_nothing(constraint="uq_deadlines_clue_rule_scope")
            .returning(DeadlineRow.deadline_id)
        )
        if inserted.first() is None:
            return
        row = await session.get(DeadlineRow, deadline_id)
        assert row is not None
        await self.emit(session, "deadline.started", row, now)
        if period.provisional:
            log.warning(
                "provisional deadline %s (%s, clue %s) crosses a year without an official schedule;"
                " load it with PUT /v1/calendar/years/{year}",
                deadline_id,
                rule,
                clue.clue_id,
            )
        await self._set_alarms(session, row, period, calendar, hours_based=limit.hours is not None, now=now)

    async def _set_alarms(
        self,
        session: AsyncSession,
        row: DeadlineRow,
        period: Period,
        calendar: HolidayCalendar,
        *,
        hours_based: bool,
        now: datetime,
    ) -> None:
        await session.execute(
            delete(AlarmRow).where(AlarmRow.deadline_id == row.deadline_id, AlarmRow.fired_at.is_(None))
        )
        alarms = self.alarm_rows(row.deadline_id, period, calendar, hours_based=hours_based, now=now)
        if alarms:
            await session.execute(
                pg_insert(AlarmRow)
                .values(alarms)
                .on_conflict_do_nothing(constraint="uq_alarms_deadline_kind")
            )

    def alarm_rows(
        self, deadline_id: str, period: Period, calendar: HolidayCalendar, *, hours_based: bool, now: datetime
    ) -> list[dict[str, Any]]:
        alarms: list[Alarm] = alarms_for(
            period,
            warning_working_days=self.settings.warning_working_days,
            escalation_days=self.settings.escalation_days,
            calendar=calendar,
            hours_based=hours_based,
        )
        return [
            {"deadline_id": deadline_id, "kind": alarm.kind, "fire_at": alarm.fire_at}
            for alarm in alarms
            # Already over (a backdated clue): announce the breach alone.
            if not (alarm.kind.startswith("due_soon:") and period.due_at <= now)
        ]

    async def _settle_rule(
        self, session: AsyncSession, *, clue_id: str, rule: str, met_at: datetime, now: datetime
    ) -> None:
        rows = (
            await session.execute(
                select(DeadlineRow).where(
                    DeadlineRow.clue_id == clue_id,
                    DeadlineRow.rule == rule,
                    DeadlineRow.met_at.is_(None),
                    DeadlineRow.state.in_([DeadlineState.RUNNING, DeadlineState.BREACHED]),
                )
            )
        ).scalars()
        for row in list(rows):
            await self._meet(session, row, met_at=met_at, now=now)

    async def _settle_task_rule(
        self, session: AsyncSession, *, task_id: str, rule: str, met_at: datetime, now: datetime
    ) -> None:
        rows = (
            await session.execute(
                select(DeadlineRow).where(
                    DeadlineRow.task_id == task_id,
                    DeadlineRow.rule == rule,
                    DeadlineRow.met_at.is_(None),
                    DeadlineRow.state.in_([DeadlineState.RUNNING, DeadlineState.BREACHED]),
                )
            )
        ).scalars()
        for row in list(rows):
            await self._meet(session, row, met_at=met_at, now=now)

    async def _meet(
        self, session: AsyncSession, row: DeadlineRow, *, met_at: datetime, now: datetime
    ) -> None:
        # Alarms first, then the deadline: the scheduler locks in that order too, so no deadlock.
        await session.execute(
            delete(AlarmRow).where(AlarmRow.deadline_id == row.deadline_id, AlarmRow.fired_at.is_(None))
        )
        state, late = settle_met(due_at=row.due_at, met_at=met_at)
        row.state, row.late, row.met_at, row.updated_at = state, late, met_at, now
        await self.emit(session, "deadline.met", row, now)

    async def _cancel(
        self,
        session: AsyncSession,
        *,
        clue_id: str,
        rules: list[str] | None,
        now: datetime,
        only: list[str] | None = None,
    ) -> None:
        """Cancel the clue's deadlines that still apply, breached ones too, with their pending alarms."""
        query = select(DeadlineRow).where(
            DeadlineRow.clue_id == clue_id,
            DeadlineRow.state.in_([DeadlineState.RUNNING, DeadlineState.BREACHED]),
            DeadlineRow.met_at.is_(None),
        )
        if rules is not None:
            query = query.where(DeadlineRow.rule.in_(rules))
        if only is not None:
            query = query.where(DeadlineRow.deadline_id.in_(only))
        for row in list((await session.execute(query)).scalars()):
            if not cancellable(state=row.state, met=row.met_at is not None):
                continue
            await session.execute(
                delete(AlarmRow).where(AlarmRow.deadline_id == row.deadline_id, AlarmRow.fired_at.is_(None))
            )
            row.state, row.cancelled_at, row.updated_at = DeadlineState.CANCELLED, now, now
            await self.emit(session, "deadline.cancelled", row, now)

    async def _hand_over(
        self, session: AsyncSession, *, old_task_id: str, new_task: TaskRow, now: datetime
    ) -> None:
        """A task reassigned after a dispute keeps its clock: its deadlines follow the new task."""
        await session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.task_id == old_task_id)
            .values(task_id=new_task.task_id, agency_id=new_task.agency_id, updated_at=now)
        )

    # -- alarms ------------------------------------------------------------------------------

    async def fire_due(self, session: AsyncSession, *, now: datetime, limit: int = 500) -> int:
        """Fire the alarms whose moment has come; SKIP LOCKED makes each fire exactly once."""
        alarms = (
            await session.execute(
                select(AlarmRow)
                .where(AlarmRow.fired_at.is_(None), AlarmRow.fire_at <= now)
                .order_by(AlarmRow.fire_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).scalars()
        fired = 0
        for alarm in list(alarms):
            alarm.fired_at = now
            row = await session.get(DeadlineRow, alarm.deadline_id, with_for_update=True)
            if row is None:
                continue
            clue = await session.get(ClueRow, row.clue_id)
            status = DeadlineStatus(
                state=row.state,
                met=row.met_at is not None,
                cancelled=row.cancelled_at is not None,
                clue_closed=clue is not None and clue.status == "closed",
            )
            if not alarm_applies(alarm.kind, status):
                if (
                    alarm.kind.startswith("escalate:")
                    and not status.settled
                    and await self._breach_pending(session, row)
                ):
                    alarm.fired_at = None  # its breach is being fired elsewhere right now: escalate after it
                continue  # met, cancelled or closed since the alarm was set: nothing to announce
            office = f"{row.division}.office"
            if alarm.kind == "breached":
                row.state, row.breached_at, row.updated_at = DeadlineState.BREACHED, now, now
                await self.emit(
                    session,
                    "deadline.breached",
                    row,
                    now,
                    extra={"escalate_to": [office], "division_office": office, "fired_for": alarm.fire_at},
                )
            elif alarm.kind.startswith("due_soon:"):
                await self.emit(
                    session,
                    "deadline.due_soon",
                    row,
                    now,
                    extra={
                        "working_days_before": int(alarm.kind.split(":", 1)[1]),
                        "fired_for": alarm.fire_at,
                    },
                )
            elif alarm.kind.startswith("escalate:"):
                # 督办: a further step after the breach, e.g. breached by N more days -> city office.
                step = alarm.kind.split(":", 1)[1]
                await self.emit(
                    session,
                    "deadline.breached",
                    row,
                    now,
                    extra={
                        "escalate_to": list(dict.fromkeys([office, step])),
                        "division_office": office,
                        "escalation_step": step,
                        "fired_for": alarm.fire_at,
                    },
                )
            else:
                continue
            fired += 1
        return fired

    async def _breach_pending(self, session: AsyncSession, row: DeadlineRow) -> bool:
        if row.state != DeadlineState.RUNNING:
            return False
        pending = await session.execute(
            select(AlarmRow.id).where(
                AlarmRow.deadline_id == row.deadline_id,
                AlarmRow.kind == "breached",
                AlarmRow.fired_at.is_(None),
            )
        )
        return pending.first() is not None

    async def next_alarm_at(self, session: AsyncSession) -> datetime | None:
        result = await session.execute(select(func.min(AlarmRow.fire_at)).where(AlarmRow.fired_at.is_(None)))
        return result.scalar_one_or_none()

    # -- calendar ----------------------------------------------------------------------------

    async def load_year(
        self, session: AsyncSession, *, schedule: YearSchedule, loaded_by: str, now: datetime
    ) -> int:
        """Store an official schedule and recompute the deadlines it moves (app/calendar_years.py)."""
        return await calendar_years.load_year(self, session, schedule=schedule, loaded_by=loaded_by, now=now)

    # -- events ------------------------------------------------------------------------------

    async def emit(
        self,
        session: AsyncSession,
        event_type: str,
        row: DeadlineRow,
        now: datetime,
        *,
        extra: dict[str, Any] | None = None,
    ) -> None:
        holders = await holders_of(session, row.clue_id)
        data: dict[str, Any] = {
            "deadline_id": row.deadline_id,
            "clue_id": row.clue_id,
            "task_id": row.task_id,
            "rule": row.rule,
            "division": row.division,
            "agency_id": row.agency_id,
            "starts_on": row.starts_on.isoformat(),
            "due_at": row.due_at.isoformat(),
            "state": row.state,
            "late": row.late,
            "provisional": row.provisional,
            "holders": holders,
            "dispute_seconds": row.dispute_seconds,
            "escalate_to": [],
        }
        for key, value in (extra or {}).items():
            data[key] = value.isoformat() if isinstance(value, datetime) else value
        await self.outbox.add(
            session, new_event(source=EVENT_SOURCE, type=event_type, subject=row.clue_id, data=data, time=now)
        )
