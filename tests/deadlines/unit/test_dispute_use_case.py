"""Time in dispute is recorded on the returned task's deadlines, timed by the events' own moments."""

from datetime import datetime, timedelta

from deadlines.app.clues import start_clue_deadlines
from deadlines.app.commands import RecordDispute, StartClueDeadlines, TrackTask
from deadlines.app.disputes import record_dispute
from deadlines.app.tasks import track_task
from deadlines.domain.calendar import SHANGHAI
from tests.deadlines.unit.fakes import POLICY, FakeUnitOfWork

AT = datetime(2026, 11, 19, 10, 0, tzinfo=SHANGHAI)


async def test_a_decided_dispute_adds_its_whole_seconds_to_the_new_tasks_deadlines() -> None:
    uow = FakeUnitOfWork()
    clue = StartClueDeadlines(
        clue_id="c-1", source="city", division="330106", received_at=AT, submitted_by="x"
    )
    await start_clue_deadlines(clue, uow=uow, now=AT, policy=POLICY)
    task = TrackTask(task_id="t-1", clue_id="c-1", kind="verify", agency_id="330106.gov", state="open")
    await track_task(task, uow=uow, now=AT, policy=POLICY)

    opened = AT + timedelta(hours=1)
    await record_dispute(RecordDispute(task_id="t-1", decided=False, at=opened), uow=uow)
    (acceptance,) = uow.deadlines.of("c-1", "acceptance_1wd")
    assert acceptance.in_dispute_since == opened
    await record_dispute(RecordDispute(task_id="t-1", decided=False, at=opened + timedelta(hours=1)), uow=uow)
    assert uow.deadlines.of("c-1", "acceptance_1wd")[0].in_dispute_since == opened  # the first opening counts

    # Routing announced the new task first: the deadline already follows t-2.
    moved = TrackTask(
        task_id="t-2",
        clue_id="c-1",
        kind="verify",
        agency_id="330106.hrss",
        state="open",
        replaces_task_id="t-1",
    )
    await track_task(moved, uow=uow, now=opened, policy=POLICY)
    decided = opened + timedelta(minutes=90, seconds=0.5)
    await record_dispute(RecordDispute(task_id="t-1", decided=True, at=decided, new_task_id="t-2"), uow=uow)
    (acceptance,) = uow.deadlines.of("c-1", "acceptance_1wd")
    assert (acceptance.dispute_seconds, acceptance.in_dispute_since) == (5400, None)
    assert uow.deadlines.of("c-1", "overall")[0].dispute_seconds == 0  # not on the task: untouched
