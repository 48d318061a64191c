"""Deadlines' use cases: start, meet, cancel, fire alarms, load a calendar year.

Each runs inside the caller's transaction and writes its events to the outbox.
"""

import logging
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, cast, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deadlines.domain.calendar import HolidayCalendar, YearSchedule, shanghai_date
from deadlines.domain.deadline import Alarm, DeadlineState, Limit, alarms_for, period_for, settle_met
from deadlines.domain.periods import CountingMode, Period
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import AlarmRow, CalendarYearRow, ClueRow, DeadlineRow, TaskRow
from shared.events import new_event
from shared.messaging import Outbox

log = logging.getLogger(__name__)

EVENT_SOURCE = "/anxin/deadlines"
UNFINISHED = ("open", "accepted")
INDUSTRY_TASK = "industry_resolve"
RECOMPUTE_CHUNK = 5000


async def load_calendar(session: AsyncSession) -> HolidayCalendar:
    rows = (await session.execute(select(CalendarYearRow))).scalars()
    return HolidayCalendar({row.year: schedule_from_row(row) for row in rows})


def schedule_from_row(row: CalendarYearRow) -> YearSchedule:
    return YearSchedule(
        year=row.year,
        holidays={date.fromisoformat(d): name for d, name in row.holidays.items()},
        workdays=frozenset(date.fromisoformat(d) for d in row.workdays),
    )


def limit_to_json(limit: Limit) -> dict[str, Any]:
    return {"days": limit.days, "mode": str(limit.mode), "hours": limit.hours}


