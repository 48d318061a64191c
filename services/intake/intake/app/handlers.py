"""Intake's use cases. Each runs inside the caller's transaction and writes its events to the outbox."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intake.api.schemas import ClueSubmission
from intake.domain import matching, rules
from intake.domain.errors import ConflictingResubmission, ExternalIdTaken, NotAllowedToSubmit
from intake.domain.model import ONSITE_AGENCY_KINDS, ClueStatus, EmergencyPolicy, Source
from intake.store.repository import ClueRepository
from intake.store.tables import ClueRow
from shared.auth import Principal
from shared.events import new_event
from shared.masking import scrub
from shared.messaging import Outbox
from shared.sealing import Sealer, seal_personal_fields

EVENT_SOURCE = "/anxin/intake"


@dataclass(frozen=True)
class SubmissionResult:
    clue_id: str
    created: bool
    emergency: bool = False
    lead_clue_id: str | None = None
    status: ClueStatus = ClueStatus.RECEIVED


def check_may_submit(principal: Principal, source: Source) -> None:
    """A platform submits its own source; hrss and industry agencies submit ``onsite`` (首问负责制)."""
    if principal.source is not None:
        if principal.source != source:
            raise NotAllowedToSubmit(
                f"the key of source {principal.source!r} may submit only {principal.source!r} clues"
            )
        return
    if principal.agency_id is not None:
        if source != Source.ONSITE or principal.agency_kind not in ONSITE_AGENCY_KINDS:
            raise NotAllowedToSubmit(
                "an agency may submit only onsite clues, and only hrss, construction, transport or water"
            )
        return
    raise NotAllowedToSubmit("only a source platform or a first-inquiry agency submits clues")


async def submit_clue(
    session: AsyncSession,
    outbox: Outbox,
    *,
    submission: ClueSubmission,
    raw_body: str,
    principal: Principal,
    policy: EmergencyPolicy,
    duplicate_window: timedelta,
    sealer: Sealer,
    now: datetime,
) -> SubmissionResult:
    check_may_submit(principal, submission.source)
    clues = ClueRepository(session)
    content = submission.model_dump(mode="json")
    fingerprint = rules.fingerprint(content)

    existing = await clues.by_external_id(submission.source, submission.external_id)
    if existing is not None:
        return _same_or_conflict(existing, content, fingerprint, principal)

    project = submission.project
    key = rules.matter_key(
        division=submission.division,
        employer_name=submission.employer.name,
        employer_uscc=submission.employer.uscc,
        project_name=project.name if project else None,
    )
    facts = matching.matter_facts(
        division=submission.division,
        employer_name=submission.employer.name,
        employer_uscc=submission.employer.uscc,
        project_name=project.name if project else None,
    )
    lead, reason = None, None
    if duplicate_window > timedelta(0):
        await clues.lock_matter(matching.matter_locks(facts))
        candidates = await clues.open_clues_of_employer(
            facts,
            since=submission.received_at - duplicate_window,
            until=submission.received_at + duplicate_window,
        )
        reasons_by_clue = {
            c.clue_id: why for c in candidates if c.facts and (why := matching.match(facts, c.facts))
        }
        matches = [c for c in candidates if c.clue_id in reasons_by_clue]
        lead = rules.pick_lead(matches, received_at=submission.received_at, window=duplicate_window)
        reason = reasons_by_clue[lead.clue_id] if lead else None

    reasons = rules.emergency_reasons(
        workers=submission.workers,
        amount_owed=submission.amount(),
        flags=frozenset(submission.flags),
        policy=policy,
    )
    clue_id = str(uuid.uuid4())
    inserted = await clues.insert_new(
        {
            "clue_id": clue_id,
            "source": submission.source,
            "external_id": submission.external_id,
            "submitted_by": str(principal),
            "fingerprint": fingerprint,
            "submission": content,
            "raw_body": raw_body,
            "source_payload": submission.source_payload,
            "received_at": submission.received_at,
            "division": submission.division,
            "employer_key": key.employer,
            "project_key": key.project,
            "employer_uscc": facts.uscc,
            "employer_name": facts.employer_name,
            "link_reason": reason.text() if reason else None,
            "workers": submission.workers,
            "amount_owed": submission.amount(),
            "emergency": bool(reasons),
            "emergency_reasons": reasons,
            "lead_clue_id": lead.clue_id if lead else None,
            "status": ClueStatus.RECEIVED,
            "stage": [],
        }
    )
    if not inserted:
        raced = await clues.by_external_id(submission.source, submission.external_id)
        assert raced is not None, "the conflicting row must be visible once its insert committed"
        return _same_or_conflict(raced, content, fingerprint, principal)

    data = clue_event_data(
        clue_id=clue_id, content=content, principal=principal, reasons=reasons, sealer=sealer
    )
    data["lead_clue_id"] = lead.clue_id if lead else None
    data["link_reason"] = reason.text() if reason else None
    await outbox.add(
        session, new_event(source=EVENT_SOURCE, type="clue.received", subject=clue_id, data=data, time=now)
    )
    if lead is not None and reason is not None:
        await outbox.add(
            session,
            new_event(
                source=EVENT_SOURCE,
                type="clue.linked",
                subject=clue_id,
                data={
                    "clue_id": clue_id,
                    "lead_clue_id": lead.clue_id,
                    "division": submission.division,
                    "matched_on": reason.matched_on(),
                    "reason": reason.text(),
                },
                time=now,
            ),
        )
    if reasons:
        await outbox.add(
            session,
            new_event(
                source=EVENT_SOURCE,
                type="clue.emergency",
                subject=clue_id,
                data={
                    "clue_id": clue_id,
                    "source": submission.source,
                    "division": submission.division,
                    "project_kind": project.kind if project else None,
                    "workers": submission.workers,
                    "amount_owed": submission.amount_owed,
                    "flags": content["flags"],
                    "reasons": reasons,
                    # Free text goes out scrubbed of phone and ID numbers (issue 19).
                    "summary": scrub(submission.summary),
                },
                time=now,
            ),
        )
    return SubmissionResult(
        clue_id, created=True, emergency=bool(reasons), lead_clue_id=lead.clue_id if lead else None
    )


def clue_event_data(
    *, clue_id: str, content: dict[str, Any], principal: Principal, reasons: list[str], sealer: Sealer
) -> dict[str, Any]:
    """The ``clue.received`` payload: the clue as submitted, its personal data sealed."""
    data = seal_personal_fields(
        {k: v for k, v in content.items() if k != "source_payload"}, sealer, clue_id=clue_id
    )
    data.update(
        clue_id=clue_id,
        submitted_by=str(principal),
        emergency=bool(reasons),
        emergency_reasons=reasons,
    )
    return data


def _same_or_conflict(
    existing: ClueRow, content: dict[str, Any], fingerprint: str, principal: Principal
) -> SubmissionResult:
    if existing.submitted_by != str(principal):
        raise ExternalIdTaken
    if existing.fingerprint == fingerprint:
        return SubmissionResult(existing.clue_id, created=False, status=ClueStatus(existing.status))
    raise ConflictingResubmission(existing.clue_id, rules.differing_fields(existing.submission, content))


async def apply_routing_event(session: AsyncSession, *, event_type: str, data: dict[str, Any]) -> None:
    """Keep the status read model and the task holders current from routing's events."""
    clues = ClueRepository(session)
    if event_type == "clue.status":
        await clues.update_status(
            data["clue_id"],
            status=data["status"],
            stage=list(data.get("stage", [])),
            outcome=data.get("outcome"),
            amount_paid=data.get("amount_paid"),
            division=data.get("division"),
            lead_clue_id=data.get("lead_clue_id"),
        )
    elif event_type in {"task.assigned", "task.updated"}:
        await clues.record_task(
            task_id=data["task_id"], clue_id=data["clue_id"], agency_id=data["agency_id"], state=data["state"]
        )
