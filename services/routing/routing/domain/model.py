"""Routing domain model: enums and frozen dataclasses. Imports only the standard library."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal, TypeAlias

CITY_DIVISION = "330100"
"""The city itself (杭州市); its agencies act across divisions and never move a clue."""

FLAG_EXTREME_INCIDENT = "extreme_incident"
FLAG_PUBLIC_ORDER = "public_order"
FLAG_MEDIA_ATTENTION = "media_attention"


class Source(StrEnum):
    """Where a clue came from (线索来源)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    POLICE110 = "police110"
    PETITION = "petition"
    OPINION = "opinion"
    ONSITE = "onsite"


class AgencyKind(StrEnum):
    """The kind of an agency; an agency id is `<division>.<kind>`."""

    GOV = "gov"
    OFFICE = "office"
    HRSS = "hrss"
    CONSTRUCTION = "construction"
    TRANSPORT = "transport"
    WATER = "water"
    POLICE = "police"
    PETITION = "petition"
    DRC = "drc"
    FINANCE = "finance"
    HOUSING = "housing"
    POLITLEGAL = "politlegal"


class TaskKind(StrEnum):
    """One agency's step on one clue."""

    VERIFY = "verify"  # 属地核查
    REVIEW = "review"  # 复核
    RESOLVE = "resolve"  # 组织处置化解
    INDUSTRY_RESOLVE = "industry_resolve"  # 核查化解
    APPROVE = "approve"  # 审核
    INVESTIGATE = "investigate"  # 立案查处
    INDUSTRY_INVESTIGATE = "industry_investigate"  # 一案双查
    CRIMINAL = "criminal"  # 侦办
    RESPOND = "respond"  # 应急处置


class TaskState(StrEnum):
    """A task is `open`, then `accepted` (签收), then `done`; or `returned`."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DONE = "done"
    RETURNED = "returned"

    @property
    def unfinished(self) -> bool:
        """True while the task is `open` or `accepted`."""
        return self in (TaskState.OPEN, TaskState.ACCEPTED)


TaskAction: TypeAlias = Literal["accept", "complete", "return"]


class Role(StrEnum):
    """Whose step a task kind is; an office's dispute decision sticks to the role (rule 6)."""

    TERRITORY = "territory"  # 属地: verify, resolve
    HRSS = "hrss"  # review, approve, investigate
    INDUSTRY = "industry"  # 行业主管部门: industry_resolve, industry_investigate
    POLICE = "police"  # criminal


ROLE_OF_KIND: dict[TaskKind, Role] = {
    TaskKind.VERIFY: Role.TERRITORY,
    TaskKind.RESOLVE: Role.TERRITORY,
    TaskKind.REVIEW: Role.HRSS,
    TaskKind.APPROVE: Role.HRSS,
    TaskKind.INVESTIGATE: Role.HRSS,
    TaskKind.INDUSTRY_RESOLVE: Role.INDUSTRY,
    TaskKind.INDUSTRY_INVESTIGATE: Role.INDUSTRY,
    TaskKind.CRIMINAL: Role.POLICE,
}
"""`respond` has no role: its responders are several kinds of agency at once (rule 7)."""


class ProjectKind(StrEnum):
    """The kind of project the wages were earned on; it decides the industry authority."""

    BUILDING = "building"
    MUNICIPAL = "municipal"
    TRANSPORT = "transport"
    WATER = "water"
    OTHER = "other"
    NONE = "none"


class Cause(StrEnum):
    """A cause of the arrears found by a verify, review or resolve."""

    REAL_NAME = "real_name"  # 实名制管理缺失
    ILLEGAL_CONTRACTING = "illegal_contracting"  # 违法发包
    ILLEGAL_SUBCONTRACTING = "illegal_subcontracting"  # 违法分包
    SUBCONTRACT_TRANSFER = "subcontract_transfer"  # 转包
    AFFILIATION = "affiliation"  # 挂靠
    FUNDS_SHORTAGE = "funds_shortage"
    DISPUTE_OVER_AMOUNT = "dispute_over_amount"
    OTHER = "other"


