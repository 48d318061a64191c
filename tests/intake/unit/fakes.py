"""In-memory fakes of intake's ports (intake.app.ports), for the use cases' unit tests."""

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from intake.api.routes import submission_command
from intake.api.schemas import ClueSubmission
from intake.app.commands import SubmitClue
from intake.domain.model import Clue, ClueLink, ClueStatus, MatterFacts, NewClue, OpenClue
from shared.auth import Principal
from shared.events import CloudEvent
from shared.sealing import Sealer
from tests.support.clues import clue_payload

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
SEALER = Sealer(base64.b64encode(b"k" * 32).decode(), setting="ANXIN_PERSONAL_DATA_KEY")


def a_submission(principal: str = "source:national", **overrides: Any) -> SubmitClue:
    """A valid submission as the route turns it into a command; override any field of the payload."""
    payload = clue_payload(received_at=(NOW - timedelta(hours=1)).isoformat(), **overrides)
    submission = ClueSubmission.model_validate(payload, context={"now": NOW})
    return submission_command(submission, raw_body=json.dumps(payload), principal=Principal.parse(principal))


@dataclass
class Stored:
    clue: NewClue
    status: ClueStatus = ClueStatus.RECEIVED
    stage: list[str] = field(default_factory=list)
    outcome: str | None = None
    amount_paid: str | None = None


class FakeClues:
    def __init__(self) -> None:
        self.stored: dict[str, Stored] = {}
        self.locked: list[str] = []

    def add(self, clue: NewClue) -> None:
        self.stored[clue.clue_id] = Stored(clue)

    async def get(self, clue_id: str) -> Clue | None:
        stored = self.stored.get(clue_id)
        return _clue(stored) if stored else None

    async def by_external_id(self, source: str, external_id: str) -> Clue | None:
        return next(
            (
                _clue(s)
                for s in self.stored.values()
                if (s.clue.source, s.clue.external_id) == (source, external_id)
            ),
            None,
        )

    async def lock_matter(self, keys: Sequence[str]) -> None:
        self.locked.extend(keys)

    async def open_clues_of_employer(
        self, facts: MatterFacts, *, since: datetime, until: datetime
    ) -> list[OpenClue]:
        return [
            OpenClue(
                c.clue_id,
                c.source,
                c.received_at,
                MatterFacts(c.division, c.employer_uscc, c.employer_name, c.project_key or None),
            )
            for s in self.stored.values()
            if (c := s.clue).division == facts.division
            and (c.employer_name == facts.employer_name or (facts.uscc and c.employer_uscc == facts.uscc))
            and s.status != ClueStatus.CLOSED
            and c.lead_clue_id is None
            and since <= c.received_at <= until
        ]

    async def add_new(self, clue: NewClue) -> bool:
        if await self.by_external_id(clue.source, clue.external_id) is not None:
            return False
        self.add(clue)
        return True

    async def related(self, clue: Clue) -> list[str]:
        lead = clue.lead_clue_id or clue.clue_id
        return [
            s.clue.clue_id
            for s in self.stored.values()
            if lead in (s.clue.clue_id, s.clue.lead_clue_id) and s.clue.clue_id != clue.clue_id
        ]

    async def links_of(self, clue_ids: Sequence[str]) -> list[ClueLink]:
        return [
            ClueLink(s.clue.clue_id, s.clue.lead_clue_id, s.clue.link_reason)
            for s in self.stored.values()
            if s.clue.clue_id in clue_ids and s.clue.lead_clue_id is not None
        ]

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
    ) -> None:
        stored = self.stored.get(clue_id)
        if stored is None:
            return
        stored.status, stored.stage = ClueStatus(status), list(stage)
        stored.outcome, stored.amount_paid = outcome, amount_paid
        stored.clue = replace(
            stored.clue, division=division or stored.clue.division, lead_clue_id=lead_clue_id
        )


class FakeHolders:
    def __init__(self) -> None:
        self.tasks: dict[str, tuple[str, str, str]] = {}
        """task id -> (clue id, agency id, state)"""

    async def record(self, *, task_id: str, clue_id: str, agency_id: str, state: str) -> None:
        self.tasks[task_id] = (clue_id, agency_id, state)

    async def states_of(self, clue_ids: Sequence[str], agency_id: str) -> list[str]:
        return [
            state for clue, agency, state in self.tasks.values() if clue in clue_ids and agency == agency_id
        ]


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[CloudEvent] = []

    async def add(self, event: CloudEvent) -> None:
        self.events.append(event)

    def types(self) -> list[str]:
        return [e.type for e in self.events]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.clues = FakeClues()
        self.holders = FakeHolders()
        self.outbox = FakeOutbox()


def _clue(stored: Stored) -> Clue:
    c = stored.clue
    return Clue(
        clue_id=c.clue_id,
        source=c.source,
        external_id=c.external_id,
        submitted_by=c.submitted_by,
        fingerprint=c.fingerprint,
        submission=c.submission,
        source_payload=c.source_payload,
        received_at=c.received_at,
        division=c.division,
        workers=c.workers,
        amount_owed=c.amount_owed,
        emergency=c.emergency,
        emergency_reasons=c.emergency_reasons,
        lead_clue_id=c.lead_clue_id,
        link_reason=c.link_reason,
        status=stored.status,
        stage=stored.stage,
        outcome=stored.outcome,
        amount_paid=None if stored.amount_paid is None else Decimal(stored.amount_paid),
        created_at=NOW,
        updated_at=NOW,
    )