def limit_from_json(raw: dict[str, Any]) -> Limit:
    return Limit(
        days=raw.get("days"), mode=CountingMode(raw.get("mode", "calendar_days")), hours=raw.get("hours")
    )


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
        for rule, spec in self.settings.rules.items():
            if clue.source not in spec.sources or rule == "industry_15d":
                continue
            if rule == "transfer_7d" and clue.lead_clue_id:
                continue  # a linked clue is transferred through its lead clue's handling
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
        if task.kind == INDUSTRY_TASK:
            await self._settle_rule(
                session, clue_id=clue.clue_id, rule="transfer_7d", met_at=assigned_at, now=now
            )
            spec = self.settings.rules.get("industry_15d")
            if spec is not None and clue.source in spec.sources:
                await self._start(
                    session,
                    clue=clue,
                    rule="industry_15d",
                    limit=Limit(days=spec.days_by_source.get(clue.source, spec.days), mode=spec.mode),
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
        if (
            state == "done"
            and data.get("kind") == "review"
            and INDUSTRY_TASK not in data.get("created_kinds", [])
        ):
            await self._cancel(session, clue_id=data["clue_id"], rules=["transfer_7d"], now=now)

    async def on_clue_status(self, session: AsyncSession, data: dict[str, Any], now: datetime) -> None:
        clue_id = data["clue_id"]
        values: dict[str, Any] = {"status": data["status"]}
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
                scope=task_id or "",
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
        await self._emit(session, "deadline.started", row, now)
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
        alarms = self._alarm_rows(row.deadline_id, period, calendar, hours_based=hours_based, now=now)
        if alarms:
            await session.execute(
                pg_insert(AlarmRow)
                .values(alarms)
                .on_conflict_do_nothing(constraint="uq_alarms_deadline_kind")
            )

    def _alarm_rows(
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
        await self._emit(session, "deadline.met", row, now)

    async def _cancel(
        self, session: AsyncSession, *, clue_id: str, rules: list[str] | None, now: datetime
    ) -> None:
        query = select(DeadlineRow).where(
            DeadlineRow.clue_id == clue_id, DeadlineRow.state == DeadlineState.RUNNING
        )
        if rules is not None:
            query = query.where(DeadlineRow.rule.in_(rules))
        for row in list((await session.execute(query)).scalars()):
            await session.execute(
                delete(AlarmRow).where(AlarmRow.deadline_id == row.deadline_id, AlarmRow.fired_at.is_(None))
            )
            row.state, row.cancelled_at, row.updated_at = DeadlineState.CANCELLED, now, now
            await self._emit(session, "deadline.cancelled", row, now)

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
            if row is None or row.met_at is not None:
                continue  # met (or gone) since the alarm was set: nothing to announce
            office = f"{row.division}.office"
            if alarm.kind == "breached" and row.state == DeadlineState.RUNNING:
                row.state, row.breached_at, row.updated_at = DeadlineState.BREACHED, now, now
                await self._emit(
                    session,
                    "deadline.breached",
                    row,
                    now,
                    extra={"escalate_to": [office], "division_office": office, "fired_for": alarm.fire_at},
                )
            elif alarm.kind.startswith("due_soon:") and row.state == DeadlineState.RUNNING:
                await self._emit(
                    session,
                    "deadline.due_soon",
                    row,
                    now,
                    extra={
                        "working_days_before": int(alarm.kind.split(":", 1)[1]),
                        "fired_for": alarm.fire_at,
                    },
                )
            elif alarm.kind.startswith("escalate:") and row.state == DeadlineState.BREACHED:
                # 督办: a further step after the breach, e.g. breached by N more days -> city office.
                step = alarm.kind.split(":", 1)[1]
                await self._emit(
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
            elif alarm.kind.startswith("escalate:") and await self._breach_pending(session, row):
                alarm.fired_at = None  # its breach is being fired elsewhere right now: escalate after it
                continue
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
        """Store an official schedule and recompute every open deadline that crosses its year."""
        await session.merge(
            CalendarYearRow(
                year=schedule.year,
                holidays={d.isoformat(): name for d, name in sorted(schedule.holidays.items())},
                workdays=sorted(d.isoformat() for d in schedule.workdays),
                loaded_by=loaded_by,
                loaded_at=now,
            )
        )
        await session.flush()
        calendar = await load_calendar(session)
        rows = (
            await session.execute(
                select(
                    DeadlineRow.deadline_id,
                    DeadlineRow.limit,
                    DeadlineRow.start_at,
                    DeadlineRow.starts_on,
                    DeadlineRow.due_at,
                    DeadlineRow.provisional,
                ).where(
                    DeadlineRow.state == DeadlineState.RUNNING,
                    DeadlineRow.starts_on <= date(schedule.year, 12, 31),
                    DeadlineRow.last_day >= date(schedule.year, 1, 1),
                )
            )
        ).all()
        changes: list[dict[str, Any]] = []
        alarms: list[dict[str, Any]] = []
        for row in rows:
            limit = limit_from_json(row.limit)
            period = period_for(limit, start=row.start_at, starts_on=row.starts_on, calendar=calendar)
            if (period.due_at, period.provisional) == (row.due_at, row.provisional):
                continue
            changes.append(
                {
                    "deadline_id": row.deadline_id,
                    "last_day": period.last_day,
                    "due_at": period.due_at,
                    "provisional": period.provisional,
                    "updated_at": now,
                }
            )
            alarms += self._alarm_rows(
                row.deadline_id, period, calendar, hours_based=limit.hours is not None, now=now
            )
        # In bulk, alarms before deadline rows: the scheduler locks in that order too.
        for chunk in _chunks(changes, RECOMPUTE_CHUNK):
            ids = [change["deadline_id"] for change in chunk]
            await session.execute(
                delete(AlarmRow).where(AlarmRow.deadline_id.in_(ids), AlarmRow.fired_at.is_(None))
            )
            await session.execute(update(DeadlineRow), chunk)
        for chunk in _chunks(alarms, RECOMPUTE_CHUNK):
            await session.execute(
                pg_insert(AlarmRow).on_conflict_do_nothing(constraint="uq_alarms_deadline_kind"), chunk
            )
        recomputed = len(changes)
        return recomputed

    # -- events ------------------------------------------------------------------------------

    async def _emit(
        self,
        session: AsyncSession,
        event_type: str,
        row: DeadlineRow,
        now: datetime,
        *,
        extra: dict[str, Any] | None = None,
    ) -> None:
        holders = (
            await session.execute(
                select(TaskRow.agency_id)
                .where(TaskRow.clue_id == row.clue_id, TaskRow.state.in_(UNFINISHED))
                .distinct()
            )
        ).scalars()
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
            "holders": sorted(holders),
            "dispute_seconds": row.dispute_seconds,
            "escalate_to": [],
        }
        for key, value in (extra or {}).items():
            data[key] = value.isoformat() if isinstance(value, datetime) else value
        await self.outbox.add(
            session, new_event(source=EVENT_SOURCE, type=event_type, subject=row.clue_id, data=data, time=now)
        )


def _chunks(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
