"""Loading a year's official schedule against in-memory ports: periods move, breaches are corrected."""

from datetime import date, datetime

from deadlines.app.calendar_years import load_calendar_year
from deadlines.app.clues import start_clue_deadlines
from deadlines.app.commands import LoadCalendarYear, StartClueDeadlines
from deadlines.domain.calendar import SHANGHAI, YearSchedule
from deadlines.domain.model import DeadlineState
from tests.deadlines.unit.fakes import POLICY, FakeUnitOfWork

RECEIVED = datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)
FALLBACK_DUE = datetime(2027, 1, 1, 23, 59, 59, tzinfo=SHANGHAI)  # a Friday, on weekends-only rules
OFFICIAL_DUE = datetime(2027, 1, 4, 23, 59, 59, tzinfo=SHANGHAI)  # after the 元旦 break
AFTER_FALLBACK_DUE = datetime(2027, 1, 2, 12, 0, tzinfo=SHANGHAI)
SCHEDULE = YearSchedule(
    year=2027, holidays={date(2027, 1, d): "元旦" for d in (1, 2, 3)}, workdays=frozenset()
)


async def provisional_clue(uow: FakeUnitOfWork, clue_id: str) -> str:
    command = StartClueDeadlines(
        clue_id=clue_id, source="city", division="330127", received_at=RECEIVED, submitted_by="source:city"
    )
    await start_clue_deadlines(command, uow=uow, now=RECEIVED, policy=POLICY)
    (overall,) = uow.deadlines.of(clue_id)
    assert (overall.provisional, overall.due_at) == (True, FALLBACK_DUE)
    return overall.deadline_id


async def test_a_running_deadline_takes_the_official_period_and_its_alarms() -> None:
    uow = FakeUnitOfWork()
    deadline_id = await provisional_clue(uow, "c-1")
    command = LoadCalendarYear(schedule=SCHEDULE, loaded_by="admin")

    assert await load_calendar_year(command, uow=uow, now=RECEIVED, policy=POLICY) == 1
    assert uow.calendar.loaded[2027] == ("admin", RECEIVED)
    stored = uow.deadlines.rows[deadline_id]
    assert (stored.state, stored.provisional, stored.due_at) == (DeadlineState.RUNNING, False, OFFICIAL_DUE)
    breach = [a for a in uow.alarms.rows if a.code == "breached" and a.fired_at is None]
    assert [a.fire_at for a in breach] == [OFFICIAL_DUE]
    assert uow.outbox.of("deadline.corrected") == []  # nothing was announced wrongly
    assert await load_calendar_year(command, uow=uow, now=RECEIVED, policy=POLICY) == 0


async def test_a_breach_the_fallback_calendar_caused_is_undone_and_announced_once() -> None:
    uow = FakeUnitOfWork()
    deadline_id = await provisional_clue(uow, "c-1")
    await uow.deadlines.save(uow.deadlines.rows[deadline_id].breached(now=AFTER_FALLBACK_DUE))
    for alarm in uow.alarms.rows:
        if alarm.code == "breached":
            alarm.fired_at = AFTER_FALLBACK_DUE
    command = LoadCalendarYear(schedule=SCHEDULE, loaded_by="admin")

    for _ in range(2):  # the second load finds nothing more to correct
        await load_calendar_year(command, uow=uow, now=AFTER_FALLBACK_DUE, policy=POLICY)

    stored = uow.deadlines.rows[deadline_id]
    assert (stored.state, stored.breached_at, stored.due_at) == (DeadlineState.RUNNING, None, OFFICIAL_DUE)
    assert "breached" in uow.alarms.pending(deadline_id)  # it can breach again
    (corrected,) = uow.outbox.of("deadline.corrected")
    assert corrected["corrected_from"] == {
        "state": "breached",
        "due_at": FALLBACK_DUE.isoformat(),
        "provisional": True,
    }
    assert (corrected["state"], corrected["calendar_year"]) == ("running", 2027)
