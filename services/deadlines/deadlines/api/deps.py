"""Dependencies of deadlines' routes: the ports from ``app.state`` and the request's transaction."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from deadlines.app.ports import DeadlineReads, DeadlinesPorts, UnitOfWork
from deadlines.domain.rules import Policy


def deadlines_ports(request: Request) -> DeadlinesPorts:
    ports: DeadlinesPorts = request.app.state.deadlines
    return ports


PortsDep = Annotated[DeadlinesPorts, Depends(deadlines_ports)]


async def unit_of_work(ports: PortsDep) -> AsyncIterator[UnitOfWork]:
    """The request's transaction: committed when the route returns, before the response is sent;
    then the relay and the scheduler are woken."""
    async with ports.transaction() as uow:
        yield uow
    ports.after_commit()


async def deadline_reads(ports: PortsDep) -> AsyncIterator[DeadlineReads]:
    async with ports.reads() as reads:
        yield reads


def policy(ports: PortsDep) -> Policy:
    return ports.policy


UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]
ReadsDep = Annotated[DeadlineReads, Depends(deadline_reads, scope="function")]
PolicyDep = Annotated[Policy, Depends(policy)]
