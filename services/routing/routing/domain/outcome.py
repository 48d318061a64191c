"""Rule 5: a clue's outcome (办结结果) from its branches, and the total paid. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from routing.domain.model import (
    ApproveResult,
    ClueOutcome,
    CompletedTask,
    FindingResult,
    IndustryResolveResult,
    InvestigateOutcome,
    InvestigateResult,
)

_CENTS = Decimal("0.01")


def completion_outcome(completed: CompletedTask) -> ClueOutcome | None:
    """The outcome one completion shows, or None when it shows none of its own.

    - `investigate`: `criminal_referral`, `unsubstantiated`, or else `case_filed`;
    - `verify`/`review`/`resolve`: `unsubstantiated` when not substantiated (its other fields
      are ignored, as in rule 2(a)), else `resolved` or `unresolved`;
    - `industry_resolve`: `resolved` or `unresolved`;
    - `approve` (审核): approved confirms the step it approves, so None; rejected, `unresolved`;
    - `industry_investigate`, `criminal` and `respond` (free-text outcomes): None.
    """
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
        return None if result.approved else ClueOutcome.UNRESOLVED
    return None


def branch_outcomes(completed: Sequence[CompletedTask]) -> list[ClueOutcome]:
    """The outcome of each branch: a path from a first task along `created_by` to a last one.

    A branch shows the outcome of its latest step that shows one, so a later step supersedes an
    earlier one (复核 overrides 核查; 审核 confirms 核查化解). A branch whose steps show none
    gives nothing. Tasks without ids are branches of their own.
    """
    by_id = {task.task_id: task for task in completed if task.task_id}
    parents = {task.created_by for task in completed if task.created_by in by_id}
    outcomes: list[ClueOutcome] = []
    for last in completed:
        if last.task_id and last.task_id in parents:
            continue  # not the last step of its branch
        step: CompletedTask | None = last
        seen: set[str] = set()
        while step is not None:
            shown = completion_outcome(step)
            if shown is not None:
                outcomes.append(shown)
                break
            seen.add(step.task_id)
            parent = step.created_by
            step = by_id.get(parent) if parent is not None and parent not in seen else None
    return outcomes


def clue_outcome(completed: Sequence[CompletedTask]) -> tuple[ClueOutcome, Decimal]:
    """Rule 5: the strongest outcome across branches, and the total `amount_paid`.

    Within a branch the latest step decides (`branch_outcomes`); across branches the order
    `criminal_referral`, `case_filed`, `resolved`, `unsubstantiated`, `unresolved` applies.
    The amount sums `amount_paid` of findings, industry resolutions and investigations, to the
    cent. No outcome at all gives `unresolved`, and no completions `0.00`.
    """
    outcome = min(branch_outcomes(completed), key=lambda o: o.rank, default=ClueOutcome.UNRESOLVED)
    total = sum(
        (
            task.result.amount_paid
            for task in completed
            if isinstance(task.result, FindingResult | IndustryResolveResult | InvestigateResult)
        ),
        start=Decimal("0"),
    )
    return outcome, total.quantize(_CENTS)
