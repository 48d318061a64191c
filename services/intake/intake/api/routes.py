"""Intake's HTTP routes (CONTRACT.md, Intake): parse, call one use case, shape the answer."""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from intake.api.deps import IntakeDep, UnitOfWorkDep
from intake.api.openapi import problem
from intake.api.responses import ClueAccepted, ClueLink, ClueRead, ConflictProblem, ValidationProblem
from intake.api.schemas import ClueSubmission
from intake.app.commands import ReadClue, SubmitClue
from intake.app.read_clue import ClueReading, read_clue
from intake.app.submit_clue import submit_clue
from shared.auth import CurrentPrincipal, Principal
from shared.logs import current_clue_id
from shared.params import ClueIdPath
from shared.problems import ProblemError, field_errors, validation_problem

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/clues", tags=["clues"])

_AUTH_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: problem("no key, or an unknown key"),
}


@router.post(
    "",
    status_code=201,
    response_model=ClueAccepted,
    summary="Submit a clue",
    description=(
        "Stores the clue durably before answering 201. The same (source, external_id) with the same "
        "content (compared as values: one instant in any offset, one amount however written) answers 200 "
        "with the same clue_id; with different content, 409 naming what differs. A clue of a matter that "
        "already has an unfinished clue joins it: `linked_to` names that lead clue and `link_reason` "
        "says what matched (rule 8); `status` stays as the clue's own."
    ),
    responses={
        200: {
            "model": ClueAccepted,
            "description": "the same clue was already submitted; its current status",
        },
        400: problem("the body is not JSON"),
        **_AUTH_PROBLEMS,
        403: problem("the key may not submit clues of this source"),
        409: problem("submitted before with different content", ConflictProblem),
        413: problem("the body is over the configured size"),
        422: problem("invalid fields, every one listed; nothing was stored", ValidationProblem),
    },
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClueSubmission"}}},
            "required": True,
        }
    },
)
async def post_clue(
    request: Request, response: Response, principal: CurrentPrincipal, intake: IntakeDep, uow: UnitOfWorkDep
) -> ClueAccepted:
    # The raw body is parsed here rather than by FastAPI, so that it is kept verbatim for audit.
    now = datetime.now(UTC)
    command = _parse_submission(await request.body(), principal, now=now, clock_skew=intake.clock_skew)
    result = await submit_clue(
        command,
        uow=uow,
        now=now,
        policy=intake.emergency_policy,
        duplicate_window=intake.duplicate_window,
        sealer=intake.sealer,
    )
    current_clue_id.set(result.clue_id)
    if result.created:
        # No personal data here: ids, source, division and the emergency flag only.
        log.info(
            "clue %s received: source %s, division %s, emergency %s, lead %s",
            result.clue_id,
            command.source,
            command.division,
            result.emergency,
            result.lead_clue_id,
        )
    else:
        response.status_code = 200
    return ClueAccepted(
        clue_id=result.clue_id,
        status=result.status,
        linked_to=result.lead_clue_id,
        link_reason=result.link_reason if result.lead_clue_id else None,
    )


def _parse_submission(
    raw: bytes, principal: Principal, *, now: datetime, clock_skew: timedelta
) -> SubmitClue:
    """The submission as a command; 400 for a body that is not JSON, 422 listing every bad field."""
    malformed = ProblemError(400, "Malformed JSON", "The body is not valid UTF-8 JSON; send a JSON object.")
    try:
        raw_body = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise malformed from error
    try:
        submission = ClueSubmission.model_validate_json(raw, context={"now": now, "clock_skew": clock_skew})
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise malformed from error
        raise validation_problem(field_errors(error.errors())) from error
    return submission_command(submission, raw_body=raw_body, principal=principal)


def submission_command(submission: ClueSubmission, *, raw_body: str, principal: Principal) -> SubmitClue:
    """What the use case takes from a valid submission."""
    project = submission.project
    return SubmitClue(
        source=submission.source,
        external_id=submission.external_id,
        received_at=submission.received_at,
        division=submission.division,
        employer_name=submission.employer.name,
        employer_uscc=submission.employer.uscc,
        project_name=project.name if project else None,
        project_kind=project.kind if project else None,
        workers=submission.workers,
        amount_owed=submission.amount(),
        summary=submission.summary,
        flags=frozenset(submission.flags),
        source_payload=submission.source_payload,
        content=submission.model_dump(mode="json"),
        raw_body=raw_body,
        submitted_by=principal,
    )


@router.get(
    "/{clue_id}",
    response_model=ClueRead,
    summary="A clue with its current status",
    description=(
        "The clue, its status and stage, its links to the clues of the same matter. Personal data is "
        "shown in full, masked or withheld by who reads (the submitter and the agencies of its tasks)."
    ),
    responses={
        **_AUTH_PROBLEMS,
        404: problem("no such clue, or not visible to the caller"),
        422: problem("invalid parameters", ValidationProblem),
    },
)
async def get_clue(clue_id: ClueIdPath, principal: CurrentPrincipal, uow: UnitOfWorkDep) -> ClueRead:
    return _read(await read_clue(ReadClue(clue_id, principal), uow=uow))


def _read(reading: ClueReading) -> ClueRead:
    clue, shown = reading.clue, reading.shown
    submitted: dict[str, Any] = clue.submission
    return ClueRead(
        clue_id=clue.clue_id,
        source=clue.source,
        external_id=clue.external_id,
        received_at=clue.received_at,
        division=clue.division,
        township=submitted.get("township"),
        employer=submitted["employer"],
        project=submitted.get("project"),
        workers=clue.workers,
        amount_owed=f"{clue.amount_owed:.2f}",
        complainant=shown.complainant,
        summary=shown.summary,
        flags=submitted.get("flags", []),
        source_payload=shown.source_payload,
        source_payload_withheld=shown.source_payload_withheld,
        submitted_by=clue.submitted_by,
        emergency=clue.emergency,
        emergency_reasons=clue.emergency_reasons,
        status=clue.status,
        stage=clue.stage,
        outcome=clue.outcome,
        amount_paid=f"{clue.amount_paid:.2f}" if clue.amount_paid is not None else None,
        related=reading.related,
        lead_clue_id=clue.lead_clue_id,
        link_reason=clue.link_reason if clue.lead_clue_id else None,
        links=[
            ClueLink(clue_id=link.clue_id, lead_clue_id=link.lead_clue_id, reason=link.reason)
            for link in reading.links
        ],
        created_at=clue.created_at,
        updated_at=clue.updated_at,
    )
