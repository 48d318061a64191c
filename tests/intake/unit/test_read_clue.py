"""read_clue against fakes: who sees a clue, how much of it, and its matter."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from intake.app.commands import ReadClue, RecordTaskHolder
from intake.app.read_clue import read_clue
from intake.app.routing_feed import record_task_holder
from intake.app.submit_clue import submit_clue
from intake.domain.model import EmergencyPolicy
from shared.auth import Principal
from shared.errors import NotFoundError
from tests.intake.unit.fakes import NOW, SEALER, FakeUnitOfWork, a_submission

POLICY = EmergencyPolicy(min_workers=30, min_amount=Decimal("1000000.00"))


async def stored_clue(uow: FakeUnitOfWork, **overrides: Any) -> str:
    cmd = a_submission(**overrides)
    result = await submit_clue(
        cmd, uow=uow, now=NOW, policy=POLICY, duplicate_window=timedelta(0), sealer=SEALER
    )
    return result.clue_id


def reader(principal: str, clue_id: str) -> ReadClue:
    return ReadClue(clue_id, Principal.parse(principal))


async def test_the_submitter_sees_the_clue_in_full() -> None:
    uow = FakeUnitOfWork()
    clue_id = await stored_clue(uow)
    reading = await read_clue(reader("source:national", clue_id), uow=uow)
    assert reading.clue.clue_id == clue_id
    assert reading.shown.complainant == uow.clues.stored[clue_id].clue.submission["complainant"]
    assert reading.shown.source_payload is not None
    assert reading.related == []
    assert reading.links == []


async def test_a_task_holder_sees_it_masked_once_its_task_is_done() -> None:
    uow = FakeUnitOfWork()
    clue_id = await stored_clue(uow)
    await record_task_holder(RecordTaskHolder("t-1", clue_id, "330106.gov", "done"), uow=uow)
    reading = await read_clue(reader("agency:330106.gov", clue_id), uow=uow)
    assert reading.shown.source_payload is None
    assert reading.shown.source_payload_withheld
    assert reading.shown.complainant is not None
    assert reading.shown.complainant["phone"] != "13812345678"


@pytest.mark.parametrize("principal", ["source:petition", "agency:330106.gov", "agency:330105.office"])
async def test_others_do_not_see_it(principal: str) -> None:
    uow = FakeUnitOfWork()
    clue_id = await stored_clue(uow)
    with pytest.raises(NotFoundError, match="No clue with that id"):
        await read_clue(reader(principal, clue_id), uow=uow)


async def test_no_such_clue_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        await read_clue(reader("admin", "0f8fad5b-d9cb-469f-a165-70867728950e"), uow=FakeUnitOfWork())
