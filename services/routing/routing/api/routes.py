"""Routing's HTTP routes: tasks, disputes, cases and the agency registry."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Depends, Query, Request
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.api.schemas import (
    AgencyOut,
    CaseOut,
    ChainCheckOut,
    DecisionIn,
    DisputeOut,
    DueDate,
    ReturnIn,
    TaskDetail,
    TaskOut,
    TimelineEntryOut,
)
from routing.app.access import clue_access, disputes_visible, tasks_visible
from routing.app.handlers import InvalidCompletion, NotArbiter, NotFound, NotHolder, Workflow
from routing.bootstrap import Routing
from routing.domain.agencies import all_agencies
from routing.domain.errors import DomainError, IllegalTransition, MustEscalate, UnknownAgencyError
from routing.domain.model import TaskKind
from routing.domain.timeline import verify_chain
from routing.store.tables import ClueRow, DeadlineViewRow, DisputeRow, TaskRow, TimelineRow
from routing.store.timeline import entry_of
from shared.auth import CurrentPrincipal, Principal, current_principal
from shared.masking import mask_complainant, scrub
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.params import AnyMoment, ClueIdPath, ClueIdQuery, DisputeIdPath, TaskIdPath
from shared.problems import ProblemError, not_found, validation_problem

tasks = APIRouter(prefix="/v1/tasks", tags=["tasks"])
disputes = APIRouter(prefix="/v1/disputes", tags=["disputes"])
cases = APIRouter(prefix="/v1/cases", tags=["cases"])
agencies = APIRouter(prefix="/v1/agencies", tags=["agencies"])

T = TypeVar("T")


def _routing(request: Request) -> Routing:
    routing: Routing = request.app.state.routing
    return routing


@asynccontextmanager
async def _domain_problems() -> AsyncIterator[None]:
    """Maps routing's errors to problem responses, in one place."""
    try:
        yield
    except NotFound as error:
        raise not_found(str(error)) from error
    except NotHolder as error:
        raise ProblemError(403, "Forbidden", str(error)) from error
    except NotArbiter as error:
        raise ProblemError(403, "Forbidden", str(error)) from error
    except IllegalTransition as error:
        raise ProblemError(
            409,
            "Conflict",
            f"the task is {error.current_state}; {error}",
            current_state=str(error.current_state),
        ) from error
    except InvalidCompletion as error:
        raise validation_problem(error.errors) from error
    except MustEscalate as error:
        raise validation_problem(
            [{"field": "escalate", "message": str(error)}],
            detail="A substantiated, unresolved resolve must create a task: set escalate, needs_case or causes.",
        ) from error
    except UnknownAgencyError as error:
        raise validation_problem([{"field": "agency", "message": str(error)}]) from error
    except DomainError as error:
        raise ProblemError(409, "Conflict", str(error)) from error


async def _act(request: Request, action: Callable[[AsyncSession, Workflow, datetime], Awaitable[T]]) -> T:
    routing = _routing(request)
    async with _domain_problems(), routing.runtime.sessions.begin() as session:
        result = await action(session, routing.workflow, datetime.now(UTC))
    routing.runtime.after_commit()
    return result


def _task_out(task: TaskRow) -> TaskOut:
    return TaskOut.model_validate(task, from_attributes=True)


def _timeline(rows: list[TimelineRow]) -> list[TimelineEntryOut]:
    return [TimelineEntryOut.model_validate(r, from_attributes=True) for r in rows]


def _clue_view(clue: ClueRow, *, full_personal_data: bool) -> dict[str, Any]:
    view = dict(clue.snapshot)
    if not full_personal_data:
        view["complainant"] = mask_complainant(view.get("complainant"))
        view["summary"] = scrub(view.get("summary") or "")
    view.update(
        division=clue.division, status=clue.status, lead_clue_id=clue.lead_clue_id, emergency=clue.emergency
    )
    return view


# -- tasks -------------------------------------------------------------------------------------


