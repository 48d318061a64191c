"""Years without an official schedule: provisional periods, then PUT /v1/calendar/years/{year}.

Intake refuses clues received in the future, and today no 30-day period reaches 2027 yet, so the
clues crossing into 2027 are fed to the real consumer handler against the real database, as
``clue.received`` events would be. Loading 2027 is shared state: every run loads the same schedule.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from deadlines.consumers.events import event_dispatcher
from deadlines.settings import DeadlinesSettings
from deadlines.store.tables import outbox
from deadlines.store.unit_of_work import unit_of_work_factory
from shared.events import DEADLINES_TOPIC
from shared.events.envelope import new_event
from shared.messaging import Outbox
from tests.deadlines.integration.support import DeadlineEvents, deadlines_of, wait_deadline
from tests.support.stack import DATABASE_URL, DEADLINES, client

DIVISION = "330127"
SCHEDULE_2027: dict[str, Any] = {
    "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-01-02", "name": "元旦"},
        {"date": "2027-01-03", "name": "元旦"},
        *({"date": f"2027-02-{day:02d}", "name": "春节"} for day in range(6, 15)),
    ],
    "workdays": ["2027-02-20"],
}


@pytest.fixture
async def engine() -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(DATABASE_URL)
    yield engine
    await engine.dispose()


async def receive_clue(engine: AsyncEngine, received_at: str) -> str:
    """Hand deadlines' consumer a ``clue.received`` event for a fresh city clue."""
    clue_id = str(uuid.uuid4())
    event = new_event(
        source="/anxin/intake",
        type="clue.received",
        subject=clue_id,
        time=datetime.now(UTC),
        data={
            "clue_id": clue_id,
            "source": "city",
            "external_id": f"T-{clue_id}",
            "received_at": received_at,
            "division": DIVISION,
            "submitted_by": "source:city",
            "employer": {"name": "淳安测试建设有限公司"},
            "workers": 5,
            "amount_owed": "5000.00",
            "summary": "跨年线索",
            "flags": [],
            "emergency": False,
            "emergency_reasons": [],
        },
    )
    handle = event_dispatcher(
        unit_of_work=unit_of_work_factory(Outbox(outbox, DEADLINES_TOPIC)),
        policy=DeadlinesSettings().policy(),
    )
    async with engine.begin() as connection, AsyncSession(bind=connection) as session:
        await handle(session, event)
        await session.flush()
    return clue_id


async def day(date: str) -> dict[str, Any]:
    async with client(DEADLINES, "agency:330127.gov") as deadlines:
        response = await deadlines.get(f"/v1/calendar/days/{date}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_calendar_days_of_2026_and_of_an_unpublished_year() -> None:
    assert await day("2026-10-01") == {
        "date": "2026-10-01",
        "workday": False,
        "holiday": "国庆节",
        "provisional": False,
    }
    assert await day("2026-09-20") == {  # a Sunday made a working day (调休)
        "date": "2026-09-20",
        "workday": True,
        "holiday": None,
        "provisional": False,
    }
    assert await day("2028-03-04") == {  # a Saturday, on weekends-only rules
        "date": "2028-03-04",
        "workday": False,
        "holiday": None,
        "provisional": True,
    }
    async with client(DEADLINES) as anonymous:
        assert (await anonymous.get("/v1/calendar/days/2026-10-01")).status_code == 401
    async with client(DEADLINES, "admin") as admin:
        bad = await admin.get("/v1/calendar/days/2026-13-01")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


async def test_loading_2027_recomputes_provisional_deadlines(engine: AsyncEngine) -> None:
    # Unload 2027 (no API does this) so that every run sees the provisional path first.
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM deadlines.calendar_years WHERE year = 2027"))
    assert (await day("2027-01-01"))["provisional"] is True

    async with DeadlineEvents() as events:
        new_year = await receive_clue(engine, "2026-12-02T10:00:00+08:00")
        brief = await receive_clue(engine, "2026-12-20T10:00:00+08:00")
        before = await wait_deadline(new_year, "overall", "running")
        assert before["provisional"] is True
        assert before["due_at"] == "2027-01-01T23:59:59+08:00"  # a Friday, on weekends-only rules
        provisional = await deadlines_of(new_year, provisional="true")
        assert [d["deadline_id"] for d in provisional] == [before["deadline_id"]]
        assert (await wait_deadline(brief, "overall", "running"))["provisional"] is True

        async with client(DEADLINES, "admin") as admin:
            loaded = await admin.put("/v1/calendar/years/2027", json=SCHEDULE_2027)
        assert loaded.status_code == 200, loaded.text
        assert loaded.json()["holidays"] == 12
        assert loaded.json()["recomputed_deadlines"] >= 2

        (after,) = await deadlines_of(new_year, rule="overall")
        assert after["provisional"] is False
        assert after["due_at"] == "2027-01-04T23:59:59+08:00"  # after the 元旦 break
        (brief_after,) = await deadlines_of(brief, rule="overall")
        assert (brief_after["provisional"], brief_after["due_at"]) == (False, "2027-01-19T23:59:59+08:00")
        assert await deadlines_of(new_year, provisional="true") == []
        assert await day("2027-01-01") == {
            "date": "2027-01-01",
            "workday": False,
            "holiday": "元旦",
            "provisional": False,
        }
        assert (await day("2027-02-20"))["workday"] is True

        await events.wait(
            lambda ev: bool(ev.of(new_year, "deadline.started")), what="deadline.started of the 2027 clue"
        )


async def test_only_admin_loads_a_year_and_an_invalid_schedule_changes_nothing() -> None:
    async with client(DEADLINES, "agency:330127.office") as office:
        forbidden = await office.put("/v1/calendar/years/2027", json=SCHEDULE_2027)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")

    invalid = {
        "holidays": [{"date": "2027-05-03", "name": "劳动节"}],
        "workdays": ["2027-05-04"],  # a Tuesday cannot be a make-up working day
    }
    other_year = {"holidays": [{"date": "2026-05-01", "name": "劳动节"}]}
    async with client(DEADLINES, "admin") as admin:
        for body in (invalid, other_year, {"holidays": [{"date": "2027-05-03"}]}):
            response = await admin.put("/v1/calendar/years/2027", json=body)
            assert response.status_code == 422, response.text
            problem = response.json()
            assert problem["status"] == 422
            assert problem["errors"]
    assert (await day("2027-05-03"))["workday"] is True
