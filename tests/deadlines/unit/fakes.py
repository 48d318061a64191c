"""In-memory fakes of deadlines' ports (deadlines/app/ports.py), for the use cases' unit tests."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from deadlines.app.ports import DueAlarm
from deadlines.domain.calendar import HolidayCalendar, YearSchedule
from deadlines.domain.model import Alarm, AlarmKind, Clue, Deadline, DeadlineState, Task
from deadlines.domain.rules import Policy
from deadlines.settings import DeadlinesSettings
from shared.events import CloudEvent
from shared.events.task_states import UNFINISHED_TASK_STATES

POLICY: Policy = DeadlinesSettings().policy()


class FakeClues:
    def __init__(self) -> None:
        self.rows: dict[str, Clue] = {}

    async def save(self, clue: Clue) -> None:
        self.rows[clue.clue_id] = clue

    async def get(self, clue_id: str) -> Clue | None:
        return self.rows.get(clue_id)

    async def followers(self, lead_clue_id: str) -> list[Clue]:
        found = [c for c in self.rows.values() if c.lead_clue_id == lead_clue_id and not c.closed]
        return sorted(found, key=lambda c: (c.received_at, c.clue_id))


class FakeTasks:
    def __init__(self) -> None:
        self.rows: dict[str, Task] = {}

    async def save(self, task: Task) -> None:
        self.rows[task.task_id] = task

    async def set_state(self, task_id: str, state: str) -> None:
        if task_id in self.rows:
            self.rows[task_id] = replace(self.rows[task_id], state=state)

    async def ids_of_clue(self, clue_id: str) -> frozenset[str]:
        return frozenset(t.task_id for t in self.rows.values() if t.clue_id == clue_id)

    async def unfinished_holders(self, clue_ids: Sequence[str]) -> list[str]:
        return sorted(
            {
                t.agency_id
                for t in self.rows.values()
                if t.clue_id in clue_ids and t.state in UNFINISHED_TASK_STATES
            }
        )


class FakeDeadlines:
    def __init__(self) -> None:
        self.rows: dict[str, Deadline] = {}

    def of(self, clue_id: str, rule: str | None = None) -> list[Deadline]:
        """The clue's deadlines (of one rule), as stored."""
        return [d for d in self.rows.values() if d.clue_id == clue_id and rule in (None, d.rule)]

    async def add(self, deadline: Deadline) -> Deadline | None:
        key = (deadline.clue_id, deadline.rule, deadline.scope)
        if any((d.clue_id, d.rule, d.scope) == key for d in self.rows.values()):
            return None
        self.rows[deadline.deadline_id] = deadline
        return deadline

    async def get(self, deadline_id: str, *, lock: bool = False, refresh: bool = False) -> Deadline | None:
        del lock, refresh  # one copy in memory: nothing to lock or to reload
        return self.rows.get(deadline_id)

    async def save(self, deadline: Deadline) -> None:
        self.rows[deadline.deadline_id] = replace(
            self.rows[deadline.deadline_id],
            state=deadline.state,
            late=deadline.late,
            met_at=deadline.met_at,
            breached_at=deadline.breached_at,
            cancelled_at=deadline.cancelled_at,
            updated_at=deadline.updated_at,
        )

    async def of_clue(self, clue_id: str) -> list[Deadline]:
        return self.of(clue_id)

    async def open_of_clue(self, clue_id: str, *, rules: Sequence[str] | None = None) -> list[Deadline]:
        return [d for d in self.of(clue_id) if d.open and (rules is None or d.rule in rules)]

    async def open_of_task(self, task_id: str, rule: str) -> list[Deadline]:
        return [d for d in self.rows.values() if d.task_id == task_id and d.rule == rule and d.open]

    async def of_clue_rule(self, clue_id: str, rule: str) -> Deadline | None:
        return next((d for d in self.of(clue_id, rule) if d.scope == ""), None)

    def _update(self, deadline: Deadline, **changes: Any) -> None:
        self.rows[deadline.deadline_id] = replace(deadline, **changes)

    async def hand_over(self, *, old_task_id: str, task: Task, now: datetime) -> None:
        for d in [d for d in self.rows.values() if d.task_id == old_task_id]:
            self._update(d, task_id=task.task_id, agency_id=task.agency_id, updated_at=now)

    async def move_to_division(self, clue_id: str, division: str) -> None:
        for d in self.of(clue_id):
            self._update(d, division=division)

    async def open_dispute(self, task_id: str, *, at: datetime) -> None:
        for d in [d for d in self.rows.values() if d.task_id == task_id and d.in_dispute_since is None]:
            self._update(d, in_dispute_since=at)

    async def close_dispute(self, task_ids: Sequence[str], *, at: datetime) -> None:
        for d in [d for d in self.rows.values() if d.task_id in task_ids and d.in_dispute_since is not None]:
            assert d.in_dispute_since is not None
            seconds = max(math.floor((at - d.in_dispute_since).total_seconds()), 0)
            self._update(d, dispute_seconds=d.dispute_seconds + seconds, in_dispute_since=None, updated_at=at)

    async def crossing(self, first_day: date, last_day: date) -> list[Deadline]:
        return [
            d
            for d in self.rows.values()
            if (
                (d.state == DeadlineState.RUNNING and d.met_at is None)
                or (d.state == DeadlineState.BREACHED and d.provisional and d.cancelled_at is None)
            )
            and d.starts_on <= last_day
            and d.last_day >= first_day
        ]

    async def save_periods(self, deadlines: Sequence[Deadline]) -> None:
        for d in deadlines:
            self.rows[d.deadline_id] = d


