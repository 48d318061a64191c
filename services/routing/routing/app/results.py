"""Completion bodies, validated by task kind, and their conversion to the domain's results."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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

Note = Annotated[Text, Field(default="", max_length=5000)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingIn(_Body):
    """`verify`, `review` and `resolve`."""

    substantiated: bool
    resolved: bool
    amount_paid: Amount = Decimal("0.00")
    causes: list[Cause] = Field(default_factory=list)
    needs_case: bool = False
    escalate: bool = False
    note: Note


class IndustryResolveIn(_Body):
    resolved: bool
    amount_paid: Amount = Decimal("0.00")
    escalate: bool = False
    note: Note


class ApproveIn(_Body):
    approved: bool
    note: Note


class InvestigateIn(_Body):
    outcome: InvestigateOutcome
    amount_paid: Amount = Decimal("0.00")
    note: Note


class OutcomeIn(_Body):
    """`industry_investigate`, `criminal` and `respond`."""

    outcome: Annotated[Line, Field(min_length=1, max_length=200)]
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
