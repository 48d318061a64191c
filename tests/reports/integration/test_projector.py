"""The projector: events of three topics in any order, applied twice, moving clues."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routing.reports.store.tables import report_clues, report_deadlines, report_disputes, report_tasks
from shared.events import CloudEvent
from tests.reports.app import project
from tests.reports.events import clue_received, clue_status, deadline, event, task_assigned, task_done

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2024, 5, day, hour, tzinfo=TZ)


async def apply(sessions: async_sessionmaker[AsyncSession], events: list[CloudEvent]) -> None:
    async with sessions() as session, session.begin():
        for e in events:
            await project(session, e)


async def clue_row(sessions: async_sessionmaker[AsyncSession], clue_id: str) -> dict[str, Any]:
    async with sessions() as session:
        row = (
            (await session.execute(select(report_clues).where(report_clues.c.clue_id == clue_id)))
            .mappings()
            .one()
        )
        return dict(row)


def transferred_clue(clue_id: str) -> list[CloudEvent]:
    """Received on 1 May, transferred on the 6th (in time), closed as resolved on the 20th."""
    industry = str(uuid.uuid4())
    seven = str(uuid.uuid4())
    return [
        clue_received(clue_id, at(1)),
        task_assigned(clue_id, str(uuid.uuid4()), "verify", "330106.gov", at(1, 11)),
        task_assigned(clue_id, industry, "industry_resolve", "330106.construction", at(6)),
        task_done(clue_id, industry, "industry_resolve", "330106.construction", at(15), resolved=True),
        deadline(
            "deadline.started",
            clue_id,
            seven,
            "transfer_7d",
            at(8, 23),
            at(1, 11),
            state="running",
            late=False,
        ),
        deadline("deadline.met", clue_id, seven, "transfer_7d", at(8, 23), at(6), state="met", late=False),
        clue_status(clue_id, at(20), status="closed", outcome="resolved", paid="80000.00"),
    ]


async def test_facts_of_a_clue_are_derived_from_its_tasks_and_deadlines(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clue_id = str(uuid.uuid4())
    await apply(sessions, transferred_clue(clue_id))
    row = await clue_row(sessions, clue_id)
    assert row["division"] == "330106"
    assert row["industry_agency"] == "330106.construction"
    assert row["transfer_at"] == at(6)
    assert row["transfer_on_time"] is True
    assert row["status"] == "closed"
    assert row["outcome"] == "resolved"
    assert row["amount_paid"] == Decimal("80000.00")
    assert row["received_at"] == at(1)


async def test_events_of_other_topics_may_come_before_the_clue(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    in_order, reversed_order = str(uuid.uuid4()), str(uuid.uuid4())
    await apply(sessions, transferred_clue(in_order))
    events = transferred_clue(reversed_order)
    await apply(sessions, [*events[1:], events[0]])  # clue.received last
    first, second = await clue_row(sessions, in_order), await clue_row(sessions, reversed_order)
    for column in ("division", "industry_agency", "transfer_at", "transfer_on_time", "status", "amount_paid"):
        assert first[column] == second[column], column


async def test_applying_events_again_changes_nothing(sessions: async_sessionmaker[AsyncSession]) -> None:
    clue_id = str(uuid.uuid4())
    events = transferred_clue(clue_id)
    await apply(sessions, events)
    once = await clue_row(sessions, clue_id)
    await apply(sessions, events)
    assert await clue_row(sessions, clue_id) == once
    async with sessions() as session:
        tasks = (await session.execute(select(report_tasks).where(report_tasks.c.clue_id == clue_id))).all()
        deadlines = (
            await session.execute(select(report_deadlines).where(report_deadlines.c.clue_id == clue_id))
        ).all()
    assert len(tasks) == 2
    assert len(deadlines) == 1


async def test_a_late_transfer_and_a_case_are_recorded(sessions: async_sessionmaker[AsyncSession]) -> None:
    clue_id, investigate, seven = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    await apply(
        sessions,
        [
            clue_received(clue_id, at(1), project={"name": "路", "kind": "transport"}),
            task_assigned(clue_id, str(uuid.uuid4()), "industry_resolve", "330106.transport", at(12)),
            deadline(
                "deadline.breached",
                clue_id,
                seven,
                "transfer_7d",
                at(8, 23),
                at(9),
                state="breached",
                late=False,
            ),
            deadline(
                "deadline.met", clue_id, seven, "transfer_7d", at(8, 23), at(12), state="breached", late=True
            ),
            task_assigned(clue_id, investigate, "investigate", "330106.hrss", at(14)),
            task_done(clue_id, investigate, "investigate", "330106.hrss", at(18), outcome="credit_referral"),
        ],
    )
    row = await clue_row(sessions, clue_id)
    assert row["industry_agency"] == "330106.transport"
    assert row["transfer_on_time"] is False
    assert row["case_filed_at"] == at(14)
    assert row["credit_referral_at"] == at(18)
    assert row["criminal_referral_at"] is None
    async with sessions() as session:
        met = (
            await session.execute(select(report_deadlines).where(report_deadlines.c.deadline_id == seven))
        ).one()
    assert met.state == "breached"
    assert met.late
    assert met.settled_at == at(12)


async def test_a_clue_moved_by_a_dispute_reports_in_its_new_division(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clue_id, dispute_id, task_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    common = {"dispute_id": dispute_id, "task_id": task_id, "from_agency": "330106.gov", "reason": "不属我区"}
    common |= {"arbiter": "330100.office", "suggested_agency": "330110.gov"}
    await apply(
        sessions,
        [
            clue_received(clue_id, at(1)),
            event("dispute.opened", clue_id, at(2), **common, state="pending"),
            event("dispute.decided", clue_id, at(3), **common, state="decided", moved_to_division="330110"),
        ],
    )
    row = await clue_row(sessions, clue_id)
    assert row["division"] == "330110"
    assert row["received_division"] == "330106"
    assert row["industry_agency"] == "330110.construction"
    async with sessions() as session:
        dispute = (
            await session.execute(select(report_disputes).where(report_disputes.c.dispute_id == dispute_id))
        ).one()
    assert dispute.opened_at == at(2)
    assert dispute.decided_at == at(3)


async def test_linked_and_emergency_clues_are_marked(sessions: async_sessionmaker[AsyncSession]) -> None:
    lead, linked = str(uuid.uuid4()), str(uuid.uuid4())
    await apply(
        sessions,
        [
            event(
                "clue.linked",
                linked,
                at(2),
                lead_clue_id=lead,
                division="330106",
                matched_on={"employer": "x"},
            ),
            event(
                "clue.emergency",
                linked,
                at(2),
                source="national",
                division="330106",
                workers=40,
                amount_owed="86000.00",
                flags=[],
                reasons=["workers"],
            ),
            clue_received(linked, at(2), workers=40),
        ],
    )
    row = await clue_row(sessions, linked)
    assert row["lead_clue_id"] == lead
    assert row["emergency"] is True  # clue.received said False, but clue.emergency came first and stands


async def test_events_the_reports_do_not_use_are_ignored(sessions: async_sessionmaker[AsyncSession]) -> None:
    clue_id = str(uuid.uuid4())
    unknown = CloudEvent(id=str(uuid.uuid4()), source="/x", type="clue.archived", subject=clue_id, time=at(1))
    await apply(sessions, [unknown])
    async with sessions() as session:
        assert (
            await session.execute(select(report_clues).where(report_clues.c.clue_id == clue_id))
        ).first() is None
