"""Intake's HTTP routes (CONTRACT.md, Intake)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from intake.api.schemas import ClueAccepted, ClueRead, ClueSubmission
from intake.app.access import clue_access
from intake.app.handlers import submit_clue
from intake.bootstrap import Intake
from intake.domain.errors import ConflictingResubmission, NotAllowedToSubmit
from intake.domain.model import ClueStatus, Source
from intake.store.repository import ClueRepository
from intake.store.tables import ClueRow
from shared.auth import CurrentPrincipal
from shared.logs import current_clue_id
from shared.masking import mask_complainant
from shared.problems import ProblemError, field_path, not_found, validation_problem

router = APIRouter(prefix="/v1/clues", tags=["clues"])


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


@router.post(
    "",
    status_code=201,
    response_model=ClueAccepted,
    summary="Submit a clue",
    responses={200: {"model": ClueAccepted, "description": "the same clue was already submitted"}},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": ClueSubmission.model_json_schema(ref_template="#/components/schemas/{model}")
                }
            },
            "required": True,
        }
    },
)
async def post_clue(request: Request, response: Response, principal: CurrentPrincipal) -> ClueAccepted:
    raw = await request.body()
    submission = _parse_submission(raw)
    intake = _intake(request)
    runtime = intake.runtime
    now = datetime.now(UTC)
    skew = timedelta(seconds=intake.settings.clock_skew_seconds)
    if submission.received_at > now + skew:
        raise validation_problem(
            [{"field": "received_at", "message": "is in the future; send when the source received the clue"}]
        )
    try:
        async with runtime.sessions.begin() as session:
            result = await submit_clue(
                session,
                intake.outbox,
                submission=submission,
                raw_body=raw.decode(),
                principal=principal,
                policy=intake.emergency_policy,
                duplicate_window=timedelta(days=intake.settings.duplicate_window_days),
                now=now,
            )
    except NotAllowedToSubmit as error:
        raise ProblemError(403, "Forbidden", str(error)) from error
    except ConflictingResubmission as error:
        raise ProblemError(
            409,
            "Conflict",
            f"({submission.source}, {submission.external_id}) was already submitted as clue {error.clue_id} "
            f"with different content in: {', '.join(error.differences)}. Use a new external_id for a new clue.",
            clue_id=error.clue_id,
            differences=error.differences,
        ) from error
    current_clue_id.set(result.clue_id)
    if result.created:
        runtime.after_commit()
    else:
        response.status_code = 200
    return ClueAccepted(clue_id=result.clue_id, status=ClueStatus.RECEIVED)


def _parse_submission(raw: bytes) -> ClueSubmission:
    try:
        return ClueSubmission.model_validate_json(raw)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise ProblemError(
                400, "Malformed JSON", "The body is not valid JSON; send a JSON object."
            ) from error
        errors = [
            {"field": field_path(e["loc"]), "message": str(e["msg"]).removeprefix("Value error, ")}
            for e in error.errors()
        ]
        raise validation_problem(errors) from error


@router.get("/{clue_id}", response_model=ClueRead, summary="A clue with its current status")
async def get_clue(clue_id: str, request: Request, principal: CurrentPrincipal) -> ClueRead:
    async with _intake(request).runtime.sessions() as session:
        clues = ClueRepository(session)
        clue = await clues.get(clue_id) if _is_uuid(clue_id) else None
        if clue is None:
            raise not_found("clue")
        holder_states = await clues.holder_states(clue_id, principal.agency_id) if principal.agency_id else []
        access = clue_access(principal, clue, holder_states)
        if not access.visible:
            raise not_found("clue")
        related = await clues.related(clue)
    return _read(clue, related=related, full_personal_data=access.full_personal_data)


def _read(clue: ClueRow, *, related: list[str], full_personal_data: bool) -> ClueRead:
    submitted: dict[str, Any] = clue.submission
    complainant = submitted.get("complainant")
    return ClueRead(
        clue_id=clue.clue_id,
        source=Source(clue.source),
        external_id=clue.external_id,
        received_at=clue.received_at,
        division=clue.division,
        township=submitted.get("township"),
        employer=submitted["employer"],
        project=submitted.get("project"),
        workers=clue.workers,
        amount_owed=f"{clue.amount_owed:.2f}",
        complainant=complainant if full_personal_data else mask_complainant(complainant),
        summary=submitted["summary"],
        flags=submitted.get("flags", []),
        source_payload=clue.source_payload,
        submitted_by=clue.submitted_by,
        emergency=clue.emergency,
        emergency_reasons=clue.emergency_reasons,
        status=ClueStatus(clue.status),
        stage=clue.stage,
        outcome=clue.outcome,
        amount_paid=f"{clue.amount_paid:.2f}" if clue.amount_paid is not None else None,
        related=related,
        lead_clue_id=clue.lead_clue_id,
        created_at=clue.created_at,
        updated_at=clue.updated_at,
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
