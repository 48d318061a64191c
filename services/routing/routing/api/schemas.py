"""HTTP schemas of routing (CONTRACT.md, Routing: tasks): typed, with enums, formats and examples.

Answers are read schemas (``shared.api.ReadSchema``); moments leave in business time (+08:00).
"""

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from routing.app.queries import CaseView
from routing.domain.model import ClueOutcome, ClueStatus, TaskKind, TaskState
from shared.api import BusinessTime, ReadSchema
from shared.params import AGENCY_ID_PATTERN, DIVISION_PATTERN, Line, Text

UUID_EXAMPLE = "0f8fad5b-d9cb-469f-a165-70867728950e"
MOMENT_EXAMPLE = "2026-12-03T17:16:00+08:00"

Uuid = Annotated[str, Field(json_schema_extra={"format": "uuid"}, examples=[UUID_EXAMPLE])]


Moment = Annotated[
    BusinessTime,
    Field(description="ISO 8601 in business time (+08:00)", examples=[MOMENT_EXAMPLE]),
]
AgencyId = Annotated[str, Field(examples=["330106.gov"], description="<division>.<kind>")]
Division = Annotated[str, Field(examples=["330106"], description="six-digit division code (GB/T 2260)")]
AmountText = Annotated[
    str,
    Field(pattern=r"^\d{1,12}\.\d{2}$", examples=["86000.00"], description="yuan, two decimal places"),
]
DisputeState = Literal["pending", "decided"]


class TaskOut(ReadSchema):
    """One agency's step on one clue (任务)."""

    task_id: Uuid
    clue_id: Uuid
    kind: TaskKind
    agency_id: AgencyId
    state: TaskState = Field(description="open, then accepted (签收), then done; or returned (退回)")
    reason: str = Field(
        description="why it went to that agency: the rule and the fields", examples=["rule 1"]
    )
    result: dict[str, Any] | None = Field(
        description="the completion body as sent (see POST /v1/tasks/{task_id}/complete); null until done"
    )
    replaces_task_id: Uuid | None = Field(description="the returned task a dispute decision replaced")
    created_at: Moment
    updated_at: Moment
    accepted_at: Moment | None
    completed_at: Moment | None


class DueDate(ReadSchema):
    """A due date the deadlines service computed for the clue or one of its tasks."""

    deadline_id: Uuid
    rule: str = Field(examples=["verify_10wd"], description="the deadline rule")
    task_id: Uuid | None
    due_at: Moment
    state: str = Field(examples=["running"], description="running, met, breached or cancelled")
    late: bool
    provisional: bool = Field(description="computed on a provisional holiday calendar")


class TimelineEntryOut(ReadSchema):
    """One entry of a clue's hash-chained timeline."""

    seq: int = Field(examples=[1])
    at: Moment
    actor: str = Field(examples=["agency:330106.gov"], description="a principal, or `system`")
    action: str = Field(examples=["accepted"], description="received, assigned, accepted, completed, ...")
    task_id: Uuid | None
    detail: dict[str, Any] = Field(description="what the action recorded")
    prev_hash: str = Field(examples=["0" * 64], description="hex SHA-256 of the previous entry")
    hash: str = Field(examples=["9f" * 32], description="hex SHA-256 of this entry")


class TaskDetail(TaskOut):
    """A task with its clue, due dates and history."""

    clue: dict[str, Any] = Field(description="the clue as intake received it (personal data as allowed)")
    due_dates: list[DueDate]
    history: list[TimelineEntryOut]


class ReturnIn(BaseModel):
    """退回: why the task is not the caller's; a dispute opens for the arbiter (rule 6)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "项目不在本辖区", "suggested_agency": "330108.gov"}]},
    )

    reason: Text = Field(min_length=1, max_length=2000)
    suggested_agency: Line | None = Field(
        default=None, max_length=40, description="agency id, e.g. 330106.gov"
    )


class DecisionIn(BaseModel):
    """争议仲裁: who handles the returned task."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"assignee": "330106.construction", "note": "在建工程, 住建负责"}]},
    )

    assignee: Line = Field(min_length=3, max_length=40, description="agency id, e.g. 330106.construction")
    note: Text = Field(default="", max_length=2000)


