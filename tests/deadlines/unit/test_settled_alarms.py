"""Issue 11 item 8: a cancelled or met deadline, or one on a closed clue, sets off no 督办 (domain/alarms.py)."""

from datetime import UTC, datetime

import pytest

from deadlines.domain.alarms import DeadlineStatus, alarm_applies, cancellable
from deadlines.domain.model import Alarm

ESCALATE = "escalate:330100.office"


def alarm(code: str) -> Alarm:
    """The alarm a stored code stands for (domain/model.py parses the stored format)."""
    parsed = Alarm.parse(code, datetime(2026, 11, 26, tzinfo=UTC))
    assert parsed is not None
    assert parsed.code == code
    return parsed


def status(
    state: str, *, met: bool = False, cancelled: bool = False, clue_closed: bool = False
) -> DeadlineStatus:
    return DeadlineStatus(state=state, met=met, cancelled=cancelled, clue_closed=clue_closed)


def test_an_open_breach_escalates_and_a_running_deadline_warns_and_breaches() -> None:
    assert alarm_applies(alarm(ESCALATE), status("breached"))
    assert alarm_applies(alarm("breached"), status("running"))
    assert alarm_applies(alarm("due_soon:1"), status("running"))
    assert not alarm_applies(alarm(ESCALATE), status("running"))  # escalates only after its breach
    assert not alarm_applies(alarm("breached"), status("breached"))
    assert not alarm_applies(alarm("due_soon:1"), status("breached"))


@pytest.mark.parametrize(
    "settled",
    [
        status("breached", met=True),  # met late
        status("cancelled", cancelled=True),  # cancelled after its breach
        status("breached", cancelled=True),
        status("breached", clue_closed=True),  # the clue closed with the breach open
        status("running", clue_closed=True),
    ],
)
@pytest.mark.parametrize("kind", [ESCALATE, "breached", "due_soon:1", "due_soon:3"])
def test_nothing_fires_for_a_settled_deadline(settled: DeadlineStatus, kind: str) -> None:
    assert not alarm_applies(alarm(kind), settled)


def test_breached_deadlines_can_be_cancelled_but_met_ones_cannot() -> None:
    assert cancellable(state="running", met=False)
    assert cancellable(state="breached", met=False)
    assert not cancellable(state="breached", met=True)  # met late: stays on record as met late
    assert not cancellable(state="met", met=True)
    assert not cancellable(state="cancelled", met=False)
