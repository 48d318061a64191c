"""Use cases: load the incidence base (admin), and read it."""

from dataclasses import replace
from datetime import datetime

from routing.reports.app.commands import ListIncidenceBase, LoadIncidenceBase
from routing.reports.app.ports import UnitOfWork
from routing.reports.domain.incidence import IncidenceBase, check_incidence_bases


async def load_incidence_base(
    command: LoadIncidenceBase, *, uow: UnitOfWork, now: datetime
) -> list[IncidenceBase]:
    """Upserts each base; units not named keep theirs. Answers the whole base as loaded."""
    check_incidence_bases(command.bases)
    await uow.incidence_bases.save_all([replace(b, name=b.name.strip()) for b in command.bases], now=now)
    return await uow.incidence_bases.all()


async def list_incidence_base(query: ListIncidenceBase, *, uow: UnitOfWork) -> list[IncidenceBase]:
    """The whole base, or a division office's own division."""
    return [
        b for b in await uow.incidence_bases.all() if query.division is None or b.division == query.division
    ]
