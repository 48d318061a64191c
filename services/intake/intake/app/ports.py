"""What intake's use cases need from storage and messaging; store/ implements these."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from intake.domain.model import Clue, ClueLink, MatterFacts, NewClue, OpenClue
from shared.events import CloudEvent


class Clues(Protocol):
    async def get(self, clue_id: str) -> Clue | None: ...

    async def by_external_id(self, source: str, external_id: str) -> Clue | None: ...

    async def lock_matter(self, keys: Sequence[str]) -> None:
        """Serialise submissions that could match each other (until the transaction ends)."""

    async def open_clues_of_employer(
        self, facts: MatterFacts, *, since: datetime, until: datetime
    ) -> list[OpenClue]:
        """Unfinished lead clues in the division with the employer's USCC or normalised name."""
        ...

    async def add_new(self, clue: NewClue) -> bool:
        """Add unless (source, external_id) exists; False when another submission got there first."""
        ...

    async def related(self, clue: Clue) -> list[str]:
        """The other clues of its matter: its lead and the lead's linked clues, oldest first."""
        ...

    async def links_of(self, clue_ids: Sequence[str]) -> list[ClueLink]: ...

    async def update_status(
        self,
        clue_id: str,
        *,
        status: str,
        stage: Sequence[str],
        outcome: str | None,
        amount_paid: str | None,
        division: str | None,
        lead_clue_id: str | None,
    ) -> None: ...


class TaskHolders(Protocol):
    async def record(self, *, task_id: str, clue_id: str, agency_id: str, state: str) -> None: ...

    async def states_of(self, clue_ids: Sequence[str], agency_id: str) -> list[str]:
        """States of the tasks the agency holds or held on any of these clues."""
        ...


class Outbox(Protocol):
    async def add(self, event: CloudEvent) -> None:
        """Publish the event once the transaction commits (the relay sends it)."""


class UnitOfWork(Protocol):
    """One transaction's repositories; the boundary that opened it commits it."""

    @property
    def clues(self) -> Clues: ...

    @property
    def holders(self) -> TaskHolders: ...

    @property
    def outbox(self) -> Outbox: ...
