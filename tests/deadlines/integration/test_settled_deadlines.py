"""Issue 11 items 8 and 9: no 督办 after a deadline is cancelled, met or its clue closed; a breach the
fallback calendar caused is corrected when the official schedule is loaded, and announced once.

Item 9 needs a clock past a provisional due date, so it runs deadlines' real handlers on the real
database in a transaction that is rolled back, as the consumer and the calendar endpoint would.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from deadlines.app.calendar_years import load_calendar_year
from deadlines.app.clues import start_clue_deadlines
from deadlines.app.commands import LoadCalendarYear
from deadlines.consumers.events import clue_received as decode_clue_received
from deadlines.domain.calendar import SHANGHAI, HolidayCalendar, YearSchedule, shanghai_date
from deadlines.domain.periods import CountingMode, compute_period
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import outbox
from deadlines.store.unit_of_work import SqlUnitOfWork
from shared.events import DEADLINES_TOPIC, new_event
from shared.messaging import Outbox
from tests.deadlines.integration.support import (
    DeadlineEvents,
    act,
    review_body,
    submit,
    wait_deadline,
    wait_task,
)
from tests.support.stack import DATABASE_URL, eventually

DIVISION = "330122"
GOV, HRSS = f"{DIVISION}.gov", f"{DIVISION}.hrss"


@pytest.fixture
async def engine() -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(DATABASE_URL)
    yield engine
    await engine.dispose()


def breached_with_escalation_ahead() -> datetime:
    """A receipt moment whose transfer_7d is already over but whose 3-day 督办 step is still ahead."""
    calendar, now = HolidayCalendar(), datetime.now(UTC)
    starts_on = shanghai_date(now) - timedelta(days=8)
    while True:
        period = compute_period(
            starts_on=starts_on, days=7, mode=CountingMode.CALENDAR_DAYS, calendar=calendar
        )
        if period.due_at < now:
            assert period.due_at + timedelta(days=3) > now, "no receipt date puts the escalation ahead"
            return datetime.combine(starts_on, datetime.min.time(), tzinfo=SHANGHAI) + timedelta(hours=10)
        starts_on -= timedelta(days=1)


async def pending_alarms(engine: AsyncEngine, clue_id: str) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT d.rule || ' ' || a.kind FROM deadlines.alarms a"
                " JOIN deadlines.deadlines d USING (deadline_id)"
                " WHERE d.clue_id = :clue_id AND a.fired_at IS NULL ORDER BY 1"
            ),
            {"clue_id": clue_id},
        )
        return list(rows.scalars())


async def test_a_breached_deadline_cancelled_and_a_closed_clue_keep_no_escalation(
    engine: AsyncEngine,
) -> None:
    async with DeadlineEvents() as events:
        clue_id = await submit(division=DIVISION, received_at=breached_with_escalation_ahead().isoformat())
        breached = await wait_deadline(clue_id, "transfer_7d", "breached")
        assert "transfer_7d escalate:330100.office" in await pending_alarms(engine, clue_id)

        verify = await wait_task(clue_id, "verify", GOV)
        await act(verify, "accept")
        await act(verify, "complete", review_body(substantiated=True, causes=["funds_shortage"]))
        review = await wait_task(clue_id, "review", HRSS)
        await act(review, "accept")
        await act(review, "complete", review_body(substantiated=False, causes=[]))

        cancelled = await wait_deadline(clue_id, "transfer_7d", "cancelled")
        assert cancelled["deadline_id"] == breached["deadline_id"]
        assert (cancelled["breached_at"], cancelled["met_at"]) == (breached["breached_at"], None)
        await wait_deadline(clue_id, "overall", "met")  # the clue closed: the review ended its only branch

        async def none_pending() -> bool:
            return await pending_alarms(engine, clue_id) == []

        await eventually(none_pending, what="no pending alarm on the closed clue")
        await events.wait(
            lambda ev: bool(ev.of(clue_id, "deadline.cancelled", rule="transfer_7d")),
            what="deadline.cancelled of the breached transfer_7d",
        )
        assert not events.of(clue_id, "deadline.breached", escalation_step="330100.office")


def clue_received(clue_id: str, received_at: str) -> dict[str, Any]:
    return {
        "clue_id": clue_id,
        "source": "city",
        "external_id": f"T-{clue_id}",
        "received_at": received_at,
        "division": "330127",
        "submitted_by": "source:city",
        "employer": {"name": "淳安纠正建设有限公司"},
        "workers": 5,
        "amount_owed": "5000.00",
        "summary": "跨年线索",
        "flags": [],
        "emergency": False,
        "emergency_reasons": [],
    }


SCHEDULE_2027 = YearSchedule(
    year=2027,
    holidays={datetime(2027, 1, day, tzinfo=UTC).date(): "元旦" for day in (1, 2, 3)},
    workdays=frozenset(),
)


async def test_a_breach_the_fallback_calendar_caused_is_corrected_once(engine: AsyncEngine) -> None:
    policy = DeadlinesSettings().policy()
    clue_id = str(uuid.uuid4())
    # 2026-12-02 + 30 days: Friday 2027-01-01 on weekends-only rules, Monday 01-04 after 元旦.
    after_fallback_due = datetime(2027, 1, 2, 12, 0, tzinfo=SHANGHAI)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            session = AsyncSession(bind=connection)
            uow = SqlUnitOfWork(session, Outbox(outbox, DEADLINES_TOPIC))
            await session.execute(text("DELETE FROM deadlines.calendar_years WHERE year = 2027"))
            received = new_event(
                source="/anxin/intake",
                type="clue.received",
                subject=clue_id,
                time=datetime.now(UTC),
                data=clue_received(clue_id, "2026-12-02T10:00:00+08:00"),
            )
            await start_clue_deadlines(
                decode_clue_received(received), uow=uow, now=datetime.now(UTC), policy=policy
            )
            await session.flush()
            # What the scheduler does when the provisional due time passes.
            await session.execute(
                text(
                    "UPDATE deadlines.deadlines SET state = 'breached', breached_at = :at"
                    " WHERE clue_id = :clue_id AND rule = 'overall'"
                ),
                {"clue_id": clue_id, "at": after_fallback_due},
            )
            await session.execute(
                text(
                    "UPDATE deadlines.alarms SET fired_at = :at WHERE kind = 'breached' AND deadline_id IN"
                    " (SELECT deadline_id FROM deadlines.deadlines WHERE clue_id = :clue_id)"
                ),
                {"clue_id": clue_id, "at": after_fallback_due},
            )

            for _ in range(2):  # the second load finds nothing more to correct
                await load_calendar_year(
                    LoadCalendarYear(schedule=SCHEDULE_2027, loaded_by="admin"),
                    uow=uow,
                    now=after_fallback_due,
                    policy=policy,
                )
                await session.flush()

            row = (
                await session.execute(
                    text(
                        "SELECT state, due_at, provisional, breached_at FROM deadlines.deadlines"
                        " WHERE clue_id = :clue_id AND rule = 'overall'"
                    ),
                    {"clue_id": clue_id},
                )
            ).one()
            assert (row.state, row.provisional, row.breached_at) == ("running", False, None)
            assert row.due_at == datetime(2027, 1, 4, 23, 59, 59, tzinfo=SHANGHAI)
            alarms = (
                await session.execute(
                    text(
                        "SELECT kind, fire_at FROM deadlines.alarms WHERE fired_at IS NULL AND deadline_id IN"
                        " (SELECT deadline_id FROM deadlines.deadlines WHERE clue_id = :clue_id) ORDER BY kind"
                    ),
                    {"clue_id": clue_id},
                )
            ).all()
            assert ("breached", row.due_at) in [(a.kind, a.fire_at) for a in alarms]  # it can breach again
            announced = (
                (
                    await session.execute(
                        text(
                            "SELECT event FROM deadlines.outbox WHERE key = :clue_id"
                            " AND event->>'type' = 'deadline.corrected'"
                        ),
                        {"clue_id": clue_id},
                    )
                )
                .scalars()
                .all()
            )
            assert len(announced) == 1
            data = announced[0]["data"]
            assert (data["rule"], data["state"]) == ("overall", "running")
            assert datetime.fromisoformat(data["due_at"]) == row.due_at
            assert data["corrected_from"]["state"] == "breached"
            was = datetime.fromisoformat(data["corrected_from"]["due_at"])
            assert was == datetime(2027, 1, 1, 23, 59, 59, tzinfo=SHANGHAI)
        finally:
            await transaction.rollback()
