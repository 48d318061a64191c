"""Intake's answers: the clue as accepted and as read, and the problem shapes it documents."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from intake.domain.model import ClueStatus, Flag, Source
from shared.api import BusinessTime, ReadSchema


class Problem(BaseModel):
    """RFC 9457 problem details, as every 4xx and 5xx answers (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str


class FieldError(BaseModel):
    field: str = Field(description='dotted path of the bad field, e.g. "employer.uscc"')
    message: str


class ValidationProblem(Problem):
    errors: list[FieldError]


class ConflictProblem(Problem):
    clue_id: str | None = None
    differences: list[str] = Field(default_factory=list, description="dotted paths that differ")


CLUE_ID = "0b9f7f3e-8d5a-4c39-9a4e-2f1c7e0d6a11"
LEAD_ID = "5d2c1a90-3b7e-4f6a-8c21-9e4b0a7d3f55"
MOMENT = "2026-12-03T09:15:00+08:00"
#: How a clue closed, strongest first (CONTRACT.md, routing rule 5): routing decides it, intake shows it
#: as it came, so only the document names the values.
OUTCOMES = ["criminal_referral", "case_filed", "resolved", "unsubstantiated", "unresolved"]
ClueOutcome = Annotated[str, WithJsonSchema({"type": "string", "enum": OUTCOMES, "title": "ClueOutcome"})]


class ClueAccepted(BaseModel):
    """The clue as stored; a clue linked to an earlier clue of the same matter says so (rule 8)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"clue_id": CLUE_ID, "status": "received", "linked_to": None, "link_reason": None},
                {
                    "clue_id": CLUE_ID,
                    "status": "received",
                    "linked_to": LEAD_ID,
                    "link_reason": "same employer (USCC 91330100MA2H3XYZ1K), division 330106, project",
                },
            ]
        },
    )

    clue_id: str = Field(
        description="the clue's id (UUID)", examples=[CLUE_ID], json_schema_extra={"format": "uuid"}
    )
    status: ClueStatus = Field(description="the clue's current status", examples=["received"])
    linked_to: str | None = Field(
        default=None,
        description="the lead clue this one joined as the same matter (rule 8); null when it leads its own",
        examples=[LEAD_ID],
    )
    link_reason: str | None = Field(
        default=None, description="what matched when it joined a lead: employer, division, project"
    )


class ClueLink(ReadSchema):
    """A clue linked to its lead as the same matter (rule 8), and why."""

    clue_id: str = Field(examples=[CLUE_ID])
    lead_clue_id: str = Field(examples=[LEAD_ID])
    reason: str | None = Field(description="what matched: employer (USCC or name), division, project")


class ClueRead(ReadSchema):
    """A clue as the caller may see it: personal data in full, masked or withheld by who reads."""

    clue_id: str = Field(examples=[CLUE_ID], json_schema_extra={"format": "uuid"})
    source: Source
    external_id: str = Field(examples=["12345-2026-000123"])
    received_at: BusinessTime = Field(description="when the source received it, in +08:00", examples=[MOMENT])
    division: str = Field(description="GB/T 2260 county-level code", examples=["330106"])
    township: str | None
    employer: dict[str, Any] = Field(
        description="as submitted: name and uscc", examples=[{"name": "杭州某建设有限公司", "uscc": None}]
    )
    project: dict[str, Any] | None = Field(
        description="as submitted: name, kind, address", examples=[{"name": "某小区", "kind": "building"}]
    )
    workers: int = Field(ge=1, examples=[12])
    amount_owed: str = Field(
        description="yuan, two decimal places", examples=["86000.00"], pattern=r"^[0-9]+\.[0-9]{2}$"
    )
    complainant: dict[str, Any] | None = Field(
        description="name, phone, id_number: in full, masked, or null by who reads"
    )
    summary: str
    flags: list[Flag]
    source_payload: dict[str, Any] | None = Field(
        description="verbatim, for readers who see the complainant in full; else null (withheld)"
    )
    source_payload_withheld: bool = Field(
        default=False, description="true when the clue has a source_payload this reader may not see"
    )
    submitted_by: str = Field(description="the principal that submitted it", examples=["source:petition"])
    emergency: bool
    emergency_reasons: list[str] = Field(examples=[["workers 12 >= 10"]])
    status: ClueStatus
    stage: list[str] = Field(description="the kinds of the clue's unfinished tasks", examples=[["verify"]])
    outcome: ClueOutcome | None = Field(
        description="how the clue closed; null until it does", examples=["resolved"]
    )
    amount_paid: str | None = Field(description="yuan recovered, two decimal places", examples=["86000.00"])
    related: list[str] = Field(description="ids of the clues of the same matter")
    lead_clue_id: str | None = Field(description="the lead clue this one joined (rule 8), if any")
    link_reason: str | None = Field(default=None, description="why this clue was linked to its lead")
    links: list[ClueLink] = Field(
        default_factory=list, description="each link among this clue and its related clues, with its reason"
    )
    created_at: BusinessTime = Field(examples=[MOMENT])
    updated_at: BusinessTime = Field(examples=[MOMENT])
