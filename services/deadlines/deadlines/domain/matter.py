"""Which statutory periods a clue gets, when clues of one matter share a handling (rule 8). Pure.

Periods follow each clue's own source, whether it leads its matter's handling, joined another clue's,
or was unlinked: a ``national`` clue linked under a ``city`` lead still gets its 7- and 15-day
periods, counted from its own receipt date, and they settle when the shared handling reaches them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

TRANSFER = "transfer_7d"
INDUSTRY = "industry_15d"
INDUSTRY_TASK = "industry_resolve"
#: Tasks whose completion decides whether a clue goes to the industry authority: the review (复核) of
#: a national or provincial clue's own handling, or the ``resolve`` of a lead from another source.
DECIDING_TASKS = frozenset({"review", "resolve"})


@dataclass(frozen=True)
class MatterClue:
    """A clue of the matter whose handling a task belongs to: the task's own clue or a follower."""

    clue_id: str
    source: str


class TransferOutcome(StrEnum):
    MET = "met"  # an industry_resolve task exists: transferred
    CANCELLED = "cancelled"  # the deciding task created none: no transfer needed


def receipt_rules(source: str, rule_sources: Mapping[str, Sequence[str]]) -> list[str]:
    """Rules that start at receipt for a clue of ``source``, linked or not (``industry_15d`` starts later)."""
    return [rule for rule, sources in rule_sources.items() if rule != INDUSTRY and source in sources]


def industry_period_clues(matter: Sequence[MatterClue], industry_sources: Sequence[str]) -> list[str]:
    """The clues of the matter that get their own ``industry_15d`` when an industry task is created."""
    return [clue.clue_id for clue in matter if clue.source in industry_sources]


def transfer_outcome(*, kind: str, state: str, created_kinds: Sequence[str]) -> TransferOutcome | None:
    """What a task event means for the ``transfer_7d`` of the clues whose handling it belongs to."""
    if kind == INDUSTRY_TASK:
        return TransferOutcome.MET
    if state == "done" and kind in DECIDING_TASKS and INDUSTRY_TASK not in created_kinds:
        return TransferOutcome.CANCELLED
    return None


def unlinked_cancels(*, task_id: str | None, own_task_ids: frozenset[str]) -> bool:
    """On unlinking, a clue's deadlines on its former lead's tasks no longer apply; its own stay."""
    return task_id is not None and task_id not in own_task_ids
