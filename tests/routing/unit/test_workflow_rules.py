"""Issue 11, workflow items 1-6: outcomes by branch, decided assignees, 签收 first, responses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from routing.domain.assignees import decided_assignees
from routing.domain.errors import IllegalTransition
from routing.domain.model import (
    ApproveResult,
    Cause,
    ClueFacts,
    ClueOutcome,
    CompletedTask,
    FindingResult,
    IndustryResolveResult,
    InvestigateOutcome,
    InvestigateResult,
    OutcomeNote,
    ProjectKind,
    Role,
    Source,
    TaskKind,
    TaskPlan,
    TaskResult,
    TaskState,
)
from routing.domain.rules import clue_outcome, first_tasks, joining_tasks, next_tasks, transition

pytestmark = pytest.mark.unit

D = "330112"
K = TaskKind
GOV, HRSS, CONSTRUCTION, TRANSPORT, POLICE = (
    f"{D}.{k}" for k in ("gov", "hrss", "construction", "transport", "police")
)


def facts(
    *,
    source: Source = Source.NATIONAL,
    division: str = D,
    emergency: bool = False,
    flags: frozenset[str] = frozenset(),
    decided: dict[Role, str] | None = None,
) -> ClueFacts:
    return ClueFacts("c1", source, division, ProjectKind.BUILDING, emergency, flags, decided or {})


def finding(*, substantiated: bool = True, resolved: bool = False, amount: str = "0.00") -> FindingResult:
    causes = frozenset({Cause.REAL_NAME})
    return FindingResult(substantiated, resolved, Decimal(amount), causes, False, False, "n")


def step(task_id: str, kind: TaskKind, result: TaskResult, created_by: str | None = None) -> CompletedTask:
    return CompletedTask(kind, "330112.x", result, task_id=task_id, created_by=created_by)


def pairs(plans: list[TaskPlan]) -> list[tuple[TaskKind, str]]:
    return [(p.kind, p.agency_id) for p in plans]


# --- item 1: approved but unresolved is unresolved ---------------------------------------------


def industry(resolved: bool, amount: str = "0.00") -> IndustryResolveResult:
    return IndustryResolveResult(resolved, Decimal(amount), False, "n")


APPROVED = ApproveResult(True, "同意")


def test_an_approved_unresolved_industry_resolve_closes_unresolved() -> None:
    branch = [
        step("r", K.RESOLVE, finding()),
        step("ir", K.INDUSTRY_RESOLVE, industry(False), "r"),
        step("ap", K.APPROVE, APPROVED, "ir"),
    ]
    assert clue_outcome(branch) == (ClueOutcome.UNRESOLVED, Decimal("0.00"))


def test_an_approved_resolved_industry_resolve_closes_resolved() -> None:
    branch = [
        step("r", K.RESOLVE, finding()),
        step("ir", K.INDUSTRY_RESOLVE, industry(True, "500.00"), "r"),
        step("ap", K.APPROVE, APPROVED, "ir"),
    ]
    assert clue_outcome(branch) == (ClueOutcome.RESOLVED, Decimal("500.00"))


def test_a_later_industry_resolve_after_a_rejection_decides() -> None:
    branch = [
        step("r", K.RESOLVE, finding()),
        step("ir1", K.INDUSTRY_RESOLVE, industry(False), "r"),
        step("ap1", K.APPROVE, ApproveResult(False, "材料不全"), "ir1"),
        step("ir2", K.INDUSTRY_RESOLVE, industry(True, "100.00"), "ap1"),
        step("ap2", K.APPROVE, APPROVED, "ir2"),
    ]
    assert clue_outcome(branch)[0] is ClueOutcome.RESOLVED
    assert clue_outcome(branch[:3])[0] is ClueOutcome.UNRESOLVED  # a rejection resolves nothing


def test_a_case_filed_in_parallel_outranks_an_unresolved_approval() -> None:
    branches = [
        step("r", K.RESOLVE, finding()),
        step("ir", K.INDUSTRY_RESOLVE, industry(False), "r"),
        step("ap", K.APPROVE, APPROVED, "ir"),
        step("inv", K.INVESTIGATE, InvestigateResult(InvestigateOutcome.ORDER_ISSUED, Decimal(0), "n"), "r"),
    ]
    assert clue_outcome(branches)[0] is ClueOutcome.CASE_FILED


# --- item 2: a later step of the same branch supersedes an earlier one -------------------------


def test_a_substantiating_review_supersedes_an_unsubstantiated_verify() -> None:
    branch = [
        step("v", K.VERIFY, finding(substantiated=False)),
        step("rv", K.REVIEW, finding(), "v"),
        step("ir", K.INDUSTRY_RESOLVE, industry(False), "rv"),
        step("ap", K.APPROVE, APPROVED, "ir"),
    ]
    assert clue_outcome(branch)[0] is ClueOutcome.UNRESOLVED


def test_an_unsubstantiating_review_supersedes_a_substantiated_verify() -> None:
    branch = [
        step("v", K.VERIFY, finding(resolved=True)),
        step("rv", K.REVIEW, finding(substantiated=False), "v"),
    ]
    assert clue_outcome(branch)[0] is ClueOutcome.UNSUBSTANTIATED


def test_the_order_still_applies_across_branches() -> None:
    branches = [
        step("r", K.RESOLVE, finding()),
        step("ir", K.INDUSTRY_RESOLVE, industry(False), "r"),
        step("ap", K.APPROVE, APPROVED, "ir"),
        step(
            "inv", K.INVESTIGATE, InvestigateResult(InvestigateOutcome.UNSUBSTANTIATED, Decimal(0), "n"), "r"
        ),
        step("iinv", K.INDUSTRY_INVESTIGATE, OutcomeNote("已处罚", "n"), "r"),
        step("resp", K.RESPOND, OutcomeNote("已处置", "n")),
    ]
    # unresolved (industry branch), unsubstantiated (case branch): the stronger wins.
    assert clue_outcome(branches)[0] is ClueOutcome.UNSUBSTANTIATED


def test_steps_without_an_outcome_leave_the_earlier_one_standing() -> None:
    referred = InvestigateResult(InvestigateOutcome.CRIMINAL_REFERRAL, Decimal(0), "n")
    branch = [
        step("inv", K.INVESTIGATE, referred),
        step("cr", K.CRIMINAL, OutcomeNote("立案侦查", "n"), "inv"),
    ]
    assert clue_outcome(branch)[0] is ClueOutcome.CRIMINAL_REFERRAL


# --- item 3: the decided assignee sticks for later tasks of its role ---------------------------


def test_decisions_map_to_roles_and_the_latest_wins() -> None:
    decided = decided_assignees(
        [
            (K.INDUSTRY_RESOLVE, TRANSPORT),
            (K.RESPOND, POLICE),
            (K.RESOLVE, GOV),
            (K.INDUSTRY_RESOLVE, "330100.water"),
        ]
    )
    assert decided == {Role.INDUSTRY: "330100.water", Role.TERRITORY: GOV}


def test_a_rejected_approval_goes_back_to_the_decided_industry_agency() -> None:
    clue = facts(decided={Role.INDUSTRY: TRANSPORT})
    plans = next_tasks(clue, CompletedTask(K.APPROVE, HRSS, ApproveResult(False, "n")))
    assert pairs(plans) == [(K.INDUSTRY_RESOLVE, TRANSPORT)]
    assert "decided" in plans[0].reason


def test_an_escalated_industry_resolve_sends_industry_investigate_to_the_decided_agency() -> None:
    clue = facts(decided={Role.INDUSTRY: TRANSPORT})
    escalated = IndustryResolveResult(False, Decimal(0), True, "n")
    plans = next_tasks(clue, CompletedTask(K.INDUSTRY_RESOLVE, TRANSPORT, escalated))
    assert pairs(plans) == [(K.INVESTIGATE, HRSS), (K.INDUSTRY_INVESTIGATE, TRANSPORT)]


def test_a_review_with_industry_causes_and_a_case_uses_the_decided_agency() -> None:
    clue = facts(decided={Role.INDUSTRY: "330100.construction"})
    result = FindingResult(True, False, Decimal(0), frozenset({Cause.AFFILIATION}), True, False, "n")
    plans = next_tasks(clue, CompletedTask(K.REVIEW, HRSS, result))
    assert pairs(plans) == [
        (K.INDUSTRY_RESOLVE, "330100.construction"),
        (K.INVESTIGATE, HRSS),
        (K.INDUSTRY_INVESTIGATE, "330100.construction"),
    ]


def test_a_decision_does_not_follow_a_clue_that_moved_to_another_division() -> None:
    clue = facts(division="330127", decided={Role.INDUSTRY: TRANSPORT})
    plans = next_tasks(clue, CompletedTask(K.APPROVE, "330127.hrss", ApproveResult(False, "n")))
    assert pairs(plans) == [(K.INDUSTRY_RESOLVE, "330127.construction")]


def test_other_roles_keep_the_rules_assignees() -> None:
    clue = facts(decided={Role.INDUSTRY: TRANSPORT})
    plans = next_tasks(clue, CompletedTask(K.VERIFY, GOV, finding()))
    assert pairs(plans) == [(K.REVIEW, HRSS)]


# --- item 4: 签收 comes first --------------------------------------------------------------------


def test_an_open_task_cannot_be_completed() -> None:
    with pytest.raises(IllegalTransition) as raised:
        transition(TaskState.OPEN, "complete")
    assert raised.value.current_state == TaskState.OPEN
    assert transition(transition(TaskState.OPEN, "accept"), "complete") is TaskState.DONE


# --- item 5: a linked emergency clue still gets its respond tasks ------------------------------


def test_a_linked_emergency_clue_gets_its_respond_tasks() -> None:
    plans = joining_tasks(facts(emergency=True, flags=frozenset({"public_order"})))
    assert pairs(plans) == [(K.RESPOND, HRSS), (K.RESPOND, CONSTRUCTION), (K.RESPOND, POLICE)]
    assert all(p.reason.startswith("rule 7") and "rule 8" in p.reason for p in plans)


def test_a_linked_clue_gets_no_second_respond_for_an_agency_already_responding() -> None:
    plans = joining_tasks(facts(emergency=True), responding=frozenset({HRSS}))
    assert pairs(plans) == [(K.RESPOND, CONSTRUCTION)]


def test_a_linked_ordinary_clue_gets_no_tasks() -> None:
    assert joining_tasks(facts()) == []


def test_an_unlinked_clue_keeps_its_respond_tasks_and_gets_no_duplicates() -> None:
    plans = first_tasks(facts(emergency=True), responding=frozenset({HRSS, CONSTRUCTION}))
    assert pairs(plans) == [(K.VERIFY, GOV)]


# --- item 6: public_order alone is for police -------------------------------------------------


@pytest.mark.parametrize("source", [Source.NATIONAL, Source.POLICE110])
def test_a_public_order_clue_that_is_no_emergency_gets_police(source: Source) -> None:
    plans = first_tasks(facts(source=source, flags=frozenset({"public_order"})))
    assert pairs(plans)[1:] == [(K.RESPOND, POLICE)]
    assert "二(七)" in plans[1].reason


def test_a_linked_public_order_clue_gets_police_too() -> None:
    assert pairs(joining_tasks(facts(flags=frozenset({"public_order"})))) == [(K.RESPOND, POLICE)]
