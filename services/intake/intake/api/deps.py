"""Dependencies of intake's routes: the service context and a unit of work per request."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from intake.app.context import IntakeContext
from intake.app.ports import UnitOfWork


def intake_context(request: Request) -> IntakeContext:
    context: IntakeContext = request.app.state.intake
    return context


IntakeDep = Annotated[IntakeContext, Depends(intake_context)]


async def unit_of_work(intake: IntakeDep) -> AsyncIterator[UnitOfWork]:
    """One transaction around the route, committed before the response is sent; then the relay wakes."""
    async with intake.transaction() as uow:
        yield uow
    intake.after_commit()


UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]
