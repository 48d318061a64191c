"""The one dispatch style: event type -> command -> use case, and what becomes a poison message."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared.consumer import PoisonMessage
from shared.dispatch import EventDispatcher, On
from shared.errors import ConflictError, DomainError, ForbiddenError, InvalidError, NotFoundError
from shared.events import CloudEvent
from shared.problems import domain_problem

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
SESSION = cast(AsyncSession, object())
CLUE = "0f8fad5b-d9cb-469f-a165-70867728950e"


@dataclass(frozen=True)
class MarkUpdated:
    clue_id: str
    state: str


def updated(data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id="e-1", source="/test", type="task.updated", subject=CLUE, time=NOW, dataschema="x", data=data
    )


def a_task_update(**overrides: Any) -> dict[str, Any]:
    return {
        "clue_id": CLUE,
        "task_id": "t-1",
        "kind": "verify",
        "agency_id": "330106.gov",
        "state": "accepted",
        "previous_state": "open",
        "updated_at": NOW.isoformat(),
        **overrides,
    }


class Recorder:
    def __init__(self, fail_with: Exception | None = None) -> None:
        self.calls: list[tuple[MarkUpdated, str, datetime]] = []
        self.fail_with = fail_with

    async def __call__(self, command: MarkUpdated, uow: str, now: datetime) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.calls.append((command, uow, now))


def dispatcher(use_case: Recorder) -> EventDispatcher[str]:
    decode = On(lambda e: MarkUpdated(e.data["clue_id"], e.data["state"]), use_case)
    return EventDispatcher({"task.updated": decode}, unit_of_work=lambda _: "uow", clock=lambda: NOW)


async def test_an_event_becomes_its_command_and_reaches_its_use_case() -> None:
    use_case = Recorder()
    await dispatcher(use_case)(SESSION, updated(a_task_update()))
    assert use_case.calls == [(MarkUpdated(CLUE, "accepted"), "uow", NOW)]


async def test_types_not_listed_are_ignored() -> None:
    use_case = Recorder()
    event = updated(a_task_update()).model_copy(update={"type": "clue.emergency"})
    await dispatcher(use_case)(SESSION, event)
    assert use_case.calls == []


async def test_data_breaking_its_schema_is_poison_and_names_the_field_not_the_value() -> None:
    use_case = Recorder()
    with pytest.raises(PoisonMessage, match="task_id") as caught:
        await dispatcher(use_case)(SESSION, updated(a_task_update(task_id=None, secret="13812345678")))
    assert "13812345678" not in str(caught.value)
    assert use_case.calls == []


async def test_a_refused_command_is_poison_but_other_failures_are_retried() -> None:
    with pytest.raises(PoisonMessage, match="no such task"):
        await dispatcher(Recorder(NotFoundError("no such task")))(SESSION, updated(a_task_update()))
    with pytest.raises(OSError, match="database away"):
        await dispatcher(Recorder(OSError("database away")))(SESSION, updated(a_task_update()))


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (NotFoundError("task"), 404, "Not Found"),
        (ForbiddenError("only 330106.gov may act on this task"), 403, "Forbidden"),
        (ConflictError("the task is done", current_state="done"), 409, "Conflict"),
        (InvalidError([{"field": "agency", "message": "unknown"}]), 422, "Invalid Request"),
    ],
)
def test_each_domain_error_maps_to_one_problem(error: DomainError, status: int, title: str) -> None:
    body = domain_problem(error).body()
    assert (body["status"], body["title"]) == (status, title)
    assert body["detail"] == error.detail
    if isinstance(error, ConflictError):
        assert body["current_state"] == "done"
    if isinstance(error, InvalidError):
        assert body["errors"] == [{"field": "agency", "message": "unknown"}]
    if isinstance(error, NotFoundError):
        assert body["detail"] == "No task with that id is visible to you."
