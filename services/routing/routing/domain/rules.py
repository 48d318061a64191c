"""Routing rules 1-7 of the contract as pure functions: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from routing.domain.agencies import DIVISIONS, agency_in, division_of
from routing.domain.errors import (
    IllegalTransition,
    MustEscalate,
    NoIndustryAuthorityError,
    ResultMismatchError,
    UnknownDivisionError,
)
from routing.domain.model import (
    CITY_DIVISION,
    FLAG_MEDIA_ATTENTION,
    FLAG_PUBLIC_ORDER,
    INDUSTRY_CAUSES,
    RESULT_TYPE,
    AgencyKind,
    ApproveResult,
    Cause,
    ClueFacts,
    ClueOutcome,
    CompletedTask,
    FindingResult,
    IndustryResolveResult,
    InvestigateOutcome,
    InvestigateResult,
    ProjectKind,
    Source,
    TaskAction,
    TaskKind,
    TaskPlan,
    TaskResult,
    TaskState,
)

_INDUSTRY_AUTHORITY: dict[ProjectKind, AgencyKind] = {
    ProjectKind.BUILDING: AgencyKind.CONSTRUCTION,
    ProjectKind.MUNICIPAL: AgencyKind.CONSTRUCTION,
    ProjectKind.TRANSPORT: AgencyKind.TRANSPORT,
    ProjectKind.WATER: AgencyKind.WATER,
}

_CENTS = Decimal("0.01")


def industry_authority(division: str, project_kind: ProjectKind | None) -> str | None:
    """The project's industry authority (行业主管部门) in `division`, or None for other kinds."""
    kind = _INDUSTRY_AUTHORITY.get(project_kind) if project_kind is not None else None
    return agency_in(division, kind) if kind is not None else None


def first_tasks(clue: ClueFacts) -> list[TaskPlan]:
    """Rule 1 (first task) plus, for an emergency clue, rule 7's parallel `respond` tasks.

    Raises `UnknownDivisionError` when the clue is not in one of the 13 divisions.
    """
    division = _clue_division(clue)
    gov = agency_in(division, AgencyKind.GOV)
    if clue.source in (Source.NATIONAL, Source.PROVINCIAL):
        plans = [TaskPlan(TaskKind.VERIFY, gov, f"rule 1: {clue.source} clue is verified by {gov}")]
    else:
        plans = [TaskPlan(TaskKind.RESOLVE, gov, f"rule 1: {clue.source} clue is resolved by {gov}")]
    if clue.emergency:
        plans.extend(_respond_tasks(clue))
    return plans


