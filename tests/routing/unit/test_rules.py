"""Table tests for routing rules 1-7 and the task state machine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.domain.agencies import DIVISIONS, division_of, is_known_agency
from routing.domain.errors import (
    IllegalTransition,
    MustEscalate,
    NoIndustryAuthorityError,
    ResultMismatchError,
    UnknownAgencyError,
    UnknownDivisionError,
)
from routing.domain.model import (
    CITY_DIVISION,
    INDUSTRY_CAUSES,
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
    Source,
    TaskAction,
    TaskKind,
    TaskPlan,
    TaskResult,
    TaskState,
)
from routing.domain.rules import (
    can_close,
    clue_outcome,
    decision_moves_clue,
    dispute_arbiter,
    emergency_recipients,
    first_tasks,
    industry_authority,
    next_tasks,
    opinion_alert_recipients,
    transition,
)

pytestmark = pytest.mark.unit

D = "330106"
K = TaskKind
S = TaskState


def clue(
    *,
    source: Source = Source.CITY,
    division: str = D,
    project_kind: ProjectKind | None = ProjectKind.BUILDING,
    emergency: bool = False,
    flags: frozenset[str] = frozenset(),
) -> ClueFacts:
    return ClueFacts("c1", source, division, project_kind, emergency, flags)


def finding(
    *,
    substantiated: bool = True,
    resolved: bool = False,
    amount_paid: str = "0.00",
    causes: frozenset[Cause] = frozenset(),
    needs_case: bool = False,
    escalate: bool = False,
) -> FindingResult:
    return FindingResult(substantiated, resolved, Decimal(amount_paid), causes, needs_case, escalate, "n")


def done(kind: TaskKind, result: TaskResult, agency_id: str = f"{D}.gov") -> CompletedTask:
    return CompletedTask(kind, agency_id, result)


def kinds_and_agencies(plans: list[TaskPlan]) -> list[tuple[TaskKind, str]]:
    return [(p.kind, p.agency_id) for p in plans]


REAL_NAME = frozenset({Cause.REAL_NAME})
FUNDS = frozenset({Cause.FUNDS_SHORTAGE})


# --- industry authority ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("project_kind", "expected"),
    [
        (ProjectKind.BUILDING, f"{D}.construction"),
        (ProjectKind.MUNICIPAL, f"{D}.construction"),
        (ProjectKind.TRANSPORT, f"{D}.transport"),
        (ProjectKind.WATER, f"{D}.water"),
        (ProjectKind.OTHER, None),
        (ProjectKind.NONE, None),
        (None, None),
    ],
)
def test_industry_authority_by_project_kind(project_kind: ProjectKind | None, expected: str | None) -> None:
    assert industry_authority(D, project_kind) == expected


def test_industry_authority_rejects_unknown_division() -> None:
    with pytest.raises(UnknownDivisionError):
        industry_authority("999999", ProjectKind.BUILDING)


# --- rule 1 and rule 7: first tasks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (Source.NATIONAL, (K.VERIFY, f"{D}.gov")),
        (Source.PROVINCIAL, (K.VERIFY, f"{D}.gov")),
        (Source.CITY, (K.RESOLVE, f"{D}.gov")),
        (Source.POLICE110, (K.RESOLVE, f"{D}.gov")),
        (Source.PETITION, (K.RESOLVE, f"{D}.gov")),
        (Source.OPINION, (K.RESOLVE, f"{D}.gov")),
        (Source.ONSITE, (K.RESOLVE, f"{D}.gov")),
    ],
)
def test_rule1_first_task_by_source(source: Source, expected: tuple[TaskKind, str]) -> None:
    plans = first_tasks(clue(source=source))
    assert kinds_and_agencies(plans) == [expected]
    assert plans[0].reason.startswith("rule 1:")


@pytest.mark.parametrize(
    ("project_kind", "flags", "responders"),
    [
        (ProjectKind.BUILDING, frozenset(), [f"{D}.hrss", f"{D}.construction"]),
        (ProjectKind.WATER, frozenset(), [f"{D}.hrss", f"{D}.water"]),
        (ProjectKind.OTHER, frozenset(), [f"{D}.hrss"]),
        (None, frozenset(), [f"{D}.hrss"]),
        (ProjectKind.TRANSPORT, frozenset({"public_order"}), [f"{D}.hrss", f"{D}.transport", f"{D}.police"]),
        (ProjectKind.NONE, frozenset({"public_order", "extreme_incident"}), [f"{D}.hrss", f"{D}.police"]),
    ],
)
def test_rule7_emergency_adds_respond_tasks(
    project_kind: ProjectKind | None, flags: frozenset[str], responders: list[str]
) -> None:
    plans = first_tasks(clue(source=Source.POLICE110, project_kind=project_kind, emergency=True, flags=flags))
    assert kinds_and_agencies(plans) == [(K.RESOLVE, f"{D}.gov"), *((K.RESPOND, a) for a in responders)]
    assert all(p.reason.startswith("rule 7:") for p in plans[1:])


def test_rule7_no_respond_tasks_without_emergency() -> None:
    plans = first_tasks(clue(flags=frozenset({"media_attention"})))
    assert [p.kind for p in plans] == [K.RESOLVE]


@pytest.mark.parametrize("division", ["330100", "999999", ""])
def test_first_tasks_rejects_a_division_outside_the_13(division: str) -> None:
    with pytest.raises(UnknownDivisionError):
        first_tasks(clue(division=division))


# --- rule 1: verify -> review ---------------------------------------------------------------------


@pytest.mark.parametrize("substantiated", [True, False])
def test_rule1_verify_done_creates_review_for_hrss(substantiated: bool) -> None:
    plans = next_tasks(
        clue(source=Source.NATIONAL), done(K.VERIFY, finding(substantiated=substantiated, causes=REAL_NAME))
    )
    assert kinds_and_agencies(plans) == [(K.REVIEW, f"{D}.hrss")]


# --- rule 2: outcome of review or resolve ---------------------------------------------------------

C, HRSS, GOV = f"{D}.construction", f"{D}.hrss", f"{D}.gov"
IR, INV, IINV, RES = K.INDUSTRY_RESOLVE, K.INVESTIGATE, K.INDUSTRY_INVESTIGATE, K.RESOLVE

RULE2_CASES = [
    # (id, kind, project_kind, finding, expected plans, expected rule tag)
    (
        "a-review",
        K.REVIEW,
        ProjectKind.BUILDING,
        finding(substantiated=False, causes=REAL_NAME, needs_case=True),
        [],
        None,
    ),
    ("a-resolve", K.RESOLVE, ProjectKind.BUILDING, finding(substantiated=False, escalate=True), [], None),
    ("b-review", K.REVIEW, ProjectKind.BUILDING, finding(causes=REAL_NAME), [(IR, C)], "rule 2(b)"),
    ("b-resolve", K.RESOLVE, ProjectKind.MUNICIPAL, finding(causes=REAL_NAME), [(IR, C)], "rule 2(b)"),
    (
        "b-transport",
        K.REVIEW,
        ProjectKind.TRANSPORT,
        finding(causes=frozenset({Cause.AFFILIATION, Cause.FUNDS_SHORTAGE})),
        [(IR, f"{D}.transport")],
        "rule 2(b)",
    ),
    (
        "b-not-when-resolved",
        K.REVIEW,
        ProjectKind.BUILDING,
        finding(resolved=True, causes=REAL_NAME),
        [],
        None,
    ),
    (
        "c-review-needs_case",
        K.REVIEW,
        ProjectKind.OTHER,
        finding(needs_case=True),
        [(INV, HRSS)],
        "rule 2(c)",
    ),
    (
        "c-resolve-needs_case",
        K.RESOLVE,
        ProjectKind.OTHER,
        finding(needs_case=True),
        [(INV, HRSS)],
        "rule 2(c)",
    ),
    ("c-resolve-escalate", K.RESOLVE, ProjectKind.NONE, finding(escalate=True), [(INV, HRSS)], "rule 2(c)"),
    (
        "c-resolve-escalate-after-resolution",
        K.RESOLVE,
        ProjectKind.BUILDING,
        finding(resolved=True, escalate=True, causes=REAL_NAME),
        [(INV, HRSS), (IINV, C)],
        "rule 2(c)",
    ),
    (
        "c-review-needs_case-dual",
        K.REVIEW,
        ProjectKind.WATER,
        finding(resolved=True, needs_case=True, causes=frozenset({Cause.ILLEGAL_SUBCONTRACTING})),
        [(INV, HRSS), (IINV, f"{D}.water")],
        "rule 2(c)",
    ),
    (
        "b-and-c",
        K.RESOLVE,
        ProjectKind.BUILDING,
        finding(needs_case=True, causes=REAL_NAME),
        [(IR, C), (INV, HRSS), (IINV, C)],
        "rule 2(b)",
    ),
    (
        "c-industry-causes-without-authority",
        K.REVIEW,
        ProjectKind.OTHER,
        finding(needs_case=True, causes=REAL_NAME),
        [(INV, HRSS)],
        "rule 2(c)",
    ),
    ("e-review", K.REVIEW, ProjectKind.BUILDING, finding(causes=FUNDS), [(RES, GOV)], "rule 2(e)"),
    (
        "e-review-escalate-is-not-c",
        K.REVIEW,
        ProjectKind.BUILDING,
        finding(escalate=True),
        [(RES, GOV)],
        "rule 2(e)",
    ),
    (
        "e-review-industry-causes-no-authority",
        K.REVIEW,
        None,
        finding(causes=REAL_NAME),
        [(RES, GOV)],
        "rule 2(e)",
    ),
    ("f-review-resolved", K.REVIEW, ProjectKind.BUILDING, finding(resolved=True, causes=FUNDS), [], None),
    ("f-resolve-resolved", K.RESOLVE, ProjectKind.BUILDING, finding(resolved=True), [], None),
    (
        "f-review-resolved-escalate",
        K.REVIEW,
        ProjectKind.OTHER,
        finding(resolved=True, escalate=True),
        [],
        None,
    ),
]


@pytest.mark.parametrize(
    ("kind", "project_kind", "result", "expected", "tag"),
    [pytest.param(*case[1:], id=str(case[0])) for case in RULE2_CASES],
)
def test_rule2_outcome_of_review_or_resolve(
    kind: TaskKind,
    project_kind: ProjectKind | None,
    result: FindingResult,
    expected: list[tuple[TaskKind, str]],
    tag: str | None,
) -> None:
    plans = next_tasks(clue(project_kind=project_kind), done(kind, result))
    assert kinds_and_agencies(plans) == expected
    if tag is not None:
        assert plans[0].reason.startswith(tag)


def test_rule2b_reason_names_causes_project_and_agency() -> None:
    plans = next_tasks(clue(), done(K.REVIEW, finding(causes=REAL_NAME | FUNDS)))
    assert plans[0].reason == f"rule 2(b): causes real_name on a building project -> {C}"


@pytest.mark.parametrize(
    "result",
    [
        pytest.param(finding(), id="no-causes"),
        pytest.param(finding(causes=FUNDS), id="non-industry-causes"),
        pytest.param(finding(causes=REAL_NAME), id="industry-causes-no-authority"),
        pytest.param(finding(amount_paid="100.00"), id="partly-paid"),
    ],
)
@pytest.mark.parametrize("project_kind", [ProjectKind.OTHER, ProjectKind.NONE, None])
def test_rule2d_unresolved_resolve_must_escalate(
    result: FindingResult, project_kind: ProjectKind | None
) -> None:
    with pytest.raises(MustEscalate, match="must escalate"):
        next_tasks(clue(project_kind=project_kind), done(K.RESOLVE, result))


def test_rule2d_does_not_apply_when_b_creates_a_task() -> None:
    plans = next_tasks(clue(), done(K.RESOLVE, finding(causes=REAL_NAME)))
    assert kinds_and_agencies(plans) == [(IR, C)]


# --- rule 3: after industry_resolve ---------------------------------------------------------------


def industry_resolved(*, resolved: bool = True, escalate: bool = False) -> IndustryResolveResult:
    return IndustryResolveResult(resolved, Decimal("10.00"), escalate, "n")


@pytest.mark.parametrize(
    ("project_kind", "result", "expected"),
    [
        (ProjectKind.BUILDING, industry_resolved(), [(K.APPROVE, HRSS)]),
        (ProjectKind.BUILDING, industry_resolved(resolved=False), [(K.APPROVE, HRSS)]),
        (ProjectKind.BUILDING, industry_resolved(escalate=True), [(INV, HRSS), (IINV, C)]),
        (
            ProjectKind.TRANSPORT,
            industry_resolved(resolved=False, escalate=True),
            [(INV, HRSS), (IINV, f"{D}.transport")],
        ),
        (ProjectKind.OTHER, industry_resolved(escalate=True), [(INV, HRSS)]),
    ],
)
def test_rule3_after_industry_resolve(
    project_kind: ProjectKind, result: IndustryResolveResult, expected: list[tuple[TaskKind, str]]
) -> None:
    plans = next_tasks(clue(project_kind=project_kind), done(K.INDUSTRY_RESOLVE, result, C))
    assert kinds_and_agencies(plans) == expected
    assert all(p.reason.startswith("rule 3:") for p in plans)


@pytest.mark.parametrize(
    ("approved", "project_kind", "expected"),
    [
        (True, ProjectKind.BUILDING, []),
        (False, ProjectKind.BUILDING, [(IR, C)]),
        (False, ProjectKind.WATER, [(IR, f"{D}.water")]),
    ],
)
def test_rule3_approve(
    approved: bool, project_kind: ProjectKind, expected: list[tuple[TaskKind, str]]
) -> None:
    plans = next_tasks(clue(project_kind=project_kind), done(K.APPROVE, ApproveResult(approved, "n"), HRSS))
    assert kinds_and_agencies(plans) == expected


def test_rule3_rejected_approve_without_industry_authority_is_an_error() -> None:
    with pytest.raises(NoIndustryAuthorityError):
        next_tasks(clue(project_kind=ProjectKind.OTHER), done(K.APPROVE, ApproveResult(False, "n"), HRSS))


# --- rule 4 and the branch ends -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (InvestigateOutcome.CRIMINAL_REFERRAL, [(K.CRIMINAL, f"{D}.police")]),
        (InvestigateOutcome.PAID, []),
        (InvestigateOutcome.ORDER_ISSUED, []),
        (InvestigateOutcome.PENALTY, []),
        (InvestigateOutcome.CREDIT_REFERRAL, []),
        (InvestigateOutcome.UNSUBSTANTIATED, []),
    ],
)
def test_rule4_criminal_referral(outcome: InvestigateOutcome, expected: list[tuple[TaskKind, str]]) -> None:
    result = InvestigateResult(outcome, Decimal("0.00"), "n")
    assert kinds_and_agencies(next_tasks(clue(), done(K.INVESTIGATE, result, HRSS))) == expected


@pytest.mark.parametrize("kind", [K.INDUSTRY_INVESTIGATE, K.CRIMINAL, K.RESPOND])
def test_outcome_note_tasks_create_nothing(kind: TaskKind) -> None:
    assert next_tasks(clue(), done(kind, OutcomeNote("handled", "n"))) == []


@pytest.mark.parametrize(
    ("kind", "result"),
    [
        (K.VERIFY, OutcomeNote("x", "n")),
        (K.REVIEW, ApproveResult(True, "n")),
        (K.RESOLVE, industry_resolved()),
        (K.INDUSTRY_RESOLVE, finding()),
        (K.APPROVE, finding()),
        (K.INVESTIGATE, OutcomeNote("paid", "n")),
        (K.INDUSTRY_INVESTIGATE, InvestigateResult(InvestigateOutcome.PAID, Decimal(0), "n")),
        (K.CRIMINAL, finding()),
        (K.RESPOND, ApproveResult(True, "n")),
    ],
)
def test_wrong_payload_for_the_kind_is_an_error(kind: TaskKind, result: TaskResult) -> None:
    with pytest.raises(ResultMismatchError, match=f"a {kind} task"):
        next_tasks(clue(), done(kind, result))


# --- rule 5: outcome and closing ------------------------------------------------------------------


def investigated(outcome: InvestigateOutcome, amount: str = "0.00") -> CompletedTask:
    return done(K.INVESTIGATE, InvestigateResult(outcome, Decimal(amount), "n"), HRSS)


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        pytest.param([], (ClueOutcome.UNRESOLVED, Decimal("0.00")), id="nothing"),
        pytest.param(
            [done(K.RESOLVE, finding(substantiated=False))],
            (ClueOutcome.UNSUBSTANTIATED, Decimal("0.00")),
            id="unsubstantiated",
        ),
        pytest.param(
            [done(K.RESOLVE, finding(substantiated=False, resolved=True, amount_paid="5"))],
            (ClueOutcome.UNSUBSTANTIATED, Decimal("5.00")),
            id="unsubstantiated-ignores-resolved",
        ),
        pytest.param(
            [done(K.RESPOND, OutcomeNote("calmed", "n")), done(K.APPROVE, ApproveResult(False, "n"))],
            (ClueOutcome.UNRESOLVED, Decimal("0.00")),
            id="unresolved",
        ),
        pytest.param(
            [
                done(K.VERIFY, finding(substantiated=False)),
                done(K.REVIEW, finding(resolved=True, amount_paid="1000.10")),
            ],
            (ClueOutcome.RESOLVED, Decimal("1000.10")),
            id="resolved-beats-unsubstantiated",
        ),
        pytest.param(
            [done(K.INDUSTRY_RESOLVE, industry_resolved(resolved=True))],
            (ClueOutcome.RESOLVED, Decimal("10.00")),
            id="industry-resolved",
        ),
        pytest.param(
            [
                done(K.INDUSTRY_RESOLVE, industry_resolved(resolved=False)),
                done(K.APPROVE, ApproveResult(True, "n")),
            ],
            (ClueOutcome.UNRESOLVED, Decimal("10.00")),
            id="approved-but-unresolved",
        ),
        pytest.param(
            [investigated(InvestigateOutcome.UNSUBSTANTIATED)],
            (ClueOutcome.UNSUBSTANTIATED, Decimal("0.00")),
            id="investigate-unsubstantiated",
        ),
        *(
            pytest.param(
                [done(K.RESOLVE, finding(resolved=True, amount_paid="0.10")), investigated(o, "0.20")],
                (ClueOutcome.CASE_FILED, Decimal("0.30")),
                id=f"case-filed-{o}",
            )
            for o in (
                InvestigateOutcome.PAID,
                InvestigateOutcome.ORDER_ISSUED,
                InvestigateOutcome.PENALTY,
                InvestigateOutcome.CREDIT_REFERRAL,
            )
        ),
        pytest.param(
            [
                investigated(InvestigateOutcome.CRIMINAL_REFERRAL, "1.5"),
                done(K.CRIMINAL, OutcomeNote("detained", "n")),
                investigated(InvestigateOutcome.PAID, "86000"),
                done(K.INDUSTRY_RESOLVE, industry_resolved()),
            ],
            (ClueOutcome.CRIMINAL_REFERRAL, Decimal("86011.50")),
            id="criminal-referral-strongest",
        ),
    ],
)
def test_rule5_clue_outcome(completed: list[CompletedTask], expected: tuple[ClueOutcome, Decimal]) -> None:
    outcome, amount = clue_outcome(completed)
    assert (outcome, amount) == expected
    assert isinstance(amount, Decimal)
    assert str(amount) == str(expected[1])


def test_rule5_outcomes_are_declared_strongest_first() -> None:
    assert list(ClueOutcome) == sorted(ClueOutcome, key=lambda o: o.rank)
    assert [o.value for o in ClueOutcome] == [
        "criminal_referral",
        "case_filed",
        "resolved",
        "unsubstantiated",
        "unresolved",
    ]


@pytest.mark.parametrize(
    ("states", "pending_disputes", "expected"),
    [
        ([], 0, True),
        ([S.DONE, S.RETURNED], 0, True),
        ([S.DONE, S.OPEN], 0, False),
        ([S.ACCEPTED], 0, False),
        ([S.DONE], 1, False),
        ([S.RETURNED], 2, False),
    ],
)
def test_rule5_can_close(states: list[TaskState], pending_disputes: int, expected: bool) -> None:
    assert can_close(iter(states), pending_disputes) is expected


def test_rule5_negative_dispute_count_is_a_bug() -> None:
    with pytest.raises(ValueError, match="pending_disputes"):
        can_close([], -1)


@pytest.mark.parametrize(
    ("state", "unfinished"), [(S.OPEN, True), (S.ACCEPTED, True), (S.DONE, False), (S.RETURNED, False)]
)
def test_task_state_unfinished(state: TaskState, unfinished: bool) -> None:
    assert state.unfinished is unfinished


# --- rule 6: disputes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suggested", "arbiter"),
    [
        (None, f"{D}.office"),
        (f"{D}.transport", f"{D}.office"),
        (f"{D}.office", f"{D}.office"),
        ("330110.gov", "330100.office"),
        ("330100.construction", "330100.office"),
    ],
)
def test_rule6_dispute_arbiter(suggested: str | None, arbiter: str) -> None:
    assert dispute_arbiter(D, suggested).arbiter == arbiter


@pytest.mark.parametrize(
    ("returns", "arbiter"), [(1, f"{D}.office"), (2, f"{D}.office"), (3, "330100.office")]
)
def test_rule6_a_task_returned_too_often_goes_to_the_city_office(returns: int, arbiter: str) -> None:
    arbitration = dispute_arbiter(D, None, returns=returns, max_returns=2)
    assert arbitration.arbiter == arbiter
    assert ("more than 2" in arbitration.why) is (returns > 2)


def test_rule6_unknown_suggested_agency_is_an_error() -> None:
    with pytest.raises(UnknownAgencyError):
        dispute_arbiter(D, "330106.nobody")


@pytest.mark.parametrize(
    ("assignee", "moves_to"),
    [
        (f"{D}.water", None),
        ("330100.construction", None),
        ("330100.office", None),
        ("330182.gov", "330182"),
        ("330102.hrss", "330102"),
    ],
)
def test_rule6_decision_moves_clue(assignee: str, moves_to: str | None) -> None:
    assert decision_moves_clue(D, assignee) == moves_to


def test_rule6_unknown_assignee_is_an_error() -> None:
    with pytest.raises(UnknownAgencyError):
        decision_moves_clue(D, "330199.gov")


# --- rule 7: notices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("project_kind", "emergency", "expected"),
    [
        (
            ProjectKind.BUILDING,
            True,
            [f"{D}.office", f"{D}.hrss", f"{D}.gov", f"{D}.construction", "330100.office"],
        ),
        (
            ProjectKind.TRANSPORT,
            True,
            [f"{D}.office", f"{D}.hrss", f"{D}.gov", f"{D}.transport", "330100.office"],
        ),
        (ProjectKind.OTHER, True, [f"{D}.office", f"{D}.hrss", f"{D}.gov", "330100.office"]),
        (None, True, [f"{D}.office", f"{D}.hrss", f"{D}.gov", "330100.office"]),
        (ProjectKind.BUILDING, False, []),
    ],
)
def test_rule7_emergency_recipients(
    project_kind: ProjectKind | None, emergency: bool, expected: list[str]
) -> None:
    assert emergency_recipients(clue(project_kind=project_kind, emergency=emergency)) == expected


@pytest.mark.parametrize(
    ("source", "flags", "expected"),
    [
        (Source.OPINION, frozenset(), [f"{D}.office"]),
        (Source.CITY, frozenset({"media_attention"}), [f"{D}.office"]),
        (Source.OPINION, frozenset({"media_attention"}), [f"{D}.office"]),
        (Source.CITY, frozenset({"public_order"}), []),
        (Source.NATIONAL, frozenset(), []),
    ],
)
def test_rule7_opinion_alert_recipients(source: Source, flags: frozenset[str], expected: list[str]) -> None:
    assert opinion_alert_recipients(clue(source=source, flags=flags)) == expected


# --- task state machine ---------------------------------------------------------------------------

TRANSITIONS: list[tuple[TaskState, TaskAction, TaskState | None]] = [
    (S.OPEN, "accept", S.ACCEPTED),
    (S.OPEN, "complete", None),
    (S.OPEN, "return", S.RETURNED),
    (S.ACCEPTED, "accept", None),
    (S.ACCEPTED, "complete", S.DONE),
    (S.ACCEPTED, "return", S.RETURNED),
    (S.DONE, "accept", None),
    (S.DONE, "complete", None),
    (S.DONE, "return", None),
    (S.RETURNED, "accept", None),
    (S.RETURNED, "complete", None),
    (S.RETURNED, "return", None),
]


def test_state_table_covers_every_state_and_action() -> None:
    assert {(s, a) for s, a, _ in TRANSITIONS} == {
        (s, a) for s in S for a in ("accept", "complete", "return")
    }


@pytest.mark.parametrize(("state", "action", "after"), TRANSITIONS)
def test_transition(state: TaskState, action: TaskAction, after: TaskState | None) -> None:
    if after is not None:
        assert transition(state, action) is after
        return
    with pytest.raises(IllegalTransition) as raised:
        transition(state, action)
    assert raised.value.current_state == state
    assert state in str(raised.value)


# --- property: assignees stay in the clue's division ----------------------------------------------

clues = st.builds(
    ClueFacts,
    clue_id=st.just("c1"),
    source=st.sampled_from(Source),
    division=st.sampled_from(sorted(DIVISIONS)),
    project_kind=st.none() | st.sampled_from(ProjectKind),
    emergency=st.booleans(),
    flags=st.frozensets(st.sampled_from(["extreme_incident", "public_order", "media_attention"])),
)
amounts = st.decimals(min_value=0, max_value=10**7, places=2)
findings = st.builds(
    FindingResult,
    substantiated=st.booleans(),
    resolved=st.booleans(),
    amount_paid=amounts,
    causes=st.frozensets(st.sampled_from(Cause)),
    needs_case=st.booleans(),
    escalate=st.booleans(),
    note=st.text(max_size=5),
)
results_by_kind: dict[TaskKind, st.SearchStrategy[TaskResult]] = {
    K.VERIFY: findings,
    K.REVIEW: findings,
    K.RESOLVE: findings,
    K.INDUSTRY_RESOLVE: st.builds(
        IndustryResolveResult, st.booleans(), amounts, st.booleans(), st.text(max_size=5)
    ),
    K.APPROVE: st.builds(ApproveResult, st.booleans(), st.text(max_size=5)),
    K.INVESTIGATE: st.builds(
        InvestigateResult, st.sampled_from(InvestigateOutcome), amounts, st.text(max_size=5)
    ),
    K.INDUSTRY_INVESTIGATE: st.builds(OutcomeNote, st.text(max_size=5), st.text(max_size=5)),
    K.CRIMINAL: st.builds(OutcomeNote, st.text(max_size=5), st.text(max_size=5)),
    K.RESPOND: st.builds(OutcomeNote, st.text(max_size=5), st.text(max_size=5)),
}
completions = st.sampled_from(TaskKind).flatmap(
    lambda kind: results_by_kind[kind].map(lambda result: CompletedTask(kind, "330100.office", result))
)


def assert_stays_in_division(facts: ClueFacts, plans: list[TaskPlan]) -> None:
    for plan in plans:
        assert is_known_agency(plan.agency_id)
        assert division_of(plan.agency_id) in (facts.division, CITY_DIVISION)
        assert plan.reason.strip()


@given(facts=clues, completed=completions)
def test_next_tasks_stay_in_the_clues_division_and_give_a_reason(
    facts: ClueFacts, completed: CompletedTask
) -> None:
    try:
        plans = next_tasks(facts, completed)
    except (MustEscalate, NoIndustryAuthorityError):
        return
    assert_stays_in_division(facts, plans)


@given(facts=clues)
def test_first_tasks_stay_in_the_clues_division_and_give_a_reason(facts: ClueFacts) -> None:
    plans = first_tasks(facts)
    assert_stays_in_division(facts, plans)
    assert plans[0].kind in (K.VERIFY, K.RESOLVE)


@given(facts=clues, result=findings)
def test_must_escalate_only_for_an_unresolved_substantiated_resolve(
    facts: ClueFacts, result: FindingResult
) -> None:
    try:
        next_tasks(facts, CompletedTask(K.RESOLVE, f"{facts.division}.gov", result))
    except MustEscalate:
        assert result.substantiated
        assert not result.resolved
        assert not result.needs_case
        assert not result.escalate
        has_authority = industry_authority(facts.division, facts.project_kind) is not None
        assert not (has_authority and result.causes & INDUSTRY_CAUSES)
