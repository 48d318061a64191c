"""Reading a clue (GET /v1/clues/{id}): what this reader may see of it, and of its matter."""

from dataclasses import dataclass

from intake.app.access import clue_access
from intake.app.commands import ReadClue
from intake.app.ports import UnitOfWork
from intake.domain.disclosure import Disclosed, disclose
from intake.domain.model import Clue, ClueLink
from shared.errors import NotFoundError


@dataclass(frozen=True)
class ClueReading:
    clue: Clue
    shown: Disclosed
    """Its personal data as this reader may see it."""
    related: list[str]
    links: list[ClueLink]


async def read_clue(cmd: ReadClue, *, uow: UnitOfWork) -> ClueReading:
    """The clue; NotFoundError when there is none or the reader may not see it (both 404)."""
    clue = await uow.clues.get(cmd.clue_id)
    if clue is None:
        raise NotFoundError("clue")
    agency_id = cmd.reader.agency_id
    # A linked clue is handled through its lead, so the lead's task holders see it too (rule 8).
    handled_by = [clue.clue_id] + ([clue.lead_clue_id] if clue.lead_clue_id else [])
    holder_states = await uow.holders.states_of(handled_by, agency_id) if agency_id else []
    access = clue_access(cmd.reader, clue, holder_states)
    if not access.visible:
        raise NotFoundError("clue")
    related = await uow.clues.related(clue)
    links = await uow.clues.links_of([clue.clue_id, *related])
    submitted = clue.submission
    shown = disclose(
        complainant=submitted.get("complainant"),
        summary=submitted["summary"],
        source_payload=clue.source_payload,
        full_personal_data=access.full_personal_data,
    )
    return ClueReading(clue=clue, shown=shown, related=related, links=links)