def _respond_tasks(clue: ClueFacts) -> list[TaskPlan]:
    hrss = agency_in(clue.division, AgencyKind.HRSS)
    plans = [TaskPlan(TaskKind.RESPOND, hrss, f"rule 7: emergency clue -> {hrss}")]
    authority = industry_authority(clue.division, clue.project_kind)
    if authority is not None:
        plans.append(
            TaskPlan(
                TaskKind.RESPOND,
                authority,
                f"rule 7: emergency clue on a {clue.project_kind} project -> {authority}",
            )
        )
    if FLAG_PUBLIC_ORDER in clue.flags:
        police = agency_in(clue.division, AgencyKind.POLICE)
        plans.append(TaskPlan(TaskKind.RESPOND, police, f"rule 7: emergency, public_order -> {police}"))
    return plans


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
    completing agency. A payload of the wrong type for the kind raises `ResultMismatchError`.
    """
    _clue_division(clue)
    check_result(completed.kind, completed.result)
    result = completed.result
    if completed.kind is TaskKind.VERIFY:
        hrss = agency_in(clue.division, AgencyKind.HRSS)
        return [TaskPlan(TaskKind.REVIEW, hrss, f"rule 1: verify done -> review by {hrss}")]
    if isinstance(result, FindingResult):
        return _finding_tasks(clue, completed.kind, result)
    if isinstance(result, IndustryResolveResult):
        return _industry_resolve_tasks(clue, result)
    if isinstance(result, ApproveResult):
        return [] if result.approved else _rejected_approval_tasks(clue)
    if isinstance(result, InvestigateResult) and result.outcome is InvestigateOutcome.CRIMINAL_REFERRAL:
        police = agency_in(clue.division, AgencyKind.POLICE)
        return [TaskPlan(TaskKind.CRIMINAL, police, f"rule 4: investigate referred a crime -> {police}")]
    return []


def _finding_tasks(clue: ClueFacts, kind: TaskKind, result: FindingResult) -> list[TaskPlan]:
    """Rule 2, applied in order to a `review` or `resolve`."""
    if not result.substantiated:  # (a)
        return []
    industry_causes = sorted(result.causes & INDUSTRY_CAUSES)
    # The industry authority takes part only when industry causes were found.
    authority = industry_authority(clue.division, clue.project_kind) if industry_causes else None
    plans: list[TaskPlan] = []
    if authority is not None and not result.resolved:  # (b)
        plans.append(
            TaskPlan(
                TaskKind.INDUSTRY_RESOLVE,
                authority,
                f"rule 2(b): causes {_causes(industry_causes)} on a {clue.project_kind} project "
                f"-> {authority}",
            )
        )
    if result.needs_case or (result.escalate and kind is TaskKind.RESOLVE):  # (c)
        why = "needs_case" if result.needs_case else "escalate"
        hrss = agency_in(clue.division, AgencyKind.HRSS)
        plans.append(TaskPlan(TaskKind.INVESTIGATE, hrss, f"rule 2(c): {kind} reported {why} -> {hrss}"))
        if authority is not None:
            plans.append(
                TaskPlan(
                    TaskKind.INDUSTRY_INVESTIGATE,
                    authority,
                    f"rule 2(c): {why} with causes {_causes(industry_causes)} on a "
                    f"{clue.project_kind} project -> {authority}",
                )
            )
    if plans or result.resolved:  # (f) once nothing is left unresolved
        return plans
    if kind is TaskKind.RESOLVE:  # (d)
        raise MustEscalate
    gov = agency_in(clue.division, AgencyKind.GOV)  # (e)
    return [TaskPlan(TaskKind.RESOLVE, gov, f"rule 2(e): review substantiated, not resolved -> {gov}")]


def _industry_resolve_tasks(clue: ClueFacts, result: IndustryResolveResult) -> list[TaskPlan]:
    """Rule 3 for a completed `industry_resolve`."""
    hrss = agency_in(clue.division, AgencyKind.HRSS)
    if not result.escalate:
        return [TaskPlan(TaskKind.APPROVE, hrss, f"rule 3: industry_resolve done -> approval by {hrss}")]
    plans = [TaskPlan(TaskKind.INVESTIGATE, hrss, f"rule 3: industry_resolve escalated -> {hrss}")]
    authority = industry_authority(clue.division, clue.project_kind)
    if authority is not None:
        plans.append(
            TaskPlan(
                TaskKind.INDUSTRY_INVESTIGATE,
                authority,
                f"rule 3: industry_resolve escalated on a {clue.project_kind} project -> {authority}",
            )
        )
    return plans


def _rejected_approval_tasks(clue: ClueFacts) -> list[TaskPlan]:
    authority = industry_authority(clue.division, clue.project_kind)
    if authority is None:
        raise NoIndustryAuthorityError(clue.clue_id, clue.project_kind)
    return [
        TaskPlan(
            TaskKind.INDUSTRY_RESOLVE,
            authority,
            f"rule 3: approve rejected on a {clue.project_kind} project -> {authority}",
        )
    ]


def emergency_recipients(clue: ClueFacts) -> list[str]:
    """Rule 7: who gets `clue.emergency` (重大事项报告); empty for a clue that is no emergency.

    The division's office, hrss and gov, the project's industry authority if any, and
    `330100.office`.
    """
    if not clue.emergency:
        return []
    division = _clue_division(clue)
    recipients = [agency_in(division, kind) for kind in (AgencyKind.OFFICE, AgencyKind.HRSS, AgencyKind.GOV)]
    authority = industry_authority(division, clue.project_kind)
    if authority is not None:
        recipients.append(authority)
    recipients.append(agency_in(CITY_DIVISION, AgencyKind.OFFICE))
    return recipients


def opinion_alert_recipients(clue: ClueFacts) -> list[str]:
    """Rule 7: an `opinion` (舆情) clue, or one flagged `media_attention`, alerts the division office."""
    if clue.source is Source.OPINION or FLAG_MEDIA_ATTENTION in clue.flags:
        return [agency_in(_clue_division(clue), AgencyKind.OFFICE)]
    return []


def completion_outcome(completed: CompletedTask) -> ClueOutcome:
    """The outcome one completion shows; see `clue_outcome`."""
    result = completed.result
    if isinstance(result, InvestigateResult):
        if result.outcome is InvestigateOutcome.CRIMINAL_REFERRAL:
            return ClueOutcome.CRIMINAL_REFERRAL
        if result.outcome is InvestigateOutcome.UNSUBSTANTIATED:
            return ClueOutcome.UNSUBSTANTIATED
        return ClueOutcome.CASE_FILED
    if isinstance(result, FindingResult):
        if not result.substantiated:
            return ClueOutcome.UNSUBSTANTIATED
        return ClueOutcome.RESOLVED if result.resolved else ClueOutcome.UNRESOLVED
    if isinstance(result, IndustryResolveResult):
        return ClueOutcome.RESOLVED if result.resolved else ClueOutcome.UNRESOLVED
    if isinstance(result, ApproveResult):
        return ClueOutcome.RESOLVED if result.approved else ClueOutcome.UNRESOLVED
    return ClueOutcome.UNRESOLVED


def clue_outcome(completed: Sequence[CompletedTask]) -> tuple[ClueOutcome, Decimal]:
    """Rule 5: the strongest outcome that occurred (办结结果) and the total `amount_paid`.

    Each completion shows one outcome:
    - `criminal_referral`: an `investigate` with outcome `criminal_referral`;
    - `case_filed`: an `investigate` with any other outcome except `unsubstantiated`;
    - `resolved`: a substantiated `verify`/`review`/`resolve` with `resolved`, an
      `industry_resolve` with `resolved`, or an `approve` with `approved`;
    - `unsubstantiated`: a `verify`/`review`/`resolve` with `substantiated: false` (its other
      fields are ignored, as in rule 2(a)), or an `investigate` with `unsubstantiated`;
    - `unresolved`: anything else, including every `industry_investigate`, `criminal` and
      `respond`, whose outcome is free text.

    The amount sums `amount_paid` of findings, industry resolutions and investigations, to the
    cent. No completions at all give `unresolved` and `0.00`.
    """
    outcome = min(
        (completion_outcome(task) for task in completed),
        key=lambda o: o.rank,
        default=ClueOutcome.UNRESOLVED,
    )
    total = sum(
        (
            task.result.amount_paid
            for task in completed
            if isinstance(task.result, FindingResult | IndustryResolveResult | InvestigateResult)
        ),
        start=Decimal("0"),
    )
    return outcome, total.quantize(_CENTS)


def can_close(task_states: Iterable[TaskState], pending_disputes: int) -> bool:
    """Rule 5: a clue closes (办结) when none of its tasks is unfinished and no dispute is pending."""
    if pending_disputes < 0:
        raise ValueError(f"pending_disputes must be 0 or more, not {pending_disputes}")
    return pending_disputes == 0 and not any(state.unfinished for state in task_states)


def dispute_arbiter(clue_division: str, suggested_agency: str | None) -> str:
    """Rule 6: the office that arbitrates a returned task (争议仲裁).

    `<division>.office`, or `330100.office` when the suggested agency is in another division;
    a city agency (330100) counts as another division, since only the city office may assign
    to it. An unknown suggested agency raises `UnknownAgencyError`.
    """
    if suggested_agency is not None and division_of(suggested_agency) != clue_division:
        return agency_in(CITY_DIVISION, AgencyKind.OFFICE)
    return agency_in(clue_division, AgencyKind.OFFICE)


def decision_moves_clue(clue_division: str, assignee: str) -> str | None:
    """Rule 6: the division a dispute decision moves the clue to, or None when it stays.

    The clue moves when the assignee is in another of the 13 divisions; a city (330100)
    assignee leaves it where it is. An unknown assignee raises `UnknownAgencyError`.
    """
    division = division_of(assignee)
    if division in (clue_division, CITY_DIVISION):
        return None
    return division


_TRANSITIONS: dict[tuple[TaskState, str], TaskState] = {
    (TaskState.OPEN, "accept"): TaskState.ACCEPTED,
    (TaskState.OPEN, "complete"): TaskState.DONE,
    (TaskState.OPEN, "return"): TaskState.RETURNED,
    (TaskState.ACCEPTED, "complete"): TaskState.DONE,
    (TaskState.ACCEPTED, "return"): TaskState.RETURNED,
}


def transition(state: TaskState, action: TaskAction) -> TaskState:
    """The task state after `action`; raises `IllegalTransition` with the current state.

    `accept` (签收) only from `open`. `complete` from `open` or `accepted`: completing an open
    task implies accepting it. `return` (退回) from `open` or `accepted`. `done` and `returned`
    are final, and accepting twice is illegal.
    """
    try:
        return _TRANSITIONS[(state, action)]
    except KeyError:
        raise IllegalTransition(state, action) from None


def _clue_division(clue: ClueFacts) -> str:
    if clue.division not in DIVISIONS:
        raise UnknownDivisionError(clue.division)
    return clue.division


def _causes(causes: Sequence[Cause]) -> str:
    return ", ".join(causes)
