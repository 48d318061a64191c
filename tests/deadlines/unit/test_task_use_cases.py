"""The task use cases against in-memory ports: assignments start limits, progress meets or cancels."""

from datetime import datetime, timedelta

from deadlines.app.clues import start_clue_deadlines
from deadlines.app.commands import StartClueDeadlines, TrackTask, UpdateTask
from deadlines.app.tasks import track_task, update_task
from deadlines.domain.calendar import SHANGHAI
from deadlines.domain.model import DeadlineState
from tests.deadlines.unit.fakes import POLICY, FakeUnitOfWork

RECEIVED = datetime(2026, 11, 19, 10, 0, tzinfo=SHANGHAI)  # a Thursday
ASSIGNED = RECEIVED + timedelta(hours=1)
GOV = "330106.gov"


async def with_clue(
    source: str = "national", clue_id: str = "c-1", lead: str | None = None
) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await receive(uow, clue_id, source, lead)
    return uow


async def receive(uow: FakeUnitOfWork, clue_id: str, source: str, lead: str | None = None) -> None:
    command = StartClueDeadlines(
        clue_id=clue_id,
        source=source,
        division="330106",
        received_at=RECEIVED,
        submitted_by=f"source:{source}",
        lead_clue_id=lead,
    )
    await start_clue_deadlines(command, uow=uow, now=RECEIVED, policy=POLICY)


def assigned(task_id: str, kind: str, **extra: str) -> TrackTask:
    return TrackTask(
        task_id=task_id, clue_id="c-1", kind=kind, agency_id=GOV, state="open", assigned_at=ASSIGNED, **extra
    )


async def test_an_assignment_starts_acceptance_on_its_task() -> None:
    uow = await with_clue()
    await track_task(assigned("t-1", "verify"), uow=uow, now=ASSIGNED, policy=POLICY)

    assert uow.tasks.rows["t-1"].state == "open"
    (acceptance,) = uow.deadlines.of("c-1", "acceptance_1wd")
    assert (acceptance.task_id, acceptance.scope, acceptance.agency_id) == ("t-1", "t-1", GOV)
    assert acceptance.due_at == datetime(2026, 11, 20, 23, 59, 59, tzinfo=SHANGHAI)
    assert uow.deadlines.of("c-1", "respond_24h") == []  # only for respond tasks
    (started,) = uow.outbox.of("deadline.started", rule="acceptance_1wd")
    assert started["holders"] == [GOV]


async def test_a_respond_task_has_24_hours_without_warnings() -> None:
    uow = await with_clue("city")
    await track_task(assigned("t-1", "respond"), uow=uow, now=ASSIGNED, policy=POLICY)
    (respond,) = uow.deadlines.of("c-1", "respond_24h")
    assert respond.due_at == ASSIGNED + timedelta(hours=24)
    assert uow.alarms.pending(respond.deadline_id) == ["breached", "escalate:330100.office"]


async def test_the_industry_task_transfers_the_whole_matter_and_starts_industry_15d() -> None:
    uow = await with_clue()
    await receive(uow, "c-2", "provincial", lead="c-1")
    await track_task(assigned("t-i", "industry_resolve"), uow=uow, now=ASSIGNED, policy=POLICY)

    for clue_id in ("c-1", "c-2"):
        (transfer,) = uow.deadlines.of(clue_id, "transfer_7d")
        assert (transfer.state, transfer.met_at) == (DeadlineState.MET, ASSIGNED)
        (industry,) = uow.deadlines.of(clue_id, "industry_15d")
        assert (industry.task_id, industry.start_at) == ("t-i", ASSIGNED)
    assert len(uow.outbox.of("deadline.met", rule="transfer_7d")) == 2


async def test_a_reassigned_task_keeps_its_clock() -> None:
    uow = await with_clue()
    await track_task(assigned("t-1", "verify"), uow=uow, now=ASSIGNED, policy=POLICY)
    later = ASSIGNED + timedelta(hours=5)
    new = TrackTask(
        task_id="t-2",
        clue_id="c-1",
        kind="verify",
        agency_id="330106.hrss",
        state="open",
        replaces_task_id="t-1",
    )
    await track_task(new, uow=uow, now=later, policy=POLICY)

    (acceptance,) = uow.deadlines.of("c-1", "acceptance_1wd")
    assert (acceptance.task_id, acceptance.agency_id, acceptance.start_at) == ("t-2", "330106.hrss", ASSIGNED)
    assert acceptance.updated_at == later


async def test_accepting_meets_acceptance_and_completing_industry_meets_industry_15d() -> None:
    uow = await with_clue()
    await track_task(assigned("t-i", "industry_resolve"), uow=uow, now=ASSIGNED, policy=POLICY)
    accepted_at = ASSIGNED + timedelta(days=3)  # past the one working day: late
    accept = UpdateTask(
        task_id="t-i", clue_id="c-1", kind="industry_resolve", state="accepted", updated_at=accepted_at
    )
    await update_task(accept, uow=uow, now=accepted_at, policy=POLICY)
    (acceptance,) = uow.deadlines.of("c-1", "acceptance_1wd")
    assert (acceptance.state, acceptance.late, acceptance.met_at) == (
        DeadlineState.BREACHED,
        True,
        accepted_at,
    )
    assert uow.tasks.rows["t-i"].state == "accepted"
    assert uow.alarms.pending(acceptance.deadline_id) == []

    done = UpdateTask(task_id="t-i", clue_id="c-1", kind="industry_resolve", state="done")
    await update_task(done, uow=uow, now=accepted_at, policy=POLICY)
    (industry,) = uow.deadlines.of("c-1", "industry_15d")
    assert (industry.state, industry.met_at) == (DeadlineState.MET, accepted_at)
    assert uow.outbox.of("deadline.met", rule="industry_15d", state="met")


async def test_a_review_that_creates_no_industry_task_cancels_transfer() -> None:
    uow = await with_clue()
    await receive(uow, "c-2", "national", lead="c-1")
    review = UpdateTask(task_id="t-r", clue_id="c-1", kind="review", state="done", created_kinds=("notify",))
    await update_task(review, uow=uow, now=ASSIGNED, policy=POLICY)
    for clue_id in ("c-1", "c-2"):
        (transfer,) = uow.deadlines.of(clue_id, "transfer_7d")
        assert transfer.state == DeadlineState.CANCELLED
    assert uow.deadlines.of("c-1", "overall")[0].state == DeadlineState.RUNNING
    assert len(uow.outbox.of("deadline.cancelled", rule="transfer_7d")) == 2
