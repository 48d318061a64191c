"""Issue 11 item 7: periods follow each clue's own source, also when clues share a handling (rule 8)."""

from deadlines.domain.matter import (
    MatterClue,
    TransferOutcome,
    industry_period_clues,
    receipt_rules,
    transfer_outcome,
    unlinked_cancels,
)
from deadlines.settings import DeadlinesSettings

SOURCES = {rule: spec.sources for rule, spec in DeadlinesSettings().rules.items()}


def test_a_national_clue_starts_transfer_7d_at_receipt_linked_or_not() -> None:
    assert receipt_rules("national", SOURCES) == ["transfer_7d", "overall"]
    assert receipt_rules("provincial", SOURCES) == ["transfer_7d", "overall"]
    assert receipt_rules("city", SOURCES) == ["overall"]


def test_every_national_or_provincial_clue_of_the_matter_gets_its_own_industry_15d() -> None:
    matter = [MatterClue("lead", "city"), MatterClue("n", "national"), MatterClue("p", "provincial")]
    assert industry_period_clues(matter, SOURCES["industry_15d"]) == ["n", "p"]


def test_the_industry_task_meets_transfer_and_a_deciding_task_without_one_cancels_it() -> None:
    assert transfer_outcome(kind="industry_resolve", state="open", created_kinds=[]) is TransferOutcome.MET
    for deciding in ("review", "resolve"):  # resolve decides for a city lead's national follower
        assert (
            transfer_outcome(kind=deciding, state="done", created_kinds=["investigate"])
            is TransferOutcome.CANCELLED
        )
        assert transfer_outcome(kind=deciding, state="done", created_kinds=["industry_resolve"]) is None
        assert transfer_outcome(kind=deciding, state="accepted", created_kinds=[]) is None
    assert transfer_outcome(kind="verify", state="done", created_kinds=["review"]) is None


def test_unlinking_drops_the_deadlines_on_the_former_leads_tasks_only() -> None:
    own = frozenset({"own-verify"})
    assert unlinked_cancels(task_id="lead-industry", own_task_ids=own)
    assert not unlinked_cancels(task_id="own-verify", own_task_ids=own)
    assert not unlinked_cancels(task_id=None, own_task_ids=own)  # transfer_7d and overall are its own
