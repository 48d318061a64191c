"""Which alarms still have something to announce, and how a deadline stops. Pure.

A deadline that is met or cancelled no longer announces anything: its pending alarms are dropped
with it, and an alarm that fires anyway (set before the change, or stale data) is skipped.
"""

from dataclasses import dataclass

from deadlines.domain.deadline import DeadlineState


@dataclass(frozen=True)
class DeadlineStatus:
    """What an alarm needs to know of its deadline, and of the clue it is on, when it fires."""

    state: str
    met: bool
    cancelled: bool
    clue_closed: bool

    @property
    def settled(self) -> bool:
        """Met, cancelled, or on a clue that closed: nothing is due any more."""
        return self.met or self.cancelled or self.clue_closed or self.state == DeadlineState.CANCELLED


def alarm_applies(kind: str, status: DeadlineStatus) -> bool:
    """Whether an alarm of ``kind`` announces something now.

    ``due_soon:<n>`` and ``breached`` fire for a running deadline; ``escalate:<agency>`` (督办) for a
    breached one that is still open. Nothing fires for a settled deadline.
    """
    if status.settled:
        return False
    if kind == "breached" or kind.startswith("due_soon:"):
        return status.state == DeadlineState.RUNNING
    if kind.startswith("escalate:"):
        return status.state == DeadlineState.BREACHED
    return False


def cancellable(*, state: str, met: bool) -> bool:
    """A deadline no longer applies (``cancelled``) unless it was met or already cancelled.

    A breached deadline that stops applying is cancelled too, keeping its ``breached_at``: the breach
    was announced and stays on record, but no escalation follows it.
    """
    return not met and state in (DeadlineState.RUNNING, DeadlineState.BREACHED)
