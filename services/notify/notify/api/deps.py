"""Dependencies of notify's routes: the service context and a unit of work per request."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from notify.app.context import NotifyContext
from notify.app.ports import UnitOfWork


def notify_context(request: Request) -> NotifyContext:
    context: NotifyContext = request.app.state.notify
    return context


NotifyDep = Annotated[NotifyContext, Depends(notify_context)]


async def unit_of_work(notify: NotifyDep) -> AsyncIterator[UnitOfWork]:
    """One transaction around the route, committed before the response is sent; then the worker wakes."""
    async with notify.transaction() as uow:
        yield uow
    notify.after_commit()


UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]


async def reading(notify: NotifyDep) -> AsyncIterator[UnitOfWork]:
    """A unit of work for a route that only reads: nothing to wake the worker for."""
    async with notify.transaction() as uow:
        yield uow


ReadingDep = Annotated[UnitOfWork, Depends(reading, scope="function")]
