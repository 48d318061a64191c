"""Notify's repositories of subscriptions, clue sources and task holders: domain objects or None."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify.domain.model import Subscriber, Subscription
from notify.domain.recipients import ClueSource
from notify.secret_box import LEGACY_PREFIX
from notify.store.tables import ClueSourceRow, SubscriptionRow, TaskHolderRow
from shared.events.task_states import UNFINISHED_TASK_STATES


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, principal: str, *, lock: bool = False) -> Subscription | None:
        row = await self.session.get(SubscriptionRow, principal, with_for_update=lock)
        return _subscription(row) if row is not None else None

    async def add(self, subscription: Subscription) -> None:
        values = {k: v for k, v in asdict(subscription).items() if v is not None}
        self.session.add(SubscriptionRow(**values))
        await self.session.flush()

    async def update(self, subscription: Subscription) -> None:
        values = asdict(subscription)
        del values["created_at"]
        await self.session.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.principal == subscription.principal)
            .values(**values)
        )

    async def delete(self, principal: str) -> bool:
        result = await self.session.execute(
            delete(SubscriptionRow)
            .where(SubscriptionRow.principal == principal)
            .returning(SubscriptionRow.principal)
        )
        return result.first() is not None

    async def subscribers(self, principals: Sequence[str]) -> list[Subscriber]:
        result = await self.session.execute(
            select(SubscriptionRow.principal, SubscriptionRow.events, SubscriptionRow.disabled_at).where(
                SubscriptionRow.principal.in_(principals)
            )
        )
        return [Subscriber(r.principal, list(r.events), disabled=r.disabled_at is not None) for r in result]

    async def disable(self, principal: str, *, url: str, reason: str, now: datetime) -> bool:
        result = await self.session.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.principal == principal, SubscriptionRow.url == url)
            .values(disabled_at=now, disabled_reason=reason)
            .returning(SubscriptionRow.principal)
        )
        return result.first() is not None

    async def with_legacy_secrets(self) -> list[Subscription]:
        legacy = or_(
            SubscriptionRow.secret.startswith(LEGACY_PREFIX),
            SubscriptionRow.previous_secret.startswith(LEGACY_PREFIX),
        )
        result = await self.session.execute(select(SubscriptionRow).where(legacy).with_for_update())
        return [_subscription(row) for row in result.scalars()]


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        principal=row.principal,
        url=row.url,
        events=list(row.events),
        secret=row.secret,
        previous_secret=row.previous_secret,
        previous_secret_until=row.previous_secret_until,
        disabled_at=row.disabled_at,
        disabled_reason=row.disabled_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class ClueSourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, clue: ClueSource) -> None:
        flags = sorted(clue.flags)
        await self.session.execute(
            pg_insert(ClueSourceRow)
            .values(
                clue_id=clue.clue_id,
                source=clue.source,
                submitted_by=clue.submitted_by,
                division=clue.division,
                project_kind=clue.project_kind,
                flags=flags,
            )
            .on_conflict_do_update(
                index_elements=["clue_id"], set_={"project_kind": clue.project_kind, "flags": flags}
            )
        )

    async def remember_division(self, clue_id: str, *, source: str, submitted_by: str, division: str) -> None:
        await self.session.execute(
            pg_insert(ClueSourceRow)
            .values(
                clue_id=clue_id,
                source=source,
                submitted_by=submitted_by,
                division=division,
                project_kind=None,
                flags=[],
            )
            .on_conflict_do_update(index_elements=["clue_id"], set_={"division": division})
        )

    async def get(self, clue_id: str) -> ClueSource | None:
        row = await self.session.get(ClueSourceRow, clue_id)
        if row is None:
            return None
        return ClueSource(
            clue_id=row.clue_id,
            source=row.source,
            submitted_by=row.submitted_by,
            division=row.division,
            project_kind=row.project_kind,
            flags=frozenset(row.flags),
        )


class TaskHolderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, *, task_id: str, clue_id: str, agency_id: str, state: str) -> None:
        await self.session.execute(
            pg_insert(TaskHolderRow)
            .values(task_id=task_id, clue_id=clue_id, agency_id=agency_id, state=state)
            .on_conflict_do_update(index_elements=["task_id"], set_={"state": state})
        )

    async def unfinished_agencies(self, clue_id: str) -> list[str]:
        result = await self.session.execute(
            select(TaskHolderRow.agency_id).where(
                TaskHolderRow.clue_id == clue_id, TaskHolderRow.state.in_(UNFINISHED_TASK_STATES)
            )
        )
        return sorted(set(result.scalars()))
