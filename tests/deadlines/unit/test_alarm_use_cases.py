"""Firing due alarms against in-memory ports: warnings, breaches and escalations (督办)."""

from datetime import datetime, timedelta

from deadlines.app.alarms import fire_due_alarms, next_alarm_at
from deadlines.app.clues import apply_clue_status, start_clue_deadlines
from deadlines.app.commands import ApplyClueStatus, FireDueAlarms, StartClueDeadlines
from deadlines.domain.calendar import SHANGHAI
from deadlines.domain.model import Deadline, DeadlineState
from tests.deadlines.unit.fakes import POLICY, FakeUnitOfWork

RECEIVED = datetime(2026, 11, 19, 10, 0, tzinfo=SHANGHAI)
DUE = datetime(2026, 12, 21, 23, 59, 59, tzinfo=SHANGHAI)  # 30 days on, rolled past the weekend
FIRE = FireDueAlarms()


async def city_clue() -> tuple[FakeUnitOfWork, Deadline]:
    uow = FakeUnitOfWork()
    command = StartClueDeadlines(
        clue_id="c-1", source="city", division="330106", received_at=RECEIVED, submitted_by="source:city"
    )
    await start_clue_deadlines(command, uow=uow, now=RECEIVED, policy=POLICY)
    (overall,) = uow.deadlines.of("c-1")
    assert overall.due_at == DUE
    return uow, overall


async def test_nothing_fires_before_its_moment_and_the_next_moment_is_known() -> None:
    uow, _ = await city_clue()
    assert await fire_due_alarms(FIRE, uow=uow, now=RECEIVED) == 0
    assert await next_alarm_at(uow=uow) == datetime(2026, 12, 21, tzinfo=SHANGHAI)  # due_soon:1
    assert uow.outbox.of("deadline.due_soon") == []


async def test_a_warning_then_a_breach_then_an_escalation() -> None:
    uow, overall = await city_clue()
    assert await fire_due_alarms(FIRE, uow=uow, now=DUE - timedelta(hours=1)) == 1
    (warning,) = uow.outbox.of("deadline.due_soon")
    assert (warning["working_days_before"], warning["fired_for"]) == (1, "2026-12-21T00:00:00+08:00")

    breached_at = DUE + timedelta(seconds=1)
    assert await fire_due_alarms(FIRE, uow=uow, now=breached_at) == 1
    stored = uow.deadlines.rows[overall.deadline_id]
    assert (stored.state, stored.breached_at) == (DeadlineState.BREACHED, breached_at)
    (breach,) = uow.outbox.of("deadline.breached")
    assert (breach["state"], breach["escalate_to"], breach["division_office"]) == (
        "breached",
        ["330106.office"],
        "330106.office",
    )

    assert await fire_due_alarms(FIRE, uow=uow, now=DUE + timedelta(days=3)) == 1
    (escalation,) = uow.outbox.of("deadline.breached", escalation_step="330100.office")
    assert escalation["escalate_to"] == ["330106.office", "330100.office"]
    assert uow.alarms.pending(overall.deadline_id) == []


async def test_an_escalation_waits_for_a_breach_still_pending() -> None:
    uow, overall = await city_clue()
    await uow.alarms.drop_pending([overall.deadline_id])
    late = uow.alarms.store(overall.deadline_id, "escalate:330100.office", DUE)
    uow.alarms.store(overall.deadline_id, "breached", DUE + timedelta(seconds=1))  # claimed elsewhere

    assert await fire_due_alarms(FIRE, uow=uow, now=DUE) == 0
    assert late.fired_at is None  # put back, to escalate after the breach
    assert uow.outbox.of("deadline.breached") == []


async def test_a_closed_clue_and_an_unknown_code_announce_nothing() -> None:
    uow, overall = await city_clue()
    stray = uow.alarms.store(overall.deadline_id, "reminder:7", RECEIVED)
    assert await fire_due_alarms(FIRE, uow=uow, now=RECEIVED) == 0
    assert stray.fired_at == RECEIVED  # consumed, not retried
    closed = ApplyClueStatus(clue_id="c-1", status="closed")
    await apply_clue_status(closed, uow=uow, now=RECEIVED, policy=POLICY)
    leftover = uow.alarms.store(overall.deadline_id, "breached", DUE)
    assert await fire_due_alarms(FIRE, uow=uow, now=DUE) == 0
    assert leftover.fired_at == DUE
    assert uow.outbox.of("deadline.breached") == []
