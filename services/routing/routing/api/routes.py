"""Routing's HTTP routes: tasks, disputes, cases and the agency registry. Thin: parse, call, map."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BeforeValidator

from routing.api.deps import Context, MaxReturns, Now, ReaderDep, Registry, UnitOfWorkDep
from routing.api.documents import (
    ACTION_ERRORS,
    CURSOR_ERRORS,
    DECISION_ERRORS,
    MOMENT_PATTERN,
    UNLINK_ERRORS,
    completion_body,
    refuse_unencoded_plus,
)
from routing.api.schemas import (
    AgencyOut,
    CaseOut,
    ChainCheckOut,
    DecisionIn,
    DisputeOut,
    ReturnIn,
    TaskDetail,
    TaskOut,
    case_out,
    dispute_out,
    due_dates_out,
    task_out,
    timeline_out,
)
from routing.app import clues as clue_cases
from routing.app import disputes as dispute_cases
from routing.app import tasks as task_cases
from routing.app.commands import AcceptTask, CompleteTask, DecideDispute, ReturnTask, UnlinkClue
from routing.app.ports import CaseReader
from routing.app.queries import case_view, check_case_timeline, task_view
from routing.domain.errors import InvalidError, NotFoundError
from routing.domain.model import TaskKind
from shared.auth import CurrentPrincipal, Principal, current_principal
from shared.pagination import Cursor, Limit, Page
from shared.params import AnyMoment, ClueIdPath, ClueIdQuery, DisputeIdPath, TaskIdPath

tasks = APIRouter(prefix="/v1/tasks", tags=["tasks"])
disputes = APIRouter(prefix="/v1/disputes", tags=["disputes"])
cases = APIRouter(prefix="/v1/cases", tags=["cases"])
agencies = APIRouter(prefix="/v1/agencies", tags=["agencies"])

UpdatedSince = Annotated[
    Annotated[AnyMoment, BeforeValidator(refuse_unencoded_plus)] | None,
    Query(
        description="only tasks updated after this moment, with its offset: `Z`, or `+08:00` written "
        "`%2B08:00` (an unencoded `+` in a query arrives as a space and is refused with 422). Overlap "
        "polls by a few seconds and de-duplicate on (task_id, updated_at), since concurrent changes "
        "commit out of order",
        examples=["2026-12-03T09:16:00Z"],
        json_schema_extra={"pattern": MOMENT_PATTERN},
    ),
]


# -- tasks -------------------------------------------------------------------------------------


@tasks.get(
    "",
    response_model=Page[TaskOut],
    summary="The tasks the caller may see, most recently updated first",
    description="An agency sees the tasks it holds and those on clues it holds one of; an office, its "
    "division's; admin, all. Poll with `updated_since` and follow `next_cursor` to the end.",
    responses=CURSOR_ERRORS,
)
async def list_tasks(
    principal: CurrentPrincipal,
    reader: ReaderDep,
    clue_id: ClueIdQuery = None,
    state: Annotated[str | None, Query(pattern="^(open|accepted|done|returned)$")] = None,
    kind: TaskKind | None = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[TaskOut]:
    if updated_since and updated_since.tzinfo is None:
        raise InvalidError([{"field": "updated_since", "message": "needs an offset, e.g. +08:00"}])
    page, next_cursor = await reader.tasks_page(
        principal,
        clue_id=clue_id,
        state=state,
        kind=kind,
        updated_since=updated_since,
        cursor=cursor,
        limit=limit,
    )
    return Page[TaskOut](items=[task_out(t) for t in page], next_cursor=next_cursor)


@tasks.get(
    "/{task_id}",
    response_model=TaskDetail,
    summary="A task with its clue, due dates and history",
    description="The task, the clue it is about, the due dates that apply and the clue's timeline.",
)
async def get_task(task_id: TaskIdPath, principal: CurrentPrincipal, reader: ReaderDep) -> TaskDetail:
    view = await task_view(task_id, caller=principal, reader=reader)
    return TaskDetail(
        **task_out(view.task).model_dump(),
        clue=view.clue_data,
        due_dates=due_dates_out(view.due_dates),
        history=timeline_out(view.history),
    )


@tasks.post(
    "/{task_id}/accept",
    response_model=TaskOut,
    summary="签收: accept a task",
    description="Only the agency holding the task, while it is `open`; the task becomes `accepted`.",
    responses=ACTION_ERRORS,
)
async def accept_task(
    task_id: TaskIdPath, principal: CurrentPrincipal, uow: UnitOfWorkDep, now: Now
) -> TaskOut:
    return task_out(await task_cases.accept_task(AcceptTask(principal, task_id), uow=uow, now=now))


@tasks.post(
    "/{task_id}/complete",
    response_model=TaskOut,
    summary="Report a task's result (body by kind)",
    description="Only the agency holding the task, once `accepted`. The body is the result schema of the "
    'task\'s kind (the task decides, not the body); a body of another kind, or a wrong type (`"yes"` '
    "for a boolean), is refused with 422 naming each field. The task becomes `done`; the tasks the rules "
    "create follow, and the clue closes when nothing is left (rule 5).",
    responses=ACTION_ERRORS,
    openapi_extra=completion_body(),
)
async def complete_task(
    task_id: TaskIdPath,
    principal: CurrentPrincipal,
    body: Annotated[dict[str, Any], Body(description="the result schema of the task's kind")],
    uow: UnitOfWorkDep,
    now: Now,
) -> TaskOut:
    return task_out(await task_cases.complete_task(CompleteTask(principal, task_id, body), uow=uow, now=now))


@tasks.post(
    "/{task_id}/return",
    status_code=201,
    response_model=DisputeOut,
    summary="退回: return a task",
    description="The agency holding an `open` or `accepted` task says it is not theirs: the task becomes "
    "`returned` and a dispute opens for the arbiter of rule 6.",
    responses=ACTION_ERRORS,
)
async def return_task(
    task_id: TaskIdPath,
    body: ReturnIn,
    principal: CurrentPrincipal,
    uow: UnitOfWorkDep,
    now: Now,
    max_returns: MaxReturns,
) -> DisputeOut:
    command = ReturnTask(principal, task_id, reason=body.reason, suggested_agency=body.suggested_agency)
    return dispute_out(await task_cases.return_task(command, uow=uow, now=now, max_returns=max_returns))


# -- disputes ----------------------------------------------------------------------------------


@disputes.get(
    "",
    response_model=Page[DisputeOut],
    summary="Disputes the caller may see, newest first",
    description="An office sees the disputes it arbitrates and those of its division; an agency, those "
    "of its returned tasks; admin, all.",
    responses=CURSOR_ERRORS,
)
async def list_disputes(
    principal: CurrentPrincipal,
    reader: ReaderDep,
    clue_id: ClueIdQuery = None,
    state: Annotated[str | None, Query(pattern="^(pending|decided)$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DisputeOut]:
    page, next_cursor = await reader.disputes_page(
        principal, clue_id=clue_id, state=state, cursor=cursor, limit=limit
    )
    return Page[DisputeOut](items=[dispute_out(d) for d in page], next_cursor=next_cursor)


@disputes.get(
    "/{dispute_id}",
    response_model=DisputeOut,
    summary="One dispute",
    description="A dispute visible to the caller.",
)
async def get_dispute(
    dispute_id: DisputeIdPath, principal: CurrentPrincipal, reader: ReaderDep
) -> DisputeOut:
    dispute = await reader.visible_dispute(principal, dispute_id)
    if dispute is None:
        raise NotFoundError("dispute")
    return dispute_out(dispute)


@disputes.post(
    "/{dispute_id}/decision",
    response_model=DisputeOut,
    summary="争议仲裁: decide who handles it",
    description="Only the dispute's arbiter, while it is `pending`: the same kind of task opens for the "
    "assignee; an assignee in another division takes the clue there.",
    responses=DECISION_ERRORS,
)
async def decide_dispute(
    dispute_id: DisputeIdPath, body: DecisionIn, principal: CurrentPrincipal, uow: UnitOfWorkDep, now: Now
) -> DisputeOut:
    command = DecideDispute(principal, dispute_id, assignee=body.assignee, note=body.note)
    return dispute_out(await dispute_cases.decide_dispute(command, uow=uow, now=now))


# -- cases -------------------------------------------------------------------------------------


async def _case(clue_id: str, principal: Principal, reader: CaseReader) -> CaseOut:
    return case_out(await case_view(clue_id, caller=principal, reader=reader))


@cases.get(
    "/{clue_id}",
    response_model=CaseOut,
    summary="A clue's tasks, disputes and timeline",
    description="The whole handling of a clue visible to the caller, with its outcome once closed.",
)
async def get_case(clue_id: ClueIdPath, principal: CurrentPrincipal, reader: ReaderDep) -> CaseOut:
    return await _case(clue_id, principal, reader)


@cases.get(
    "/{clue_id}/verify",
    response_model=ChainCheckOut,
    summary="Check the timeline's hash chain",
    description="Recomputes every entry's hash: `valid` false names the first entry that does not chain.",
)
async def verify_case(clue_id: ClueIdPath, principal: CurrentPrincipal, reader: ReaderDep) -> ChainCheckOut:
    check = await check_case_timeline(clue_id, caller=principal, reader=reader)
    return ChainCheckOut(
        clue_id=clue_id,
        valid=check.valid,
        entries=check.entries,
        broken_at=check.broken_at,
        problem=check.problem,
    )


@cases.post(
    "/{clue_id}/unlink",
    response_model=CaseOut,
    summary="Rule 8: the division office unlinks a clue",
    description="The clue leaves its lead's handling and gets tasks of its own; only the division office "
    "(or the city office), before it closes.",
    responses=UNLINK_ERRORS,
)
async def unlink_case(
    clue_id: ClueIdPath, principal: CurrentPrincipal, context: Context, now: Now
) -> CaseOut:
    async with context.transaction() as uow:
        await clue_cases.unlink_clue(UnlinkClue(principal, clue_id), uow=uow, now=now)
    context.after_commit()
    async with context.reader() as reader:  # the case as committed
        return await _case(clue_id, principal, reader)


# -- agencies ----------------------------------------------------------------------------------


@agencies.get(
    "",
    response_model=list[AgencyOut],
    summary="The agency registry",
    description="Every agency a task or a dispute decision may name.",
    dependencies=[Depends(current_principal)],
)
async def list_agencies(registry: Registry) -> list[AgencyOut]:
    return [
        AgencyOut(
            agency_id=a.agency_id,
            division=a.division,
            division_name=a.division_name,
            kind=a.kind,
            name=a.name,
        )
        for a in registry.all()
    ]