INDUSTRY_CAUSES: frozenset[Cause] = frozenset(
    {
        Cause.REAL_NAME,
        Cause.ILLEGAL_CONTRACTING,
        Cause.ILLEGAL_SUBCONTRACTING,
        Cause.SUBCONTRACT_TRANSFER,
        Cause.AFFILIATION,
    }
)
"""Causes that send a clue to the project's industry authority (rule 2(b))."""


class InvestigateOutcome(StrEnum):
    """Outcome of an `investigate` (立案查处) by HR&SS."""

    PAID = "paid"
    ORDER_ISSUED = "order_issued"
    PENALTY = "penalty"
    CRIMINAL_REFERRAL = "criminal_referral"  # 移送涉嫌拒不支付劳动报酬罪
    CREDIT_REFERRAL = "credit_referral"  # 信用联合惩戒
    UNSUBSTANTIATED = "unsubstantiated"


class ClueOutcome(StrEnum):
    """Final outcome of a clue, declared strongest first (rule 5)."""

    CRIMINAL_REFERRAL = "criminal_referral"
    CASE_FILED = "case_filed"
    RESOLVED = "resolved"
    UNSUBSTANTIATED = "unsubstantiated"
    UNRESOLVED = "unresolved"

    @property
    def rank(self) -> int:
        """0 for the strongest outcome; a smaller rank wins."""
        return list(ClueOutcome).index(self)


class ClueStatus(StrEnum):
    """Status reported back to the source (规范反馈)."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ClueFacts:
    """What the rules need to know about a clue (线索). `division` is its current division.

    `decided` is the assignee an office decided for a role in a dispute; the latest decision.
    """

    clue_id: str
    source: Source
    division: str
    project_kind: ProjectKind | None
    emergency: bool
    flags: frozenset[str]
    decided: Mapping[Role, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TaskPlan:
    """A task to create: its kind, the assignee, and why it was assigned there."""

    kind: TaskKind
    agency_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class FindingResult:
    """Completion of a `verify`, `review` or `resolve`."""

    substantiated: bool
    resolved: bool
    amount_paid: Decimal
    causes: frozenset[Cause]
    needs_case: bool
    escalate: bool
    note: str


@dataclass(frozen=True, slots=True)
class IndustryResolveResult:
    """Completion of an `industry_resolve`."""

    resolved: bool
    amount_paid: Decimal
    escalate: bool
    note: str


@dataclass(frozen=True, slots=True)
class ApproveResult:
    """Completion of an `approve`."""

    approved: bool
    note: str


@dataclass(frozen=True, slots=True)
class InvestigateResult:
    """Completion of an `investigate`."""

    outcome: InvestigateOutcome
    amount_paid: Decimal
    note: str


@dataclass(frozen=True, slots=True)
class OutcomeNote:
    """Completion of an `industry_investigate`, `criminal` or `respond`; `outcome` is free text."""

    outcome: str
    note: str


TaskResult: TypeAlias = (
    FindingResult | IndustryResolveResult | ApproveResult | InvestigateResult | OutcomeNote
)

RESULT_TYPE: dict[TaskKind, type[TaskResult]] = {
    TaskKind.VERIFY: FindingResult,
    TaskKind.REVIEW: FindingResult,
    TaskKind.RESOLVE: FindingResult,
    TaskKind.INDUSTRY_RESOLVE: IndustryResolveResult,
    TaskKind.APPROVE: ApproveResult,
    TaskKind.INVESTIGATE: InvestigateResult,
    TaskKind.INDUSTRY_INVESTIGATE: OutcomeNote,
    TaskKind.CRIMINAL: OutcomeNote,
    TaskKind.RESPOND: OutcomeNote,
}
"""The completion payload each task kind takes."""


@dataclass(frozen=True, slots=True)
class CompletedTask:
    """A task that is `done`, with the result its agency reported.

    `created_by` is the task whose completion created this one: the previous step of its branch.
    """

    kind: TaskKind
    agency_id: str
    result: TaskResult
    task_id: str = ""
    created_by: str | None = None
