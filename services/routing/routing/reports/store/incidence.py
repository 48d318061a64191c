"""The incidence base as loaded by the admin."""

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from routing.reports.domain.incidence import IncidenceBase, Scope
from routing.reports.store.tables import report_incidence_base

columns = report_incidence_base.c


class SqlIncidenceBases:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_all(self, bases: Sequence[IncidenceBase], *, now: datetime) -> None:
        for item in bases:
            await self._session.execute(
                pg_insert(report_incidence_base)
                .values(
                    scope=item.scope,
                    division=item.division,
                    name=item.name,
                    base=item.base,
                    basis=item.basis,
                    updated_at=now,
                )
                .on_conflict_do_update(
                    index_elements=["scope", "division", "name"],
                    set_={"base": item.base, "basis": item.basis, "updated_at": now},
                )
            )

    async def all(self) -> list[IncidenceBase]:
        rows = await self._session.execute(
            select(columns.scope, columns.division, columns.name, columns.base, columns.basis).order_by(
                columns.scope, columns.division, columns.name
            )
        )
        return [IncidenceBase(cast(Scope, r.scope), r.division, r.name, int(r.base), r.basis) for r in rows]