class DisputeOut(ReadSchema):
    """A returned task awaiting, or having had, the arbiter's decision (rule 6)."""

    dispute_id: Uuid
    clue_id: Uuid
    task_id: Uuid = Field(description="the returned task")
    from_agency: AgencyId
    suggested_agency: str | None = Field(examples=["330108.gov"])
    reason: str
    arbiter: str = Field(examples=["330106.office"], description="the office that decides")
    state: DisputeState
    decided_assignee: str | None = Field(examples=["330106.construction"])
    decision_note: str | None
    decided_by: str | None = Field(examples=["agency:330106.office"])
    new_task_id: Uuid | None = Field(description="the task the decision created")
    created_at: Moment
    decided_at: Moment | None
    seconds_in_dispute: int | None = Field(examples=[3600])


class CaseOut(ReadSchema):
    """A clue's whole handling: its tasks, disputes, due dates and timeline."""

    clue: dict[str, Any] = Field(description="the clue as intake received it (personal data as allowed)")
    status: ClueStatus
    division: Division
    outcome: ClueOutcome | None = Field(description="rule 5, once closed")
    amount_paid: AmountText | None = Field(
        description="once closed: the yuan recovered for the matter; on a linked clue, its lead's total"
    )
    amount_paid_on_lead: bool = Field(
        description="true when amount_paid was recovered on the lead clue (rule 8): count it once, there"
    )
    related: list[Uuid] = Field(description="clues of the same matter (rule 8)")
    lead_clue_id: Uuid | None = Field(description="the lead clue this one joined (rule 8)")
    tasks: list[TaskOut]
    disputes: list[DisputeOut]
    due_dates: list[DueDate]
    timeline: list[TimelineEntryOut]


class ChainCheckOut(BaseModel):
    """Whether the clue's timeline hash chain is intact."""

    clue_id: Uuid
    valid: bool
    entries: int = Field(ge=0)
    broken_at: int | None = Field(description="seq of the first entry that does not chain")
    problem: str | None


class AgencyOut(ReadSchema):
    """An agency of the registry."""

    agency_id: str = Field(pattern=AGENCY_ID_PATTERN, examples=["330106.gov"])
    division: str = Field(pattern=DIVISION_PATTERN, examples=["330106"])
    division_name: str = Field(examples=["西湖区"])
    kind: str = Field(examples=["gov"], description="gov, office, construction, transport, water, ...")
    name: str = Field(examples=["西湖区人民政府"])


def task_out(task: object) -> TaskOut:
    return TaskOut.model_validate(task, from_attributes=True)


def dispute_out(dispute: object) -> DisputeOut:
    return DisputeOut.model_validate(dispute, from_attributes=True)


def due_dates_out(deadlines: Sequence[object]) -> list[DueDate]:
    return [DueDate.model_validate(d, from_attributes=True) for d in deadlines]


def timeline_out(entries: Sequence[object]) -> list[TimelineEntryOut]:
    return [TimelineEntryOut.model_validate(e, from_attributes=True) for e in entries]


def case_out(view: CaseView) -> CaseOut:
    clue = view.clue
    return CaseOut(
        clue=view.clue_data,
        status=ClueStatus(clue.status),
        division=clue.division,
        outcome=ClueOutcome(clue.outcome) if clue.outcome is not None else None,
        amount_paid=f"{clue.amount_paid:.2f}" if clue.amount_paid is not None else None,
        amount_paid_on_lead=clue.amount_paid_on_lead,
        related=view.related,
        lead_clue_id=clue.lead_clue_id,
        tasks=[task_out(t) for t in view.tasks],
        disputes=[dispute_out(d) for d in view.disputes],
        due_dates=due_dates_out(view.due_dates),
        timeline=timeline_out(view.timeline),
    )
