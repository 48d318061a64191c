"""Who sees a clue, and who sees its personal data in full (CONTRACT.md, Who sees what)."""

from dataclasses import dataclass

from intake.store.tables import ClueRow
from shared.auth import Principal

UNFINISHED = frozenset({"open", "accepted"})


@dataclass(frozen=True)
class ClueAccess:
    visible: bool
    full_personal_data: bool


def clue_access(principal: Principal, clue: ClueRow, holder_states: list[str]) -> ClueAccess:
    if principal.oversees_division(clue.division):
        # Admin sees every clue, but personal data in full only as an office does.
        return ClueAccess(visible=True, full_personal_data=not principal.is_admin)
    if str(principal) == clue.submitted_by:
        return ClueAccess(visible=True, full_personal_data=True)
    if principal.agency_id is not None and holder_states:
        return ClueAccess(visible=True, full_personal_data=any(s in UNFINISHED for s in holder_states))
    return ClueAccess(visible=False, full_personal_data=False)
