"""Routing rules 1-7 of the contract as pure functions: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from routing.domain.agencies import agency_in
from routing.domain.assignees import assignee_for, clue_division, industry_authority
from routing.domain.disputes import Arbitration, decision_moves_clue, dispute_arbiter
from routing.domain.emergency import (
    emergency_recipients,
    joining_tasks,
    opinion_alert_recipients,
    response_tasks,
)
from routing.domain.errors import (
    IllegalTransition,
    MustEscalate,
    NoIndustryAuthorityError,
    ResultMismatchError,
)
from routing.domain.model import (
    INDUSTRY_CAUSES,
    RESULT_TYPE,
    AgencyKind,
    ApproveResult,
    Cause,
    ClueFacts,
    CompletedTask,
    FindingResult,
    IndustryResolveResult,
    InvestigateOutcome,
    InvestigateResult,
    Role,
    Source,
    TaskAction,
    TaskKind,
    TaskPlan,
    TaskResult,
    TaskState,
)
from routing.domain.outcome import clue_outcome, completion_outcome

__all__ = [
    "Arbitration",
    "can_close",
    "check_result",
    "clue_outcome",
    "completion_outcome",
    "decision_moves_clue",
    "dispute_arbiter",
    "emergency_recipients",
    "first_tasks",
    "industry_authority",
    "joining_tasks",
    "next_tasks",
    "opinion_alert_recipients",
    "response_tasks",
    "transition",
]


def first_tasks(clue: ClueFacts, *, responding: frozenset[str] = frozenset()) -> list[TaskPlan]:
    """Rule 1 (first task) plus the clue's `respond` tasks (`response_tasks`) in parallel.

    `responding` are agencies already holding an unfinished `respond` on the clue (an unlinked
    clue keeps its own); they get no second one. Raises `UnknownDivisionError` when the clue is
    not in one of the 13 divisions.
    """
    gov = agency_in(clue_division(clue), AgencyKind.GOV)
    if clue.source in (Source.NATIONAL, Source.PROVINCIAL):
        plans = [TaskPlan(TaskKind.VERIFY, gov, f"rule 1: {clue.source} clue is verified by {gov}")]
    else:
        plans = [TaskPlan(TaskKind.RESOLVE, gov, f"rule 1: {clue.source} clue is resolved by {gov}")]
    return plans + response_tasks(clue, responding=responding)


def check_result(kind: TaskKind, result: TaskResult) -> None:
    """Raise `ResultMismatchError` when `result` is not the completion payload of a `kind` task."""
    expected = RESULT_TYPE[kind]
    if not isinstance(result, expected):
        raise ResultMismatchError(kind, expected.__name__, type(result).__name__)


def next_tasks(clue: ClueFacts, completed: CompletedTask) -> list[TaskPlan]:
    """The tasks a completed task creates (rules 1-4); an empty list ends that branch.

    - `verify` done: `review` for hrss, whatever it found (rule 1).
    - `review` / `resolve`: rule 2 (a)-(f); (b) and (c) both apply when both hold, and (d)
      raises `MustEscalate`.
    - `industry_resolve`: `approve` for hrss, or with `escalate` `investigate` for hrss plus
      `industry_investigate` for the project's industry authority, if it has one (rule 3).
    - `approve` rejected: a new `industry_resolve` for the project's industry authority (rule 3);
      `NoIndustryAuthorityError` when the project kind has none.
    - `investigate` with `criminal_referral`: `criminal` for police (rule 4).
    - Anything else creates nothing.

    Every assignee is derived from the clue's current division and project kind, never from the
    completing agency; an office's dispute decision for the role takes precedence while it is in
    the clue's division (rule 6). A payload of the wrong type for the kind raises
    `ResultMismatchError`.
    """
    clue_division(clue)
    check_result(completed.kind, completed.result)
    result = completed.result
    if completed.kind is TaskKind.VERIFY:
        hrss, decided = _hrss(clue)
        return [TaskPlan(TaskKind.REVIEW, hrss, f"rule 1: verify done -> review by {hrss}{decided}")]
    if isinstance(result, FindingResult):
        return _finding_tasks(clue, completed.kind, result)
    if isinstance(result, IndustryResolveResult):
        return _industry_resolve_tasks(clue, result)
    if isinstance(result, ApproveResult):
        return [] if result.approved else _rejected_approval_tasks(clue)
    if isinstance(result, InvestigateResult) and result.outcome is InvestigateOutcome.CRIMINAL_REFERRAL:
        police, decided = _role(clue, Role.POLICE, agency_in(clue.division, AgencyKind.POLICE))
        assert police is not None
        return [
            TaskPlan(TaskKind.CRIMINAL, police, f"rule 4: investigate referred a crime -> {police}{decided}")
        ]
    return []


def _finding_tasks(clue: ClueFacts, kind: TaskKind, result: FindingResult) -> list[TaskPlan]:
    """Rule 2, applied in order to a `review` or `resolve`."""
    if not result.substantiated:  # (a)
        return []
    industry_causes = sorted(result.causes & INDUSTRY_CAUSES)
    # The industry authority takes part only when industry causes were found.
    authority, by = _industry(clue) if industry_causes else (None, "")
    plans: list[TaskPlan] = []
    if authority is not None and not result.resolved:  # (b)
        plans.append(
            TaskPlan(
                TaskKind.INDUSTRY_RESOLVE,
                authority,
                f"rule 2(b): causes {_causes(industry_causes)} on a {clue.project_kind} project "
                f"-> {authority}{by}",
            )
        )
    if result.needs_case or (result.escalate and kind is TaskKind.RESOLVE):  # (c)
        why = "needs_case" if result.needs_case else "escalate"
        hrss, decided = _hrss(clue)
        plans.append(
            TaskPlan(TaskKind.INVESTIGATE, hrss, f"rule 2(c): {kind} reported {why} -> {hrss}{decided}")
        )
        if authority is not None:
            plans.append(
                TaskPlan(
                    TaskKind.INDUSTRY_INVESTIGATE,
                    authority,
                    f"rule 2(c): {why} with causes {_causes(industry_causes)} on a "
                    f"{clue.project_kind} project -> {authority}{by}",
                )
            )
    if plans or result.resolved:  # (f) once nothing is left unresolved
        return plans
    if kind is TaskKind.RESOLVE:  # (d)
        raise MustEscalate
    gov, decided = _role(clue, Role.TERRITORY, agency_in(clue.division, AgencyKind.GOV))  # (e)
    assert gov is not None
    return [
        TaskPlan(TaskKind.RESOLVE, gov, f"rule 2(e): review substantiated, not resolved -> {gov}{decided}")
    ]


def _industry_resolve_tasks(clue: ClueFacts, result: IndustryResolveResult) -> list[TaskPlan]:
    """Rule 3 for a completed `industry_resolve`."""
    hrss, decided = _hrss(clue)
    if not result.escalate:
        return [
            TaskPlan(TaskKind.APPROVE, hrss, f"rule 3: industry_resolve done -> approval by {hrss}{decided}")
        ]
    plans = [TaskPlan(TaskKind.INVESTIGATE, hrss, f"rule 3: industry_resolve escalated -> {hrss}{decided}")]
    authority, by = _industry(clue)
    if authority is not None:
        plans.append(
            TaskPlan(
                TaskKind.INDUSTRY_INVESTIGATE,
                authority,
                f"rule 3: industry_resolve escalated on a {clue.project_kind} project -> {authority}{by}",
            )
        )
    return plans


def _rejected_approval_tasks(clue: ClueFacts) -> list[TaskPlan]:
    authority, by = _industry(clue)
    if authority is None:
        raise NoIndustryAuthorityError(clue.clue_id, clue.project_kind)
    return [
        TaskPlan(
            TaskKind.INDUSTRY_RESOLVE,
            authority,
            f"rule 3: approve rejected on a {clue.project_kind} project -> {authority}{by}",
        )
    ]


def _role(clue: ClueFacts, role: Role, default: str | None) -> tuple[str | None, str]:
    """The assignee for `role` and, when an office decided it, a note for the reason."""
    agency, decided = assignee_for(clue, role, default)
    return agency, " (as the office decided in a dispute)" if decided else ""


def _hrss(clue: ClueFacts) -> tuple[str, str]:
    hrss, decided = _role(clue, Role.HRSS, agency_in(clue.division, AgencyKind.HRSS))
    assert hrss is not None
    return hrss, decided


def _industry(clue: ClueFacts) -> tuple[str | None, str]:
    return _role(clue, Role.INDUSTRY, industry_authority(clue.division, clue.project_kind))


def can_close(task_states: Iterable[TaskState], pending_disputes: int) -> bool:
    """Rule 5: a clue closes (办结) when none of its tasks is unfinished and no dispute is pending."""
    if pending_disputes < 0:
        raise ValueError(f"pending_disputes must be 0 or more, not {pending_disputes}")
    return pending_disputes == 0 and not any(state.unfinished for state in task_states)


_TRANSITIONS: dict[tuple[TaskState, str], TaskState] = {
    (TaskState.OPEN, "accept"): TaskState.ACCEPTED,
    (TaskState.OPEN, "return"): TaskState.RETURNED,
    (TaskState.ACCEPTED, "complete"): TaskState.DONE,
    (TaskState.ACCEPTED, "return"): TaskState.RETURNED,
}


def transition(state: TaskState, action: TaskAction) -> TaskState:
    """The task state after `action`; raises `IllegalTransition` with the current state.

    `accept` (签收) only from `open`. `complete` only from `accepted`: an agency signs for a task
    before it reports a result. `return` (退回) from `open` or `accepted`. `done` and `returned`
    are final, and accepting twice is illegal.
    """
    try:
        return _TRANSITIONS[(state, action)]
    except KeyError:
        raise IllegalTransition(state, action) from None


def _causes(causes: Sequence[Cause]) -> str:
    return ", ".join(causes)
