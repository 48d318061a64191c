"""What routing's routes depend on, as ``Annotated`` aliases; all of it from ``app.state``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from routing.app.ports import CaseReader, RoutingContext, UnitOfWork
from routing.domain.agencies import AgencyRegistry


def routing_context(request: Request) -> RoutingContext:
    context: RoutingContext = request.app.state.routing_context
    return context


Context = Annotated[RoutingContext, Depends(routing_context)]


async def unit_of_work(context: Context) -> AsyncIterator[UnitOfWork]:
    """One transaction for the request: committed when the route returns, then the relay is woken."""
    async with context.transaction() as uow:
        yield uow
    context.after_commit()


async def case_reader(context: Context) -> AsyncIterator[CaseReader]:
    async with context.reader() as reader:
        yield reader


def now() -> datetime:
    return datetime.now(UTC)


def max_returns(context: Context) -> int:
    return context.max_returns


def agency_registry(context: Context) -> AgencyRegistry:
    return context.registry


# scope="function": the transaction commits before the response is sent.
UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]
ReaderDep = Annotated[CaseReader, Depends(case_reader, scope="function")]
Now = Annotated[datetime, Depends(now)]
MaxReturns = Annotated[int, Depends(max_returns)]
Registry = Annotated[AgencyRegistry, Depends(agency_registry)]
