"""Which alarms still have something to announce, what they announce, and how a deadline stops. Pure.

A deadline that is met or cancelled no longer announces anything: its pending alarms are dropped
with it, and an alarm that fires anyway (set before the change, or stale data) is skipped.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from deadlines.domain.model import Alarm, AlarmKind, DeadlineState


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


def alarm_applies(alarm: Alarm, status: DeadlineStatus) -> bool:
    """Whether the alarm announces something now.

    ``due_soon`` and ``breached`` fire for a running deadline; ``escalate`` (督办) for a breached one
    that is still open. Nothing fires for a settled deadline.
    """
    if status.settled:
        return False
    if alarm.kind in (AlarmKind.BREACHED, AlarmKind.DUE_SOON):
        return status.state == DeadlineState.RUNNING
    return status.state == DeadlineState.BREACHED


def may_wait_for_breach(alarm: Alarm, status: DeadlineStatus) -> bool:
    """An escalation of an open deadline not breached yet: should its breach still be pending (being
    fired elsewhere right now), the escalation is put back to fire after it, instead of being dropped."""
    return alarm.kind is AlarmKind.ESCALATE and not status.settled and status.state == DeadlineState.RUNNING


def cancellable(*, state: str, met: bool) -> bool:
    """A deadline no longer applies (``cancelled``) unless it was met or already cancelled.

    A breached deadline that stops applying is cancelled too, keeping its ``breached_at``: the breach
    was announced and stays on record, but no escalation follows it.
    """
    return not met and state in (DeadlineState.RUNNING, DeadlineState.BREACHED)


def division_office(division: str) -> str:
    """The agency overseeing a division's deadlines, told of every breach."""
    return f"{division}.office"


@dataclass(frozen=True)
class Announcement:
    """The event an applying alarm sends, the members it adds, and whether it breaches the deadline."""

    event_type: str
    extra: Mapping[str, object]
    breaches: bool = False


def announcement(alarm: Alarm, *, division: str) -> Announcement:
    office = division_office(division)
    if alarm.kind is AlarmKind.DUE_SOON:
        return Announcement(
            "deadline.due_soon",
            {"working_days_before": alarm.working_days_before, "fired_for": alarm.fire_at},
        )
    if alarm.kind is AlarmKind.BREACHED:
        extra = {"escalate_to": [office], "division_office": office, "fired_for": alarm.fire_at}
        return Announcement("deadline.breached", extra, breaches=True)
    # 督办: a further step after the breach, e.g. breached by N more days -> city office.
    step = alarm.escalation_step
    return Announcement(
        "deadline.breached",
        {
            "escalate_to": list(dict.fromkeys([office, step])),
            "division_office": office,
            "escalation_step": step,
            "fired_for": alarm.fire_at,
        },
    )
