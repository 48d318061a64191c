"""Deadlines' own settings (env prefix ``ANXIN_DEADLINES_``). Rules are policy, so configuration."""

from pydantic import BaseModel, Field, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

from deadlines.domain.periods import CountingMode
from deadlines.domain.rules import ClueRule, Policy, TaskRule

ALL_SOURCES = ["national", "provincial", "city", "police110", "petition", "opinion", "onsite"]


class RuleSettings(BaseModel):
    days: int = Field(ge=1)
    mode: CountingMode = CountingMode.CALENDAR_DAYS
    sources: list[str]
    days_by_source: dict[str, int] = Field(default_factory=dict)


class TaskLimitSettings(BaseModel):
    """A per-task limit, e.g. acceptance (签收) within one working day of assignment."""

    task_kinds: list[str] | None = Field(default=None, description="None: every kind")
    until: str = Field(pattern="^(accepted|done)$")
    working_days: int | None = Field(default=None, ge=1)
    hours: int | None = Field(default=None, ge=1)


def _default_rules() -> dict[str, RuleSettings]:
    return {
        "transfer_7d": RuleSettings(days=7, sources=["national", "provincial"]),
        "industry_15d": RuleSettings(days=15, sources=["national", "provincial"]),
        "overall": RuleSettings(days=30, sources=ALL_SOURCES),
    }


def _default_task_limits() -> dict[str, TaskLimitSettings]:
    return {
        "acceptance_1wd": TaskLimitSettings(until="accepted", working_days=1),
        "respond_24h": TaskLimitSettings(task_kinds=["respond"], until="done", hours=24),
    }


class DeadlinesSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANXIN_DEADLINES_", extra="ignore")

    rules: dict[str, RuleSettings] = Field(
        default_factory=_default_rules,
        description="transfer_7d, industry_15d, overall: days, mode, sources, days_by_source. Env: JSON",
    )
    task_limits: dict[str, TaskLimitSettings] = Field(
        default_factory=_default_task_limits,
        description="per-task limits by name, started at task.assigned, met at `until`. Env: JSON",
    )
    warning_working_days: list[PositiveInt] = Field(
        default=[1],
        description=(
            "deadline.due_soon at 00:00 of the N-th working day counted back from the last day (the"
            " last day is the 1st); one event per offset. Env: JSON list, e.g. '[1, 3]'"
        ),
    )
    escalation_days: dict[str, int] = Field(
        default={"330100.office": 3},
        description=(
            "督办 steps: breached by N more calendar days -> a further deadline.breached with this"
            " agency (and the division office) in escalate_to. Env: JSON object,"
            " e.g. '{\"330100.office\": 3}'"
        ),
    )
    max_sleep_seconds: float = Field(default=30.0, gt=0, description="upper bound on the scheduler's nap")

    def policy(self) -> Policy:
        """The rules as the domain reads them."""
        return Policy(
            clue_rules={
                name: ClueRule(
                    days=rule.days, sources=rule.sources, mode=rule.mode, days_by_source=rule.days_by_source
                )
                for name, rule in self.rules.items()
            },
            task_rules={
                name: TaskRule(
                    until=limit.until,
                    task_kinds=limit.task_kinds,
                    working_days=limit.working_days,
                    hours=limit.hours,
                )
                for name, limit in self.task_limits.items()
            },
            warning_working_days=list(self.warning_working_days),
            escalation_days=dict(self.escalation_days),
        )
