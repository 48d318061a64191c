"""Issue 11 item 9: loading a year's schedule recomputes breached provisional deadlines too."""

from datetime import date, datetime, timedelta

from deadlines.domain.calendar import SHANGHAI
from deadlines.domain.deadline import DeadlineState
from deadlines.domain.periods import Period, end_of_day
from deadlines.domain.recompute import Standing, needs_recompute, recompute

NOW = datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI)
OLD_DUE = end_of_day(date(2027, 1, 1))  # the fallback calendar's Friday, now past
NEW_DUE = end_of_day(date(2027, 1, 4))  # after the official 元旦 break, still ahead


def period(due: datetime, *, provisional: bool = False) -> Period:
    return Period(starts_on=date(2026, 12, 2), last_day=due.date(), due_at=due, provisional=provisional)


def test_a_breach_the_fallback_calendar_caused_runs_again() -> None:
    standing = Standing(state=DeadlineState.BREACHED, due_at=OLD_DUE, provisional=True, met_at=None)
    outcome = recompute(standing, period(NEW_DUE), now=NOW)
    assert outcome is not None
    assert (outcome.state, outcome.due_at, outcome.provisional) == (DeadlineState.RUNNING, NEW_DUE, False)
    assert outcome.corrected
    assert outcome.alarms


def test_a_breach_the_official_schedule_confirms_stays_breached_and_is_not_announced() -> None:
    standing = Standing(
        state=DeadlineState.BREACHED, due_at=OLD_DUE - timedelta(days=5), provisional=True, met_at=None
    )
    outcome = recompute(standing, period(OLD_DUE - timedelta(days=3)), now=NOW)
    assert outcome is not None
    assert (outcome.state, outcome.corrected, outcome.provisional) == (DeadlineState.BREACHED, False, False)


def test_met_late_under_the_fallback_calendar_but_on_time_under_the_official_one() -> None:
    met_at = OLD_DUE + timedelta(hours=30)
    standing = Standing(state=DeadlineState.BREACHED, due_at=OLD_DUE, provisional=True, met_at=met_at)
    outcome = recompute(standing, period(NEW_DUE), now=NOW)
    assert outcome is not None
    assert (outcome.state, outcome.late, outcome.corrected, outcome.alarms) == (
        DeadlineState.MET,
        False,
        True,
        False,
    )


def test_running_deadlines_move_and_unchanged_ones_are_left_alone() -> None:
    running = Standing(state=DeadlineState.RUNNING, due_at=OLD_DUE, provisional=True, met_at=None)
    moved = recompute(running, period(NEW_DUE), now=NOW)
    assert moved is not None
    assert not moved.corrected
    assert moved.alarms
    assert recompute(running, period(OLD_DUE, provisional=True), now=NOW) is None
    again = Standing(state=DeadlineState.RUNNING, due_at=NEW_DUE, provisional=False, met_at=None)
    assert recompute(again, period(NEW_DUE), now=NOW) is None  # a second load announces nothing


def test_which_deadlines_a_load_looks_at() -> None:
    assert needs_recompute(state="running", provisional=False, met=False, cancelled=False)
    assert needs_recompute(state="breached", provisional=True, met=False, cancelled=False)
    assert needs_recompute(state="breached", provisional=True, met=True, cancelled=False)
    assert not needs_recompute(state="breached", provisional=False, met=False, cancelled=False)
    assert not needs_recompute(state="breached", provisional=True, met=False, cancelled=True)
    assert not needs_recompute(state="met", provisional=True, met=True, cancelled=False)
    assert not needs_recompute(state="cancelled", provisional=True, met=False, cancelled=True)
