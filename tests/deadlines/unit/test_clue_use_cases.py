"""The clue use cases against in-memory ports: receipt starts periods; status unlinks and closes."""

from datetime import datetime, timedelta

from deadlines.app.clues import apply_clue_status, start_clue_deadlines
from deadlines.app.commands import ApplyClueStatus, StartClueDeadlines, TrackTask
from deadlines.app.tasks import track_task
from deadlines.domain.calendar import SHANGHAI
from deadlines.domain.model import DeadlineState
from tests.deadlines.unit.fakes import POLICY, FakeUnitOfWork

RECEIVED = datetime(2026, 11, 19, 10, 0, tzinfo=SHANGHAI)  # a Thursday
NOW = RECEIVED + timedelta(minutes=1)


def received(clue_id: str, source: str = "national", lead_clue_id: str | None = None) -> StartClueDeadlines:
    return StartClueDeadlines(
        clue_id=clue_id,
        source=source,
        division="330106",
        received_at=RECEIVED,
        submitted_by=f"source:{source}",
        lead_clue_id=lead_clue_id,
    )


async def test_a_national_clue_starts_transfer_and_overall_with_their_alarms() -> None:
    uow = FakeUnitOfWork()
    await start_clue_deadlines(received("c-1"), uow=uow, now=NOW, policy=POLICY)

    assert uow.clues.rows["c-1"].status == "received"
    transfer, overall = (uow.deadlines.of("c-1", rule) for rule in ("transfer_7d", "overall"))
    assert [d.due_at for d in transfer] == [datetime(2026, 11, 26, 23, 59, 59, tzinfo=SHANGHAI)]
    assert [(d.state, d.scope, d.task_id) for d in overall] == [(DeadlineState.RUNNING, "", None)]
    assert uow.alarms.pending(transfer[0].deadline_id) == ["breached", "due_soon:1", "escalate:330100.office"]
    started = uow.outbox.of("deadline.started", clue_id="c-1")
    assert sorted(e["rule"] for e in started) == ["overall", "transfer_7d"]
    assert all(e["holders"] == [] and e["escalate_to"] == [] for e in started)


async def test_a_city_clue_gets_overall_only_and_a_redelivery_starts_nothing_twice() -> None:
    uow = FakeUnitOfWork()
    for _ in range(2):
        await start_clue_deadlines(received("c-1", "city"), uow=uow, now=NOW, policy=POLICY)
    assert [d.rule for d in uow.deadlines.of("c-1")] == ["overall"]
    assert len(uow.outbox.of("deadline.started")) == 1


async def test_a_backdated_clue_past_due_sets_no_warning() -> None:
    uow = FakeUnitOfWork()
    await start_clue_deadlines(received("c-1", "city"), uow=uow, now=NOW + timedelta(days=60), policy=POLICY)
    (overall,) = uow.deadlines.of("c-1")
    assert uow.alarms.pending(overall.deadline_id) == ["breached", "escalate:330100.office"]


async def test_closing_meets_overall_and_cancels_the_rest_with_their_alarms() -> None:
    uow = FakeUnitOfWork()
    await start_clue_deadlines(received("c-1"), uow=uow, now=NOW, policy=POLICY)
    closed_at = RECEIVED + timedelta(days=3)
    command = ApplyClueStatus(clue_id="c-1", status="closed", division="330108", closed_at=closed_at)
    await apply_clue_status(command, uow=uow, now=closed_at, policy=POLICY)

    assert (uow.clues.rows["c-1"].status, uow.clues.rows["c-1"].division) == ("closed", "330108")
    (overall,) = uow.deadlines.of("c-1", "overall")
    (transfer,) = uow.deadlines.of("c-1", "transfer_7d")
    assert (overall.state, overall.met_at, overall.late) == (DeadlineState.MET, closed_at, False)
    assert (transfer.state, transfer.cancelled_at) == (DeadlineState.CANCELLED, closed_at)
    assert {d.division for d in uow.deadlines.of("c-1")} == {"330108"}
    assert uow.alarms.pending(overall.deadline_id) == uow.alarms.pending(transfer.deadline_id) == []
    assert [e["rule"] for e in uow.outbox.of("deadline.met", division="330108")] == ["overall"]
    assert [e["rule"] for e in uow.outbox.of("deadline.cancelled")] == ["transfer_7d"]


async def test_an_unlinked_clue_drops_its_former_leads_tasks_and_restarts_a_cancelled_transfer() -> None:
    uow = FakeUnitOfWork()
    await start_clue_deadlines(received("lead", "city"), uow=uow, now=NOW, policy=POLICY)
    await start_clue_deadlines(received("follower", lead_clue_id="lead"), uow=uow, now=NOW, policy=POLICY)
    # A deadline of the follower on its lead's task, and its transfer_7d cancelled by the lead's handling.
    (transfer,) = uow.deadlines.of("follower", "transfer_7d")
    await uow.deadlines.save(transfer.cancelled(now=NOW))
    assign = TrackTask(
        task_id="t-lead", clue_id="lead", kind="industry_resolve", agency_id="330106.hrss", state="open"
    )
    await track_task(assign, uow=uow, now=NOW, policy=POLICY)
    (on_leads_task,) = uow.deadlines.of("follower", "industry_15d")

    unlink = ApplyClueStatus(clue_id="follower", status="received", relinked=True, lead_clue_id=None)
    await apply_clue_status(unlink, uow=uow, now=NOW, policy=POLICY)

    assert uow.clues.rows["follower"].lead_clue_id is None
    assert uow.deadlines.rows[on_leads_task.deadline_id].state == DeadlineState.CANCELLED
    anew = [d for d in uow.deadlines.of("follower", "transfer_7d") if d.scope == "unlinked"]
    assert [(d.state, d.start_at) for d in anew] == [(DeadlineState.RUNNING, RECEIVED)]
    assert uow.outbox.of(
        "deadline.started", clue_id="follower", rule="transfer_7d", deadline_id=anew[0].deadline_id
    )
