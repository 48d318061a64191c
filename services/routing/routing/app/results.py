"""Completion bodies, validated by task kind, and their conversion to the domain's results."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, WithJsonSchema

from routing.domain.case import Task
from routing.domain.model import (
    ApproveResult,
    Cause,
    CompletedTask,
    FindingResult,
    IndustryResolveResult,
    InvestigateOutcome,
    InvestigateResult,
    OutcomeNote,
    TaskKind,
    TaskResult,
    TaskState,
)
from shared.money import Amount
from shared.params import Line, Text

Note = Annotated[Text, Field(default="", max_length=5000, description="free text, kept on the timeline")]
#: Strict: JSON true or false only ("yes", 1 or "true" are refused with 422, the field named).
Flag = Annotated[StrictBool, Field()]
PaidAmount = Annotated[
    Amount,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,12}(\.\d{1,2})?$",
            "description": "yuan recovered for the workers, a decimal string with at most two places",
            "examples": ["86000.00"],
        }
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingIn(_Body):
    """The body of `verify` (属地核查), `review` (复核) and `resolve` (组织处置化解)."""

    model_config = ConfigDict(
        title="FindingResult",
        json_schema_extra={
            "examples": [
                {
                    "substantiated": True,
                    "resolved": True,
                    "amount_paid": "86000.00",
                    "causes": ["illegal_subcontracting"],
                    "note": "paid in full on site",
                }
            ]
        },
    )

    substantiated: Flag = Field(description="the arrears are real (属实)")
    resolved: Flag = Field(description="the workers were paid (化解)")
    amount_paid: PaidAmount = Decimal("0.00")
    causes: list[Cause] = Field(
        default_factory=list, description="causes found; an industry cause hands the clue to its regulator"
    )
    needs_case: Flag = Field(default=False, description="asks HR&SS to file a case (立案查处)")
    escalate: Flag = Field(default=False, description="asks the level above to take it on")
    note: Note


class IndustryResolveIn(_Body):
    """The body of `industry_resolve` (核查化解, by the industry regulator)."""

    model_config = ConfigDict(
        title="IndustryResolveResult",
        json_schema_extra={"examples": [{"resolved": True, "amount_paid": "12000.00", "note": "paid"}]},
    )

    resolved: Flag = Field(description="the workers were paid (化解)")
    amount_paid: PaidAmount = Decimal("0.00")
    escalate: Flag = Field(default=False, description="asks the level above to take it on")
    note: Note


class ApproveIn(_Body):
    """The body of `approve` (审核)."""

    model_config = ConfigDict(
        title="ApproveResult", json_schema_extra={"examples": [{"approved": True, "note": "confirmed"}]}
    )

    approved: Flag = Field(description="true confirms the step approved; false leaves the clue unresolved")
    note: Note


class InvestigateIn(_Body):
    """The body of `investigate` (立案查处, by HR&SS)."""

    model_config = ConfigDict(
        title="InvestigateResult",
        json_schema_extra={
            "examples": [{"outcome": "order_issued", "amount_paid": "0.00", "note": "限期整改"}]
        },
    )

    outcome: InvestigateOutcome = Field(description="what the case came to")
    amount_paid: PaidAmount = Decimal("0.00")
    note: Note


class OutcomeIn(_Body):
    """The body of `industry_investigate` (一案双查), `criminal` (侦办) and `respond` (应急处置)."""

    model_config = ConfigDict(
        title="OutcomeResult",
        json_schema_extra={"examples": [{"outcome": "workers dispersed, talks arranged", "note": ""}]},
    )

    outcome: Annotated[Line, Field(min_length=1, max_length=200, description="the outcome, in words")]
    note: Note


BODY_BY_KIND: dict[TaskKind, type[_Body]] = {
    TaskKind.VERIFY: FindingIn,
    TaskKind.REVIEW: FindingIn,
    TaskKind.RESOLVE: FindingIn,
    TaskKind.INDUSTRY_RESOLVE: IndustryResolveIn,
    TaskKind.APPROVE: ApproveIn,
    TaskKind.INVESTIGATE: InvestigateIn,
    TaskKind.INDUSTRY_INVESTIGATE: OutcomeIn,
    TaskKind.CRIMINAL: OutcomeIn,
    TaskKind.RESPOND: OutcomeIn,
}


def parse_result(kind: TaskKind, raw: Any) -> TaskResult:
    """Raises pydantic's ValidationError listing every bad field."""
    body = BODY_BY_KIND[kind].model_validate(raw)
    return to_result(body)


def to_result(body: _Body) -> TaskResult:
    match body:
        case FindingIn():
            return FindingResult(
                substantiated=body.substantiated,
                resolved=body.resolved,
                amount_paid=body.amount_paid,
                causes=frozenset(body.causes),
                needs_case=body.needs_case,
                escalate=body.escalate,
                note=body.note,
            )
        case IndustryResolveIn():
            return IndustryResolveResult(
                resolved=body.resolved, amount_paid=body.amount_paid, escalate=body.escalate, note=body.note
            )
        case ApproveIn():
            return ApproveResult(approved=body.approved, note=body.note)
        case InvestigateIn():
            return InvestigateResult(outcome=body.outcome, amount_paid=body.amount_paid, note=body.note)
        case OutcomeIn():
            return OutcomeNote(outcome=body.outcome, note=body.note)
    raise TypeError(f"no result for {type(body).__name__}")


def result_from_json(kind: TaskKind, stored: dict[str, Any]) -> TaskResult:
    return parse_result(kind, stored)


def completed_tasks(tasks: Sequence[Task]) -> list[CompletedTask]:
    """The done tasks with their results, each linked to the task that created it (its branch)."""
    return [
        CompletedTask(
            kind=TaskKind(t.kind),
            agency_id=t.agency_id,
            result=result_from_json(TaskKind(t.kind), t.result),
            task_id=t.task_id,
            created_by=t.created_by_task_id,
        )
        for t in tasks
        if t.state == TaskState.DONE and t.result is not None
    ]


__all__ = ["BODY_BY_KIND", "ValidationError", "completed_tasks", "parse_result", "result_from_json"]
