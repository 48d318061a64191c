"""submit_clue against fakes: what it stores, what it announces, and what it refuses."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from intake.app.commands import SubmitClue
from intake.app.submit_clue import SubmissionResult, submit_clue
from intake.domain.errors import ConflictingResubmission, ExternalIdTaken, NotAllowedToSubmit
from intake.domain.model import ClueStatus, EmergencyPolicy
from shared.problems import domain_problem
from shared.sealing import open_personal_fields
from tests.intake.unit.fakes import NOW, SEALER, FakeUnitOfWork, a_submission

POLICY = EmergencyPolicy(min_workers=30, min_amount=Decimal("1000000.00"))


async def submit(
    cmd: SubmitClue, uow: FakeUnitOfWork, window: timedelta = timedelta(days=90)
) -> SubmissionResult:
    return await submit_clue(cmd, uow=uow, now=NOW, policy=POLICY, duplicate_window=window, sealer=SEALER)


async def test_a_new_clue_is_stored_and_announced_with_its_personal_data_sealed() -> None:
    uow = FakeUnitOfWork()
    cmd = a_submission()
    result = await submit(cmd, uow)

    assert result.created
    assert not result.emergency
    assert result.lead_clue_id is None
    stored = uow.clues.stored[result.clue_id].clue
    assert (stored.source, stored.external_id, stored.submitted_by) == (
        cmd.source,
        cmd.external_id,
        "source:national",
    )
    assert stored.submission == cmd.content
    assert stored.raw_body == cmd.raw_body
    assert uow.outbox.types() == ["clue.received"]
    received = uow.outbox.events[0]
    assert received.subject == result.clue_id
    assert received.time == NOW
    assert "complainant" not in received.data
    assert received.data["complainant_sealed"]
    opened = open_personal_fields(received.data, SEALER, clue_id=result.clue_id)
    assert opened["complainant"] == cmd.content["complainant"]
    assert uow.clues.locked  # the matter was locked while looking for its lead


async def test_an_emergency_is_announced_with_its_reasons_and_a_scrubbed_summary() -> None:
    uow = FakeUnitOfWork()
    result = await submit(a_submission(workers=45, summary="联系 13812345678"), uow)

    assert result.emergency
    assert uow.clues.stored[result.clue_id].clue.emergency_reasons == ["workers 45 >= 30"]
    assert uow.outbox.types() == ["clue.received", "clue.emergency"]
    emergency = uow.outbox.events[1].data
    assert emergency["reasons"] == ["workers 45 >= 30"]
    assert "13812345678" not in emergency["summary"]


async def test_the_same_matter_links_to_its_lead() -> None:
    uow = FakeUnitOfWork()
    first = a_submission()
    lead = await submit(first, uow)
    second = a_submission(employer=first.content["employer"], project=first.content["project"])
    linked = await submit(second, uow)

    assert linked.lead_clue_id == lead.clue_id
    assert linked.link_reason == uow.clues.stored[linked.clue_id].clue.link_reason
    assert linked.link_reason
    again = await submit(second, uow)
    assert (again.created, again.lead_clue_id, again.link_reason) == (False, lead.clue_id, linked.link_reason)
    assert uow.outbox.types() == ["clue.received", "clue.received", "clue.linked"]
    assert uow.outbox.events[2].data["lead_clue_id"] == lead.clue_id


async def test_no_linking_when_the_window_is_zero() -> None:
    uow = FakeUnitOfWork()
    first = a_submission()
    await submit(first, uow, window=timedelta(0))
    second = a_submission(employer=first.content["employer"], project=first.content["project"])
    result = await submit(second, uow, window=timedelta(0))
    assert result.lead_clue_id is None
    assert uow.clues.locked == []


async def test_the_same_submission_again_is_the_same_clue_and_announces_nothing() -> None:
    uow = FakeUnitOfWork()
    cmd = a_submission()
    first = await submit(cmd, uow)
    again = await submit(cmd, uow)
    assert again == SubmissionResult(first.clue_id, created=False, status=ClueStatus.RECEIVED)
    assert len(uow.clues.stored) == 1
    assert uow.outbox.types() == ["clue.received"]


async def test_different_content_under_the_same_external_id_is_a_conflict_naming_what_differs() -> None:
    uow = FakeUnitOfWork()
    cmd = a_submission()
    first = await submit(cmd, uow)
    changed = replace(cmd, workers=13, content={**cmd.content, "workers": 13})
    with pytest.raises(ConflictingResubmission) as caught:
        await submit(changed, uow)
    body = domain_problem(caught.value).body()
    assert (body["status"], body["clue_id"], body["differences"]) == (409, first.clue_id, ["workers"])
    assert f"already submitted as clue {first.clue_id}" in body["detail"]


async def test_another_submitter_cannot_reuse_an_external_id() -> None:
    uow = FakeUnitOfWork()
    cmd = a_submission("agency:330106.hrss", source="onsite")
    await submit(cmd, uow)
    with pytest.raises(ExternalIdTaken) as caught:
        await submit(replace(cmd, submitted_by=a_submission("agency:330106.water").submitted_by), uow)
    body = domain_problem(caught.value).body()
    assert (body["status"], body["differences"]) == (409, ["submitted_by"])
    assert "is already used by another submitter" in body["detail"]


async def test_a_source_may_submit_only_its_own_clues() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(NotAllowedToSubmit) as caught:
        await submit(a_submission("source:petition"), uow)
    assert domain_problem(caught.value).status == 403
    assert uow.clues.stored == {}
    assert uow.outbox.events == []


async def test_the_same_content_written_otherwise_is_the_same_clue() -> None:
    uow = FakeUnitOfWork()
    cmd = a_submission()
    first = await submit(cmd, uow)
    instant = datetime.fromisoformat(cmd.content["received_at"].replace("Z", "+00:00"))
    other_offset = instant.astimezone(timezone(timedelta(hours=8))).isoformat()
    written_otherwise = {**cmd.content, "received_at": other_offset, "amount_owed": "86000"}
    again = await submit(replace(cmd, content=written_otherwise, amount_owed=Decimal("86000")), uow)
    assert (again.clue_id, again.created) == (first.clue_id, False)
    assert uow.outbox.types() == ["clue.received"]
