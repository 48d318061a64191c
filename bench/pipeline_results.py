"""What one phase of the pipeline benchmark measured: the load, the baselines, the clues' way downstream
and the CPU used."""

from dataclasses import dataclass

from bench.kafka_baseline import KafkaRun
from bench.openloop import Run
from bench.probes import CpuUse


@dataclass
class Flow:
    """What became of the accepted clues downstream: first task (routing.tasks) and first webhook."""

    accepted: dict[str, float]  # clue id -> wall-clock time of its 201
    window_end: float  # wall-clock time when the last response of the phase came back
    tasks_at_end: int  # clues with a task visible at that moment
    hooks_at_end: int
    tasks: dict[str, float]  # clue id -> created_at of its first task
    hooks: dict[str, float]  # clue id -> arrival of its task.assigned webhook
    timeout: float  # the bounded wait after the window

    def delays_ms(self, to: dict[str, float]) -> list[float]:
        return [(to[c] - at) * 1000 for c, at in self.accepted.items() if c in to]

    def left(self, to: dict[str, float]) -> int:
        return len(self.accepted) - len(to)

    def drain(self, to: dict[str, float]) -> str:
        """From the end of the window until the last clue got there, or what was left at the timeout."""
        if not self.accepted:
            return "not measured (nothing accepted)"
        if self.left(to):
            return f"not drained: {self.left(to)} left after {self.timeout:.0f} s"
        return f"{max(0.0, max(to.values()) - self.window_end):.1f} s"

    def e2e_rate(self, first_send: float) -> float | None:
        """Webhooks delivered / (first send -> last webhook)."""
        if not self.hooks:
            return None
        return len(self.hooks) / max(1e-9, max(self.hooks.values()) - first_send)

    def all_done(self, first_send: float) -> float | None:
        """First send -> the moment every accepted clue had its first task and its webhook."""
        if not self.accepted or self.left(self.tasks) or self.left(self.hooks):
            return None
        return max(*self.tasks.values(), *self.hooks.values()) - first_send


@dataclass
class RateResult:
    rate: float
    seconds: float
    bare: Run
    intake: Run
    kafka: KafkaRun | None
    flow: Flow
    cpu_bare: CpuUse  # the bare endpoint's window
    cpu_window: CpuUse
    cpu_total: CpuUse  # window + drain


@dataclass
class BurstResult:
    count: int
    connections: int
    bare: Run
    intake: Run
    kafka: KafkaRun | None
    flow: Flow
    cpu_bare: CpuUse
    cpu_window: CpuUse
    cpu_total: CpuUse