@tasks.get(
    "", response_model=Page[TaskOut], summary="The tasks the caller may see, most recently updated first"
)
async def list_tasks(
    request: Request,
    principal: CurrentPrincipal,
    clue_id: ClueIdQuery = None,
    state: Annotated[str | None, Query(pattern="^(open|accepted|done|returned)$")] = None,
    kind: TaskKind | None = None,
    updated_since: Annotated[
        AnyMoment | None,
        Query(
            description="only tasks updated after this moment; overlap polls by a few seconds and "
            "de-duplicate on (task_id, updated_at), since concurrent changes commit out of order"
        ),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[TaskOut]:
    query = select(TaskRow).where(tasks_visible(principal))
    if clue_id:
        query = query.where(TaskRow.clue_id == clue_id)
    if state:
        query = query.where(TaskRow.state == state)
    if kind:
        query = query.where(TaskRow.kind == kind)
    if updated_since:
        if updated_since.tzinfo is None:
            raise validation_problem([{"field": "updated_since", "message": "needs an offset, e.g. +08:00"}])
        query = query.where(TaskRow.updated_at > updated_since)
    async with _routing(request).runtime.sessions() as session:
        page, next_cursor = await keyset_page(
            session, query, at=TaskRow.updated_at, key=TaskRow.task_id, cursor=cursor, limit=limit
        )
    return Page[TaskOut](items=[_task_out(t) for t in page], next_cursor=next_cursor)


@tasks.get("/{task_id}", response_model=TaskDetail, summary="A task with its clue, due dates and history")
async def get_task(task_id: TaskIdPath, request: Request, principal: CurrentPrincipal) -> TaskDetail:
    async with _routing(request).runtime.sessions() as session:
        task = (
            await session.execute(select(TaskRow).where(TaskRow.task_id == task_id, tasks_visible(principal)))
        ).scalar_one_or_none()
        if task is None:
            raise not_found("task")
        clue = await session.get(ClueRow, task.clue_id)
        assert clue is not None
        _, full = await clue_access(session, principal, clue)
        deadlines = (
            await session.execute(
                select(DeadlineViewRow).where(
                    DeadlineViewRow.clue_id == task.clue_id,
                    or_(DeadlineViewRow.task_id.is_(None), DeadlineViewRow.task_id == task.task_id),
                )
            )
        ).scalars()
        history = (
            await session.execute(
                select(TimelineRow)
                .where(TimelineRow.clue_id == task.clue_id, TimelineRow.task_id == task.task_id)
                .order_by(TimelineRow.seq)
            )
        ).scalars()
        return TaskDetail(
            **_task_out(task).model_dump(),
            clue=_clue_view(clue, full_personal_data=full),
            due_dates=[DueDate.model_validate(d, from_attributes=True) for d in deadlines],
            history=_timeline(list(history)),
        )


@tasks.post("/{task_id}/accept", response_model=TaskOut, summary="签收: accept a task")
async def accept_task(task_id: TaskIdPath, request: Request, principal: CurrentPrincipal) -> TaskOut:
    task = await _act(request, lambda s, w, now: w.accept_task(s, principal, task_id, now))
    return _task_out(task)


@tasks.post("/{task_id}/complete", response_model=TaskOut, summary="Report a task's result (body by kind)")
async def complete_task(
    task_id: TaskIdPath,
    request: Request,
    principal: CurrentPrincipal,
    body: Annotated[
        dict[str, Any], Body(description="verify/review/resolve, industry_resolve, approve, ...")
    ],
) -> TaskOut:
    task = await _act(request, lambda s, w, now: w.complete_task(s, principal, task_id, body, now))
    return _task_out(task)


@tasks.post("/{task_id}/return", status_code=201, response_model=DisputeOut, summary="退回: return a task")
async def return_task(
    task_id: TaskIdPath, body: ReturnIn, request: Request, principal: CurrentPrincipal
) -> DisputeOut:
    dispute = await _act(
        request,
        lambda s, w, now: w.return_task(
            s, principal, task_id, reason=body.reason, suggested_agency=body.suggested_agency, now=now
        ),
    )
    return DisputeOut.model_validate(dispute, from_attributes=True)


# -- disputes ----------------------------------------------------------------------------------


@disputes.get("", response_model=Page[DisputeOut], summary="Disputes the caller may see, newest first")
async def list_disputes(
    request: Request,
    principal: CurrentPrincipal,
    clue_id: ClueIdQuery = None,
    state: Annotated[str | None, Query(pattern="^(pending|decided)$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DisputeOut]:
    query = select(DisputeRow).where(disputes_visible(principal))
    if clue_id:
        query = query.where(DisputeRow.clue_id == clue_id)
    if state:
        query = query.where(DisputeRow.state == state)
    async with _routing(request).runtime.sessions() as session:
        page, next_cursor = await keyset_page(
            session, query, at=DisputeRow.created_at, key=DisputeRow.dispute_id, cursor=cursor, limit=limit
        )
    return Page[DisputeOut](
        items=[DisputeOut.model_validate(d, from_attributes=True) for d in page], next_cursor=next_cursor
    )


@disputes.get("/{dispute_id}", response_model=DisputeOut, summary="One dispute")
async def get_dispute(dispute_id: DisputeIdPath, request: Request, principal: CurrentPrincipal) -> DisputeOut:
    async with _routing(request).runtime.sessions() as session:
        row = (
            await session.execute(
                select(DisputeRow).where(DisputeRow.dispute_id == dispute_id, disputes_visible(principal))
            )
        ).scalar_one_or_none()
    if row is None:
        raise not_found("dispute")
    return DisputeOut.model_validate(row, from_attributes=True)


@disputes.post("/{dispute_id}/decision", response_model=DisputeOut, summary="争议仲裁: decide who handles it")
async def decide_dispute(
    dispute_id: DisputeIdPath, body: DecisionIn, request: Request, principal: CurrentPrincipal
) -> DisputeOut:
    dispute = await _act(
        request,
        lambda s, w, now: w.decide_dispute(
            s, principal, dispute_id, assignee=body.assignee, note=body.note, now=now
        ),
    )
    return DisputeOut.model_validate(dispute, from_attributes=True)


# -- cases -------------------------------------------------------------------------------------


async def _visible_clue(session: AsyncSession, principal: Principal, clue_id: str) -> tuple[ClueRow, bool]:
    clue = await session.get(ClueRow, clue_id)
    if clue is None:
        raise not_found("case")
    visible, full = await clue_access(session, principal, clue)
    if not visible:
        raise not_found("case")
    return clue, full


@cases.get("/{clue_id}", response_model=CaseOut, summary="A clue's tasks, disputes and timeline")
async def get_case(clue_id: ClueIdPath, request: Request, principal: CurrentPrincipal) -> CaseOut:
    async with _routing(request).runtime.sessions() as session:
        clue, full = await _visible_clue(session, principal, clue_id)
        task_rows = (
            await session.execute(
                select(TaskRow).where(TaskRow.clue_id == clue_id).order_by(TaskRow.created_at)
            )
        ).scalars()
        dispute_rows = (
            await session.execute(
                select(DisputeRow).where(DisputeRow.clue_id == clue_id).order_by(DisputeRow.created_at)
            )
        ).scalars()
        deadline_rows = (
            await session.execute(select(DeadlineViewRow).where(DeadlineViewRow.clue_id == clue_id))
        ).scalars()
        timeline = (
            await session.execute(
                select(TimelineRow).where(TimelineRow.clue_id == clue_id).order_by(TimelineRow.seq)
            )
        ).scalars()
        lead = clue.lead_clue_id or clue.clue_id
        related = (
            await session.execute(
                select(ClueRow.clue_id).where(
                    or_(ClueRow.clue_id == lead, ClueRow.lead_clue_id == lead), ClueRow.clue_id != clue_id
                )
            )
        ).scalars()
        return CaseOut(
            clue=_clue_view(clue, full_personal_data=full),
            status=clue.status,
            division=clue.division,
            outcome=clue.outcome,
            amount_paid=f"{clue.amount_paid:.2f}" if clue.amount_paid is not None else None,
            related=sorted(related),
            lead_clue_id=clue.lead_clue_id,
            tasks=[_task_out(t) for t in task_rows],
            disputes=[DisputeOut.model_validate(d, from_attributes=True) for d in dispute_rows],
            due_dates=[DueDate.model_validate(d, from_attributes=True) for d in deadline_rows],
            timeline=_timeline(list(timeline)),
        )


@cases.get("/{clue_id}/verify", response_model=ChainCheckOut, summary="Check the timeline's hash chain")
async def verify_case(clue_id: ClueIdPath, request: Request, principal: CurrentPrincipal) -> ChainCheckOut:
    async with _routing(request).runtime.sessions() as session:
        await _visible_clue(session, principal, clue_id)
        rows = (
            await session.execute(
                select(TimelineRow).where(TimelineRow.clue_id == clue_id).order_by(TimelineRow.seq)
            )
        ).scalars()
        entries = [entry_of(r) for r in rows]
    check = verify_chain(entries)
    return ChainCheckOut(
        clue_id=clue_id,
        valid=check.valid,
        entries=check.entries,
        broken_at=check.broken_at,
        problem=check.problem,
    )


@cases.post("/{clue_id}/unlink", response_model=CaseOut, summary="Rule 8: the division office unlinks a clue")
async def unlink_case(clue_id: ClueIdPath, request: Request, principal: CurrentPrincipal) -> CaseOut:
    await _act(request, lambda s, w, now: w.unlink_clue(s, principal, clue_id, now))
    return await get_case(clue_id, request, principal)


# -- agencies ----------------------------------------------------------------------------------


@agencies.get(
    "",
    response_model=list[AgencyOut],
    summary="The agency registry",
    dependencies=[Depends(current_principal)],
)
async def list_agencies() -> list[AgencyOut]:
    return [
        AgencyOut(
            agency_id=a.agency_id,
            division=a.division,
            division_name=a.division_name,
            kind=a.kind,
            name=a.name,
        )
        for a in all_agencies()
    ]
