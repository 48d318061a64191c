"""Breaches and warnings on anxin.deadlines: announced at once when due, exactly once, across restarts."""

import asyncio
import subprocess
from datetime import UTC, datetime, timedelta

import httpx

from deadlines.domain.calendar import HolidayCalendar, shanghai_date
from deadlines.domain.periods import CountingMode, compute_period
from shared.settings import REPO_ROOT
from tests.deadlines.integration.support import (
    DeadlineEvents,
    act,
    announcements,
    backdated,
    deadlines_of,
    submit,
    wait_deadline,
    wait_task,
)
from tests.support.stack import DEADLINES, eventually

DIVISION = "330122"
OFFICE = f"{DIVISION}.office"


async def restart_deadlines() -> None:
    """Stop and start the deadlines service of the shared stack (the only one these tests own)."""
    stack = str(REPO_ROOT / "deploy" / "local" / "stack.sh")
    for step in ("stop-service", "start-service"):
        process = await asyncio.create_subprocess_exec(
            stack, step, "deadlines", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, err = await process.communicate()
        assert process.returncode == 0, err.decode()

    async def ready() -> bool:
        try:
            async with httpx.AsyncClient(timeout=2) as http:
                return (await http.get(f"{DEADLINES}/readyz")).status_code == 200
        except httpx.TransportError:
            return False

    await eventually(ready, within=60, what="deadlines ready after restart")


async def test_backdated_clue_is_breached_at_once_and_announced_once_even_across_a_restart() -> None:
    async with DeadlineEvents() as events:
        clue_id = await submit(division=DIVISION, received_at=backdated(60))

        def both_breached_and_escalated(ev: DeadlineEvents) -> bool:
            breached = ev.of(clue_id, "deadline.breached")
            return {(e["data"]["rule"], e["data"].get("escalation_step")) for e in breached} >= {
                ("transfer_7d", None),
                ("overall", None),
                ("transfer_7d", "330100.office"),
                ("overall", "330100.office"),
            }

        await events.wait(both_breached_and_escalated, what="transfer_7d and overall breached and escalated")
        for rule in ("transfer_7d", "overall"):
            deadline = await wait_deadline(clue_id, rule, "breached")
            assert deadline["late"] is False
            assert deadline["breached_at"] is not None
        assert not events.of(clue_id, "deadline.due_soon"), "a period already over warns no more"

        breach = events.of(clue_id, "deadline.breached", rule="overall", escalation_step=None)[0]["data"]
        assert breach["division_office"] == OFFICE
        assert breach["escalate_to"] == [OFFICE]
        assert isinstance(breach["holders"], list)
        step = events.of(clue_id, "deadline.breached", rule="overall", escalation_step="330100.office")
        assert step[0]["data"]["escalate_to"] == [OFFICE, "330100.office"]

        await restart_deadlines()
        # Something later on the same clue: accepting the verify task meets acceptance_1wd.
        verify = await wait_task(clue_id, "verify", f"{DIVISION}.gov")
        await act(verify, "accept")
        await events.wait(
            lambda ev: bool(ev.of(clue_id, "deadline.met", rule="acceptance_1wd")),
            what="acceptance_1wd met after the restart",
        )
        counts = announcements(events.of(clue_id, "deadline.breached"))
        assert len(counts) == 4
        assert set(counts.values()) == {1}, counts


def last_day_today_or_next() -> tuple[datetime, bool]:
    """A receipt moment whose 30-day period ends on the first working day from today (Shanghai)."""
    calendar = HolidayCalendar()
    today = shanghai_date(datetime.now(UTC))
    target = today
    while not calendar.is_workday(target):
        target += timedelta(days=1)
    starts_on = target - timedelta(days=30)
    while (
        compute_period(
            starts_on=starts_on, days=30, mode=CountingMode.CALENDAR_DAYS, calendar=calendar
        ).last_day
        != target
    ):
        starts_on -= timedelta(days=1)
    received_at = datetime.combine(starts_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    return received_at, target == today


async def test_last_day_today_warns_once_and_not_after_meeting() -> None:
    received_at, warns_now = last_day_today_or_next()
    async with DeadlineEvents() as events:
        clue_id = await submit(
            "source:city", source="city", division=DIVISION, received_at=received_at.isoformat()
        )
        overall = await wait_deadline(clue_id, "overall", "running")
        resolve = await wait_task(clue_id, "resolve", f"{DIVISION}.gov")
        if warns_now:
            await events.wait(lambda ev: bool(ev.of(clue_id, "deadline.due_soon")), what="overall due_soon")
        await act(resolve, "accept")
        await events.wait(
            lambda ev: bool(ev.of(clue_id, "deadline.met", rule="acceptance_1wd")),
            what="acceptance_1wd met",
        )
        warnings = events.of(clue_id, "deadline.due_soon")
        assert len(warnings) == (1 if warns_now else 0), warnings
        if warns_now:
            data = warnings[0]["data"]
            assert (data["rule"], data["deadline_id"]) == ("overall", overall["deadline_id"])
            assert data["working_days_before"] == 1
            assert data["holders"] == [f"{DIVISION}.gov"] or data["holders"] == []
        assert not events.of(clue_id, "deadline.breached")
        (still,) = await deadlines_of(clue_id, rule="overall")
        assert still["state"] == "running"
