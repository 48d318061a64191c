"""Intake's repositories: load and save clues and task holders; domain objects or None, never HTTP."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.model import Clue, ClueLink, ClueStatus, MatterFacts, NewClue, OpenClue, Source
from intake.store.tables import ClueRow, TaskHolderRow


class ClueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, clue_id: str) -> Clue | None:
        row = await self.session.get(ClueRow, clue_id)
        return _clue(row) if row is not None else None

    async def by_external_id(self, source: str, external_id: str) -> Clue | None:
        result = await self.session.execute(
            select(ClueRow).where(ClueRow.source == source, ClueRow.external_id == external_id)
        )
        row = result.scalar_one_or_none()
        return _clue(row) if row is not None else None

    async def lock_matter(self, keys: Sequence[str]) -> None:
        """Serialise submissions that could match each other, so concurrent duplicates link to one lead."""
        for key in keys:  # in the order given: the same everywhere (domain/matching.py)
            await self.session.execute(text("select pg_advisory_xact_lock(hashtext(:k))"), {"k": key})

    async def open_clues_of_employer(
        self, facts: MatterFacts, *, since: datetime, until: datetime
    ) -> list[OpenClue]:
        """Unfinished lead clues in the division with the employer's USCC or normalised name."""
        employer = ClueRow.employer_name == facts.employer_name
        if facts.uscc:
            employer = or_(employer, ClueRow.employer_uscc == facts.uscc)
        result = await self.session.execute(
            select(
                ClueRow.clue_id,
                ClueRow.source,
                ClueRow.received_at,
                ClueRow.employer_uscc,
                ClueRow.employer_name,
                ClueRow.project_key,
            ).where(
                ClueRow.division == facts.division,
                employer,
                ClueRow.status != ClueStatus.CLOSED,
                ClueRow.lead_clue_id.is_(None),
                ClueRow.received_at.between(since, until),
            )
        )
        return [
            OpenClue(
                r.clue_id,
                Source(r.source),
                r.received_at,
                MatterFacts(
                    division=facts.division,
                    uscc=r.employer_uscc,
                    employer_name=r.employer_name or "",
                    project=r.project_key or None,
                ),
            )
            for r in result
        ]

    async def links_of(self, clue_ids: Sequence[str]) -> list[ClueLink]:
        """Each of these clues that is linked, with its lead and why."""
        result = await self.session.execute(
            select(ClueRow.clue_id, ClueRow.lead_clue_id, ClueRow.link_reason)
            .where(ClueRow.clue_id.in_(clue_ids), ClueRow.lead_clue_id.is_not(None))
            .order_by(ClueRow.received_at)
        )
        return [ClueLink(r.clue_id, r.lead_clue_id, r.link_reason) for r in result]

    async def add_new(self, clue: NewClue) -> bool:
        """Insert unless (source, external_id) exists; False when another submission got there first."""
        result = await self.session.execute(
            pg_insert(ClueRow)
            .values(**asdict(clue), status=ClueStatus.RECEIVED, stage=[])
            .on_conflict_do_nothing(constraint="uq_clues_source_external_id")
            .returning(ClueRow.clue_id)
        )
        return result.first() is not None

    async def related(self, clue: Clue) -> list[str]:
        lead = clue.lead_clue_id or clue.clue_id
        result = await self.session.execute(
            select(ClueRow.clue_id)
            .where(
                or_(ClueRow.clue_id == lead, ClueRow.lead_clue_id == lead), ClueRow.clue_id != clue.clue_id
            )
            .order_by(ClueRow.received_at)
        )
        return list(result.scalars())

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
        values: dict[str, object] = {
            "status": status,
            "stage": list(stage),
            "outcome": outcome,
            "amount_paid": amount_paid,
            "lead_clue_id": lead_clue_id,
            "updated_at": func.now(),
        }
        if division:
            values["division"] = division
        await self.session.execute(update(ClueRow).where(ClueRow.clue_id == clue_id).values(**values))


class TaskHolderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, *, task_id: str, clue_id: str, agency_id: str, state: str) -> None:
        await self.session.execute(
            pg_insert(TaskHolderRow)
            .values(task_id=task_id, clue_id=clue_id, agency_id=agency_id, state=state)
            .on_conflict_do_update(index_elements=["task_id"], set_={"state": state, "agency_id": agency_id})
        )

    async def states_of(self, clue_ids: Sequence[str], agency_id: str) -> list[str]:
        """States of the tasks the agency holds or held on any of these clues."""
        result = await self.session.execute(
            select(TaskHolderRow.state).where(
                TaskHolderRow.clue_id.in_(clue_ids), TaskHolderRow.agency_id == agency_id
            )
        )
        return list(result.scalars())


def _clue(row: ClueRow) -> Clue:
    return Clue(
        clue_id=row.clue_id,
        source=Source(row.source),
        external_id=row.external_id,
        submitted_by=row.submitted_by,
        fingerprint=row.fingerprint,
        submission=row.submission,
        source_payload=row.source_payload,
        received_at=row.received_at,
        division=row.division,
        workers=row.workers,
        amount_owed=row.amount_owed,
        emergency=row.emergency,
        emergency_reasons=row.emergency_reasons,
        lead_clue_id=row.lead_clue_id,
        link_reason=row.link_reason,
        status=ClueStatus(row.status),
        stage=row.stage,
        outcome=row.outcome,
        amount_paid=row.amount_paid,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
