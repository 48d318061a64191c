"""HTTP schemas of routing (CONTRACT.md, Routing: tasks)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.api import ApiModel
from shared.params import Line, Text


class TaskOut(ApiModel):
    task_id: str
    clue_id: str
    kind: str
    agency_id: str
    state: str
    reason: str
    result: dict[str, Any] | None
    replaces_task_id: str | None
    created_at: datetime
    updated_at: datetime
    accepted_at: datetime | None
    completed_at: datetime | None


class DueDate(BaseModel):
    deadline_id: str
    rule: str
    task_id: str | None
    due_at: datetime
    state: str
    late: bool
    provisional: bool


class TimelineEntryOut(ApiModel):
    seq: int
    at: datetime
    actor: str
    action: str
    task_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class TaskDetail(TaskOut):
    clue: dict[str, Any]
    due_dates: list[DueDate]
    history: list[TimelineEntryOut]


class ReturnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field(min_length=1, max_length=2000)
    suggested_agency: Line | None = Field(
        default=None, max_length=40, description="agency id, e.g. 330106.gov"
    )


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: Line = Field(min_length=3, max_length=40, description="agency id, e.g. 330106.construction")
    note: Text = Field(default="", max_length=2000)


class DisputeOut(ApiModel):
    dispute_id: str
    clue_id: str
    task_id: str
    from_agency: str
    suggested_agency: str | None
    reason: str
    arbiter: str
    state: str
    decided_assignee: str | None
    decision_note: str | None
    decided_by: str | None
    new_task_id: str | None
    created_at: datetime
    decided_at: datetime | None
    seconds_in_dispute: int | None


class CaseOut(ApiModel):
    clue: dict[str, Any]
    status: str
    division: str
    outcome: str | None
    amount_paid: str | None
    related: list[str]
    lead_clue_id: str | None
    tasks: list[TaskOut]
    disputes: list[DisputeOut]
    due_dates: list[DueDate]
    timeline: list[TimelineEntryOut]


class ChainCheckOut(ApiModel):
    clue_id: str
    valid: bool
    entries: int
    broken_at: int | None
    problem: str | None


class AgencyOut(ApiModel):
    agency_id: str
    division: str
    division_name: str
    kind: str
    name: str


def task_out(task: object) -> TaskOut:
    return TaskOut.model_validate(task, from_attributes=True)


def dispute_out(dispute: object) -> DisputeOut:
    return DisputeOut.model_validate(dispute, from_attributes=True)


def due_dates_out(deadlines: Sequence[object]) -> list[DueDate]:
    return [DueDate.model_validate(d, from_attributes=True) for d in deadlines]


def timeline_out(entries: Sequence[object]) -> list[TimelineEntryOut]:
    return [TimelineEntryOut.model_validate(e, from_attributes=True) for e in entries]