@dataclass
class StoredAlarm:
    alarm_id: int
    deadline_id: str
    code: str
    fire_at: datetime
    fired_at: datetime | None = None


class FakeAlarms:
    def __init__(self) -> None:
        self.rows: list[StoredAlarm] = []

    def pending(self, deadline_id: str) -> list[str]:
        """Codes of the deadline's pending alarms, sorted."""
        return sorted(a.code for a in self.rows if a.deadline_id == deadline_id and a.fired_at is None)

    def store(self, deadline_id: str, code: str, fire_at: datetime) -> StoredAlarm:
        """An alarm as a row holds it, whatever its code."""
        row = StoredAlarm(len(self.rows) + 1, deadline_id, code, fire_at)
        self.rows.append(row)
        return row

    async def replace_pending(self, deadline_id: str, alarms: Sequence[Alarm]) -> None:
        await self.drop_pending([deadline_id])
        await self.add([(deadline_id, alarm) for alarm in alarms])

    async def drop_pending(self, deadline_ids: Sequence[str]) -> None:
        self.rows = [a for a in self.rows if not (a.deadline_id in deadline_ids and a.fired_at is None)]

    async def drop_all(self, deadline_ids: Sequence[str]) -> None:
        self.rows = [a for a in self.rows if a.deadline_id not in deadline_ids]

    async def add(self, alarms: Sequence[tuple[str, Alarm]]) -> None:
        for deadline_id, alarm in alarms:
            if not any(a.deadline_id == deadline_id and a.code == alarm.code for a in self.rows):
                self.store(deadline_id, alarm.code, alarm.fire_at)

    async def claim_due(self, *, now: datetime, limit: int) -> list[DueAlarm]:
        due = sorted(
            (a for a in self.rows if a.fired_at is None and a.fire_at <= now), key=lambda a: a.fire_at
        )
        return [
            DueAlarm(a.alarm_id, a.deadline_id, a.code, Alarm.parse(a.code, a.fire_at)) for a in due[:limit]
        ]

    async def mark_fired(self, alarm_id: int, at: datetime | None) -> None:
        (row,) = [a for a in self.rows if a.alarm_id == alarm_id]
        row.fired_at = at

    async def breach_pending(self, deadline_id: str) -> bool:
        return AlarmKind.BREACHED in self.pending(deadline_id)

    async def next_fire_at(self) -> datetime | None:
        return min((a.fire_at for a in self.rows if a.fired_at is None), default=None)


class FakeCalendar:
    def __init__(self) -> None:
        self.schedules: dict[int, YearSchedule] = {}
        self.loaded: dict[int, tuple[str, datetime]] = {}

    async def load(self) -> HolidayCalendar:
        return HolidayCalendar(self.schedules)

    async def save_year(self, schedule: YearSchedule, *, loaded_by: str, now: datetime) -> None:
        self.schedules[schedule.year] = schedule
        self.loaded[schedule.year] = (loaded_by, now)


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[CloudEvent] = []

    async def add(self, event: CloudEvent) -> None:
        self.events.append(event)

    def of(self, event_type: str, **data: Any) -> list[dict[str, Any]]:
        """The data of the events of that type whose members match ``data``."""
        return [
            e.data
            for e in self.events
            if e.type == event_type and all(e.data.get(k) == v for k, v in data.items())
        ]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.clues = FakeClues()
        self.tasks = FakeTasks()
        self.deadlines = FakeDeadlines()
        self.alarms = FakeAlarms()
        self.calendar = FakeCalendar()
        self.outbox = FakeOutbox()
