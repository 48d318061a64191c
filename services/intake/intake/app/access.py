"""Who submits which source, who sees a clue, and who sees its personal data in full
(CONTRACT.md, Who sees what)."""

from dataclasses import dataclass

from intake.domain.errors import NotAllowedToSubmit
from intake.domain.model import ONSITE_AGENCY_KINDS, Clue, Source
from shared.auth import Principal
from shared.events.task_states import UNFINISHED_TASK_STATES


@dataclass(frozen=True)
class ClueAccess:
    visible: bool
    full_personal_data: bool


def check_may_submit(principal: Principal, source: Source) -> None:
    """A platform submits its own source; hrss and industry agencies submit ``onsite`` (首问负责制)."""
    if principal.source is not None:
        if principal.source != source:
            raise NotAllowedToSubmit(
                f"the key of source {principal.source!r} may submit only {principal.source!r} clues"
            )
        return
    if principal.agency_id is not None:
        if source != Source.ONSITE or principal.agency_kind not in ONSITE_AGENCY_KINDS:
            raise NotAllowedToSubmit(
                "an agency may submit only onsite clues, and only hrss, construction, transport or water"
            )
        return
    raise NotAllowedToSubmit("only a source platform or a first-inquiry agency submits clues")


def clue_access(principal: Principal, clue: Clue, holder_states: list[str]) -> ClueAccess:
    if principal.oversees_division(clue.division):
        # Admin sees every clue, but personal data in full only as an office does.
        return ClueAccess(visible=True, full_personal_data=not principal.is_admin)
    if str(principal) == clue.submitted_by:
        return ClueAccess(visible=True, full_personal_data=True)
    if principal.agency_id is not None and holder_states:
        return ClueAccess(
            visible=True, full_personal_data=any(s in UNFINISHED_TASK_STATES for s in holder_states)
        )
    return ClueAccess(visible=False, full_personal_data=False)
