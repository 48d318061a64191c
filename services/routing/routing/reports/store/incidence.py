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
#: Six parameters a row: well under PostgreSQL's 32767 parameters a statement.
_ROWS_PER_STATEMENT = 1000


class SqlIncidenceBases:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_all(self, bases: Sequence[IncidenceBase], *, now: datetime) -> None:
        # A few multi-row upserts, not one round trip per item (a body may hold 5000 items). One
        # statement cannot touch a row twice, so a unit named twice keeps its last item, as in order.
        latest = {(b.scope, b.division, b.name): b for b in bases}
        rows = [
            {"scope": b.scope, "division": b.division, "name": b.name, "base": b.base, "basis": b.basis}
            for b in latest.values()
        ]
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            statement = pg_insert(report_incidence_base).values(
                [row | {"updated_at": now} for row in rows[start : start + _ROWS_PER_STATEMENT]]
            )
            await self._session.execute(
                statement.on_conflict_do_update(
                    index_elements=["scope", "division", "name"],
                    set_={
                        "base": statement.excluded.base,
                        "basis": statement.excluded.basis,
                        "updated_at": now,
                    },
                )
            )

    async def all(self) -> list[IncidenceBase]:
        rows = await self._session.execute(
            select(columns.scope, columns.division, columns.name, columns.base, columns.basis).order_by(
                columns.scope, columns.division, columns.name
            )
        )
        return [IncidenceBase(cast(Scope, r.scope), r.division, r.name, int(r.base), r.basis) for r in rows]
