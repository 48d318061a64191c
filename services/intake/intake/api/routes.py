"""Intake's HTTP routes (CONTRACT.md, Intake)."""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from intake.api.schemas import (
    ClueAccepted,
    ClueLink,
    ClueRead,
    ClueSubmission,
    ConflictProblem,
    Problem,
    ValidationProblem,
)
from intake.app.access import clue_access
from intake.app.handlers import submit_clue
from intake.bootstrap import Intake
from intake.domain.disclosure import disclose
from intake.domain.errors import ConflictingResubmission, ExternalIdTaken, NotAllowedToSubmit
from intake.domain.model import ClueStatus, Source
from intake.store.repository import ClueRepository
from intake.store.tables import ClueRow
from shared.auth import CurrentPrincipal
from shared.logs import current_clue_id
from shared.params import ClueIdPath
from shared.problems import MEDIA_TYPE, ProblemError, field_path, not_found, validation_problem

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/clues", tags=["clues"])


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


_SUBMISSION_SCHEMA = ClueSubmission.model_json_schema(ref_template="#/components/schemas/{model}")
#: Schemas the OpenAPI document must carry in its components (see intake.api.openapi).
COMPONENT_SCHEMAS: dict[str, Any] = {
    **_SUBMISSION_SCHEMA.pop("$defs", {}),
    "ClueSubmission": _SUBMISSION_SCHEMA,
    **{
        model.__name__: model.model_json_schema(ref_template="#/components/schemas/{model}")
        for model in (Problem, ValidationProblem, ConflictProblem)
    },
}
for _model in (ValidationProblem, ConflictProblem):
    COMPONENT_SCHEMAS.update(COMPONENT_SCHEMAS[_model.__name__].pop("$defs", {}))


def _problem(description: str, model: type[Problem] = Problem) -> dict[str, Any]:
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
    }


_AUTH_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: _problem("no key, or an unknown key"),
}


@router.post(
    "",
    status_code=201,
    response_model=ClueAccepted,
    summary="Submit a clue",
    description=(
        "Stores the clue durably before answering 201. The same (source, external_id) with the same "
        "content answers 200 with the same clue_id; with different content, 409 naming what differs."
    ),
    responses={
        200: {
            "model": ClueAccepted,
            "description": "the same clue was already submitted; its current status",
        },
        400: _problem("the body is not JSON"),
        **_AUTH_PROBLEMS,
        403: _problem("the key may not submit clues of this source"),
        409: _problem("submitted before with different content", ConflictProblem),
        413: _problem("the body is over the configured size"),
        422: _problem("invalid fields, every one listed; nothing was stored", ValidationProblem),
    },
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClueSubmission"}}},
            "required": True,
        }
    },
)
async def post_clue(request: Request, response: Response, principal: CurrentPrincipal) -> ClueAccepted:
    # The raw body is parsed here rather than by FastAPI, so that it is kept verbatim for audit.
    raw = await request.body()
    intake = _intake(request)
    runtime = intake.runtime
    now = datetime.now(UTC)
    submission, raw_body = _parse_submission(
        raw, now=now, clock_skew=timedelta(seconds=intake.settings.clock_skew_seconds)
    )
    try:
        async with runtime.sessions.begin() as session:
            result = await submit_clue(
                session,
                intake.outbox,
                submission=submission,
                raw_body=raw_body,
                principal=principal,
                policy=intake.emergency_policy,
                duplicate_window=timedelta(days=intake.settings.duplicate_window_days),
                sealer=intake.sealer,
                now=now,
            )
    except NotAllowedToSubmit as error:
        raise ProblemError(403, "Forbidden", str(error)) from error
    except ExternalIdTaken as error:
        raise ProblemError(
            409,
            "Conflict",
            f"external_id {submission.external_id!r} of source {submission.source} is already used by "
            "another submitter; external ids are unique within a source, so use a new one.",
            differences=["submitted_by"],
        ) from error
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
        # No personal data here: ids, source, division and the emergency flag only.
        log.info(
            "clue %s received: source %s, division %s, emergency %s, lead %s",
            result.clue_id,
            submission.source,
            submission.division,
            result.emergency,
            result.lead_clue_id,
        )
    else:
        response.status_code = 200
    return ClueAccepted(clue_id=result.clue_id, status=result.status)


def _parse_submission(raw: bytes, *, now: datetime, clock_skew: timedelta) -> tuple[ClueSubmission, str]:
    """The submission and its body as text; 400 for a body that is not JSON, 422 listing every bad field."""
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
        errors = [
            {"field": field_path(e["loc"]), "message": str(e["msg"]).removeprefix("Value error, ")}
            for e in error.errors()
        ]
        raise validation_problem(errors) from error
    return submission, raw_body


@router.get(
    "/{clue_id}",
    response_model=ClueRead,
    summary="A clue with its current status",
    responses={
        **_AUTH_PROBLEMS,
        404: _problem("no such clue, or not visible to the caller"),
        422: _problem("invalid parameters", ValidationProblem),
    },
)
async def get_clue(clue_id: ClueIdPath, request: Request, principal: CurrentPrincipal) -> ClueRead:
    async with _intake(request).runtime.sessions() as session:
        clues = ClueRepository(session)
        clue = await clues.get(clue_id)
        if clue is None:
            raise not_found("clue")
        # A linked clue is handled through its lead, so the lead's task holders see it too (rule 8).
        handled_by = [clue.clue_id] + ([clue.lead_clue_id] if clue.lead_clue_id else [])
        holder_states = (
            await clues.holder_states(handled_by, principal.agency_id) if principal.agency_id else []
        )
        access = clue_access(principal, clue, holder_states)
        if not access.visible:
            raise not_found("clue")
        related = await clues.related(clue)
        links = await clues.links_of([clue.clue_id, *related])
    return _read(clue, related=related, links=links, full_personal_data=access.full_personal_data)


def _read(
    clue: ClueRow,
    *,
    related: list[str],
    links: list[tuple[str, str, str | None]],
    full_personal_data: bool,
) -> ClueRead:
    submitted: dict[str, Any] = clue.submission
    shown = disclose(
        complainant=submitted.get("complainant"),
        summary=submitted["summary"],
        source_payload=clue.source_payload,
        full_personal_data=full_personal_data,
    )
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
        complainant=shown.complainant,
        summary=shown.summary,
        flags=submitted.get("flags", []),
        source_payload=shown.source_payload,
        source_payload_withheld=shown.source_payload_withheld,
        submitted_by=clue.submitted_by,
        emergency=clue.emergency,
        emergency_reasons=clue.emergency_reasons,
        status=ClueStatus(clue.status),
        stage=clue.stage,
        outcome=clue.outcome,
        amount_paid=f"{clue.amount_paid:.2f}" if clue.amount_paid is not None else None,
        related=related,
        lead_clue_id=clue.lead_clue_id,
        link_reason=clue.link_reason if clue.lead_clue_id else None,
        links=[ClueLink(clue_id=c, lead_clue_id=lead, reason=why) for c, lead, why in links],
        created_at=clue.created_at,
        updated_at=clue.updated_at,
    )
