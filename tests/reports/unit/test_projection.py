"""The projector's use cases against fakes: what each event records, and which clues it refreshes."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from routing.reports.app import projection
from routing.reports.app.commands import (
    RecordClueLinked,
    RecordClueReceived,
    RecordClueStatus,
    RecordDeadline,
    RecordDisputeDecided,
    RecordDisputeOpened,
    RecordEmergency,
    RecordTaskAssigned,
    RecordTaskUpdated,
)
from tests.reports.unit.fakes import FakeUnitOfWork

TZ = ZoneInfo("Asia/Shanghai")
CLUE = "0f8fad5b-d9cb-469f-a165-70867728950e"


def at(day: int) -> datetime:
    return datetime(2024, 5, day, 10, tzinfo=TZ)


def received(**overrides: object) -> RecordClueReceived:
    values: dict[str, object] = {
        "clue_id": CLUE,
        "source": "national",
        "division": "330106",
        "township": "北山街道",
        "project_kind": "building",
        "received_at": at(1),
        "emergency": False,
        "workers": 12,
        "amount_owed": Decimal("86000.00"),
        "lead_clue_id": None,
    }
    values.update(overrides)
    return RecordClueReceived(**values)  # type: ignore[arg-type]


async def test_a_received_clue_is_recorded_and_its_facts_refreshed() -> None:
    uow = FakeUnitOfWork()
    await projection.record_clue_received(received(), uow=uow)
    assert uow.clues.rows[CLUE]["division"] == "330106"
    assert uow.clues.rows[CLUE]["amount_owed"] == Decimal("86000.00")
    assert uow.clues.refreshed == [CLUE]


async def test_link_and_emergency_stand_whichever_came_first() -> None:
    uow = FakeUnitOfWork()
    await projection.record_clue_linked(RecordClueLinked(CLUE, "lead"), uow=uow)
    await projection.record_emergency(RecordEmergency(CLUE), uow=uow)
    await projection.record_clue_received(received(), uow=uow)
    assert uow.clues.rows[CLUE]["lead_clue_id"] == "lead"
    assert uow.clues.rows[CLUE]["emergency"] is True
    assert uow.clues.refreshed == [CLUE]  # only clue.received changes derived facts


async def test_outcome_amount_and_closing_count_only_once_closed() -> None:
    uow = FakeUnitOfWork()
    open_status = RecordClueStatus(CLUE, "handling", "330106", "resolved", Decimal("5.00"), at(3))
    await projection.record_clue_status(open_status, uow=uow)
    row = uow.clues.rows[CLUE]
    assert (row["status"], row["outcome"], row["amount_paid"], row["closed_at"]) == (
        "handling",
        None,
        None,
        None,
    )
    closed = RecordClueStatus(CLUE, "closed", "330110", "resolved", Decimal("5.00"), at(4))
    await projection.record_clue_status(closed, uow=uow)
    assert row["outcome"] == "resolved"
    assert row["amount_paid"] == Decimal("5.00")
    assert row["closed_at"] == at(4)
    assert row["status_division"] == "330110"
    assert uow.clues.refreshed == [CLUE, CLUE]


async def test_a_task_is_recorded_with_its_agency_and_its_result_once_done() -> None:
    uow = FakeUnitOfWork()
    await projection.record_task_assigned(
        RecordTaskAssigned("t-1", CLUE, "industry_resolve", "330106.construction", "open", at(2)), uow=uow
    )
    accepted = RecordTaskUpdated(
        "t-1", CLUE, "industry_resolve", "330106.construction", "accepted", at(3), True, None
    )
    await projection.record_task_updated(accepted, uow=uow)
    assert uow.tasks.rows["t-1"]["done_at"] is None
    assert uow.tasks.rows["t-1"]["resolved"] is None
    done = RecordTaskUpdated(
        "t-1", CLUE, "industry_resolve", "330106.construction", "done", at(5), True, "paid"
    )
    await projection.record_task_updated(done, uow=uow)
    row = uow.tasks.rows["t-1"]
    assert (row["state"], row["done_at"], row["resolved"], row["outcome"]) == ("done", at(5), True, "paid")
    assert row["created_at"] == at(2)
    assert uow.tasks.agencies == {(CLUE, "330106.construction")}
    assert uow.clues.refreshed == [CLUE, CLUE, CLUE]


async def test_a_dispute_keeps_its_opening_and_may_move_the_clue() -> None:
    uow = FakeUnitOfWork()
    await projection.record_dispute_opened(RecordDisputeOpened("d-1", CLUE, "330106.gov", at(2)), uow=uow)
    assert uow.clues.refreshed == []
    await projection.record_dispute_decided(
        RecordDisputeDecided("d-1", CLUE, "330106.gov", at(3), "330110"), uow=uow
    )
    assert uow.disputes.rows["d-1"] == {"opened_at": at(2), "decided_at": at(3)}
    assert uow.clues.rows[CLUE]["status_division"] == "330110"
    assert uow.clues.refreshed == [CLUE]


async def test_a_decision_that_moves_nothing_leaves_the_division() -> None:
    uow = FakeUnitOfWork()
    await projection.record_dispute_decided(
        RecordDisputeDecided("d-1", CLUE, "330106.gov", at(3), None), uow=uow
    )
    assert "status_division" not in uow.clues.rows.get(CLUE, {})
    assert uow.clues.refreshed == [CLUE]


async def test_a_met_deadline_is_settled_and_refreshes_its_clue() -> None:
    uow = FakeUnitOfWork()

    def deadline(state: str, met_at: datetime | None) -> RecordDeadline:
        return RecordDeadline("dl-1", CLUE, None, "transfer_7d", None, at(8), state, False, met_at)

    await projection.record_deadline(deadline("running", None), uow=uow)
    assert uow.deadlines.rows["dl-1"]["settled_at"] is None
    assert uow.clues.refreshed == []
    await projection.record_deadline(deadline("met", at(6)), uow=uow)
    await projection.record_deadline(deadline("met", None), uow=uow)  # e.g. corrected later: stays settled
    assert uow.deadlines.rows["dl-1"]["state"] == "met"
    assert uow.deadlines.rows["dl-1"]["settled_at"] == at(6)
    assert uow.clues.refreshed == [CLUE]
