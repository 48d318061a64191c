"""Which deadline rules start for a clue or a task, and which settle on what. Pure.

The rules themselves are policy (settings.py builds a :class:`Policy`): statutory periods on a clue
(``transfer_7d``, ``industry_15d``, ``overall``) and per-task limits (e.g. ``acceptance_1wd``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from deadlines.domain.matter import (
    INDUSTRY,
    INDUSTRY_TASK,
    TRANSFER,
    MatterClue,
    industry_period_clues,
    receipt_rules,
)
from deadlines.domain.model import Limit
from deadlines.domain.periods import CountingMode

#: The rule a clue's closing meets; every other open deadline of the clue is then cancelled.
OVERALL = "overall"


@dataclass(frozen=True)
class ClueRule:
    """A statutory period on a clue of the listed sources, in days of a counting mode."""

    days: int
    sources: Sequence[str]
    mode: CountingMode = CountingMode.CALENDAR_DAYS
    days_by_source: Mapping[str, int] = field(default_factory=dict)

    def limit_for(self, source: str) -> Limit:
        return Limit(days=self.days_by_source.get(source, self.days), mode=self.mode)


@dataclass(frozen=True)
class TaskRule:
    """A per-task limit started at assignment and met when the task reaches ``until``."""

    until: str
    task_kinds: Sequence[str] | None = None  # None: every kind
    working_days: int | None = None
    hours: int | None = None

    def applies_to(self, kind: str) -> bool:
        return self.task_kinds is None or kind in self.task_kinds

    @property
    def limit(self) -> Limit:
        return Limit(days=self.working_days, mode=CountingMode.WORKING_DAYS, hours=self.hours)

    def reached_by(self, state: str) -> bool:
        """A task done is past acceptance too."""
        return state == self.until or (self.until == "accepted" and state == "done")


@dataclass(frozen=True)
class Policy:
    clue_rules: Mapping[str, ClueRule]
    task_rules: Mapping[str, TaskRule]
    warning_working_days: Sequence[int] = (1,)
    escalation_days: Mapping[str, int] = field(default_factory=dict)

    @property
    def rule_names(self) -> list[str]:
        return [*self.clue_rules, *self.task_rules]


def receipt_limits(policy: Policy, source: str) -> list[tuple[str, Limit]]:
    """Rules that start at receipt for a clue of ``source``, linked or not (``industry_15d`` starts later)."""
    sources = {rule: spec.sources for rule, spec in policy.clue_rules.items()}
    return [(rule, policy.clue_rules[rule].limit_for(source)) for rule in receipt_rules(source, sources)]


def industry_limits(policy: Policy, matter: Sequence[MatterClue]) -> list[tuple[str, Limit]]:
    """Per clue of the matter, the ``industry_15d`` it gets when the industry task is created."""
    spec = policy.clue_rules.get(INDUSTRY)
    if spec is None:
        return []
    sources = {clue.clue_id: clue.source for clue in matter}
    return [(c, spec.limit_for(sources[c])) for c in industry_period_clues(matter, spec.sources)]


def task_limits(policy: Policy, kind: str) -> list[tuple[str, Limit]]:
    """The per-task limits that start when a task of ``kind`` is assigned."""
    return [(rule, spec.limit) for rule, spec in policy.task_rules.items() if spec.applies_to(kind)]


def rules_met_by_task(policy: Policy, *, kind: str, state: str) -> list[str]:
    """The task's own deadlines that a task reaching ``state`` meets."""
    met = [rule for rule, spec in policy.task_rules.items() if spec.reached_by(state)]
    if state == "done" and kind == INDUSTRY_TASK:
        met.append(INDUSTRY)
    return met


def unlinked_transfer_limit(policy: Policy, source: str) -> Limit | None:
    """A clue unlinked after its former lead's handling cancelled its ``transfer_7d`` starts it anew."""
    spec = policy.clue_rules.get(TRANSFER)
    return spec.limit_for(source) if spec is not None else None
