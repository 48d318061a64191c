"""The ``data`` schema of every event type (version 1). ``new_event`` validates against these, so the
code cannot publish what ``/asyncapi.json`` does not describe. Consumers must ignore unknown fields."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class EventData(BaseModel):
    model_config = ConfigDict(extra="allow")

    clue_id: str = Field(
        description="the clue this event is about; also the Kafka key and the CloudEvents subject"
    )


class Employer(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    uscc: str | None = None


class ClueReceived(EventData):
    """A clue was accepted by intake (anxin.intake). Its personal data travels sealed only."""

    @model_validator(mode="before")
    @classmethod
    def _no_personal_data_in_clear(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("complainant") is not None:
            raise ValueError("the complainant travels sealed only (complainant_sealed, shared/sealing.py)")
        return data

    source: str
    external_id: str
    submitted_by: str = Field(
        description="principal that submitted it: source:<source> or agency:<id> (onsite)"
    )
    received_at: str
    division: str
    township: str | None = None
    employer: Employer
    project: dict[str, Any] | None = None
    workers: int
    amount_owed: str = Field(description="yuan, decimal string with two places")
    complainant_sealed: str | None = Field(
        default=None,
        description="the complainant ({name, phone, id_number}) as JSON, sealed with AES-256-GCM under "
        "ANXIN_PERSONAL_DATA_KEY (held by intake and routing only; the clue id is the associated data)",
    )
    summary_sealed: str | None = Field(
        default=None,
        description="the summary as written, sealed like complainant_sealed; `summary` is scrubbed",
    )
    summary: str
    flags: list[str]
    emergency: bool
    emergency_reasons: list[str]
    lead_clue_id: str | None = Field(
        default=None, description="set when linked to an unfinished clue (rule 8)"
    )
    link_reason: str | None = Field(default=None, description="why it was linked to its lead (rule 8)")


class ClueLinked(EventData):
    """The clue is the same matter as an unfinished lead clue and joins its handling (rule 8)."""

    lead_clue_id: str
    division: str
    matched_on: dict[str, str] = Field(
        description="employer (uscc:<code> or name:<normalised>), project (normalised, '' when none),"
        " employer_basis (uscc or name) and project_basis (same, missing_on_new, missing_on_lead,"
        " missing_on_both)"
    )
    reason: str | None = Field(default=None, description="why, in words")


class ClueEmergency(EventData):
    """The clue triggers the emergency plan (rule 7)."""

    source: str
    division: str
    project_kind: str | None = None
    workers: int
    amount_owed: str
    flags: list[str]
    reasons: list[str]


class TaskAssigned(EventData):
    task_id: str
    kind: str
    agency_id: str
    state: str
    reason: str = Field(description="why it went there: rule and fields")
    division: str
    created_at: str
    replaces_task_id: str | None = Field(
        default=None, description="the returned task a dispute decision replaced"
    )


class TaskUpdated(EventData):
    task_id: str
    kind: str
    agency_id: str
    state: str
    previous_state: str
    updated_at: str
    result: dict[str, Any] | None = None
    created_kinds: list[str] | None = Field(
        default=None, description="kinds of the tasks the completion created"
    )


class ClueStatusChanged(EventData):
    """Status feedback (规范反馈): status, stage (kinds of open tasks) and, once closed, the outcome."""

    source: str
    submitted_by: str
    status: str
    stage: list[str]
    outcome: str | None = None
    amount_paid: str | None = None
    division: str
    lead_clue_id: str | None = None
    closed_at: str | None = None


class DisputeEvent(EventData):
    dispute_id: str
    task_id: str
    from_agency: str
    suggested_agency: str | None = None
    reason: str
    arbiter: str
    state: str
    decided_assignee: str | None = None


class DeadlineEvent(EventData):
    deadline_id: str
    rule: str
    task_id: str | None = None
    division: str
    starts_on: str
    due_at: str
    state: str
    late: bool
    provisional: bool
    holders: list[str] = Field(description="agencies holding unfinished tasks on the clue at that moment")
    escalate_to: list[str] = Field(
        default_factory=list, description="further agencies an escalation step adds"
    )
    division_office: str | None = Field(
        default=None, description="deadline.breached: the division office (督办), always told of a breach"
    )
    escalation_step: str | None = Field(
        default=None, description="deadline.breached: the configured step that fired, e.g. 330100.office"
    )
    working_days_before: int | None = Field(default=None, description="deadline.due_soon: the offset")
    dispute_seconds: int = Field(default=0, description="time the deadline's task spent in dispute")


class DeadlineCorrected(DeadlineEvent):
    """A breach that only the provisional calendar caused, undone by a year's official schedule."""

    corrected_from: dict[str, Any] = Field(description="the deadline before: state, due_at, provisional")
    calendar_year: int = Field(description="the year whose official schedule was loaded")


EVENT_SCHEMAS: dict[str, type[EventData]] = {
    "clue.received": ClueReceived,
    "clue.linked": ClueLinked,
    "clue.emergency": ClueEmergency,
    "task.assigned": TaskAssigned,
    "task.updated": TaskUpdated,
    "clue.status": ClueStatusChanged,
    "dispute.opened": DisputeEvent,
    "dispute.decided": DisputeEvent,
    "deadline.started": DeadlineEvent,
    "deadline.due_soon": DeadlineEvent,
    "deadline.breached": DeadlineEvent,
    "deadline.met": DeadlineEvent,
    "deadline.cancelled": DeadlineEvent,
    "deadline.corrected": DeadlineCorrected,
}

TOPIC_TYPES: dict[str, tuple[str, ...]] = {
    "anxin.intake": ("clue.received", "clue.emergency", "clue.linked"),
    "anxin.routing": ("task.assigned", "task.updated", "clue.status", "dispute.opened", "dispute.decided"),
    "anxin.deadlines": (
        "deadline.started",
        "deadline.due_soon",
        "deadline.breached",
        "deadline.met",
        "deadline.cancelled",
        "deadline.corrected",
    ),
}
