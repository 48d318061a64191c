"""Submitting a clue (POST /v1/clues): stored once per (source, external_id), linked to its matter's
lead clue (rule 8), flagged as an emergency (rule 7), and announced on ``anxin.intake``."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from intake.app.access import check_may_submit
from intake.app.commands import SubmitClue
from intake.app.ports import UnitOfWork
from intake.domain import matching, rules
from intake.domain.errors import ConflictingResubmission, ExternalIdTaken
from intake.domain.matching import MatchReason
from intake.domain.model import Clue, ClueStatus, EmergencyPolicy, MatterFacts, NewClue, OpenClue
from shared.events import CloudEvent, new_event
from shared.masking import scrub
from shared.sealing import Sealer, seal_personal_fields

EVENT_SOURCE = "/anxin/intake"


@dataclass(frozen=True)
class SubmissionResult:
    clue_id: str
    created: bool
    emergency: bool = False
    lead_clue_id: str | None = None
    status: ClueStatus = ClueStatus.RECEIVED
    link_reason: str | None = None


async def submit_clue(
    cmd: SubmitClue,
    *,
    uow: UnitOfWork,
    now: datetime,
    policy: EmergencyPolicy,
    duplicate_window: timedelta,
    sealer: Sealer,
) -> SubmissionResult:
    check_may_submit(cmd.submitted_by, cmd.source)
    fingerprint = rules.fingerprint(cmd.content)
    existing = await uow.clues.by_external_id(cmd.source, cmd.external_id)
    if existing is not None:
        return _same_or_conflict(existing, cmd, fingerprint)

    facts = matching.matter_facts(
        division=cmd.division,
        employer_name=cmd.employer_name,
        employer_uscc=cmd.employer_uscc,
        project_name=cmd.project_name,
    )
    lead, reason = await _lead_of(cmd, facts, uow=uow, window=duplicate_window)
    reasons = rules.emergency_reasons(
        workers=cmd.workers,
        amount_owed=cmd.amount_owed,
        flags=cmd.flags,
        policy=policy,
    )
    key = rules.matter_key(
        division=cmd.division,
        employer_name=cmd.employer_name,
        employer_uscc=cmd.employer_uscc,
        project_name=cmd.project_name,
    )
    clue_id = str(uuid.uuid4())
    clue = NewClue(
        clue_id=clue_id,
        source=cmd.source,
        external_id=cmd.external_id,
        submitted_by=str(cmd.submitted_by),
        fingerprint=fingerprint,
        submission=cmd.content,
        raw_body=cmd.raw_body,
        source_payload=cmd.source_payload,
        received_at=cmd.received_at,
        division=cmd.division,
        employer_key=key.employer,
        project_key=key.project,
        employer_uscc=facts.uscc,
        employer_name=facts.employer_name,
        link_reason=reason.text() if reason else None,
        workers=cmd.workers,
        amount_owed=cmd.amount_owed,
        emergency=bool(reasons),
        emergency_reasons=reasons,
        lead_clue_id=lead.clue_id if lead else None,
    )
    if not await uow.clues.add_new(clue):
        raced = await uow.clues.by_external_id(cmd.source, cmd.external_id)
        assert raced is not None, "the conflicting row must be visible once its insert committed"
        return _same_or_conflict(raced, cmd, fingerprint)

    for event in _events(cmd, clue, reason=reason, sealer=sealer, now=now):
        await uow.outbox.add(event)
    return SubmissionResult(
        clue_id,
        created=True,
        emergency=clue.emergency,
        lead_clue_id=clue.lead_clue_id,
        link_reason=clue.link_reason,
    )


async def _lead_of(
    cmd: SubmitClue, facts: MatterFacts, *, uow: UnitOfWork, window: timedelta
) -> tuple[OpenClue | None, MatchReason | None]:
    """The unfinished clue of the same matter this one joins (rule 8), and why; none when off."""
    if window <= timedelta(0):
        return None, None
    await uow.clues.lock_matter(matching.matter_locks(facts))
    candidates = await uow.clues.open_clues_of_employer(
        facts, since=cmd.received_at - window, until=cmd.received_at + window
    )
    reasons_by_clue = {
        c.clue_id: why for c in candidates if c.facts and (why := matching.match(facts, c.facts))
    }
    matches = [c for c in candidates if c.clue_id in reasons_by_clue]
    lead = rules.pick_lead(matches, received_at=cmd.received_at, window=window)
    return lead, reasons_by_clue[lead.clue_id] if lead else None


def _events(
    cmd: SubmitClue, clue: NewClue, *, reason: MatchReason | None, sealer: Sealer, now: datetime
) -> list[CloudEvent]:
    """``clue.received``, then ``clue.linked`` when it joins a lead and ``clue.emergency`` when it is one."""
    data = clue_event_data(
        clue_id=clue.clue_id,
        content=cmd.content,
        submitted_by=clue.submitted_by,
        reasons=clue.emergency_reasons,
        sealer=sealer,
    )
    data["lead_clue_id"] = clue.lead_clue_id
    data["link_reason"] = clue.link_reason
    events = [_event("clue.received", clue.clue_id, data, now)]
    if clue.lead_clue_id is not None and reason is not None:
        linked = {
            "clue_id": clue.clue_id,
            "lead_clue_id": clue.lead_clue_id,
            "division": cmd.division,
            "matched_on": reason.matched_on(),
            "reason": reason.text(),
        }
        events.append(_event("clue.linked", clue.clue_id, linked, now))
    if clue.emergency:
        emergency = {
            "clue_id": clue.clue_id,
            "source": cmd.source,
            "division": cmd.division,
            "project_kind": cmd.project_kind,
            "workers": cmd.workers,
            "amount_owed": cmd.content["amount_owed"],
            "flags": cmd.content["flags"],
            "reasons": clue.emergency_reasons,
            # Free text goes out scrubbed of phone and ID numbers (issue 19).
            "summary": scrub(cmd.summary),
        }
        events.append(_event("clue.emergency", clue.clue_id, emergency, now))
    return events


def _event(event_type: str, clue_id: str, data: dict[str, Any], now: datetime) -> CloudEvent:
    return new_event(source=EVENT_SOURCE, type=event_type, subject=clue_id, data=data, time=now)


def clue_event_data(
    *, clue_id: str, content: dict[str, Any], submitted_by: str, reasons: list[str], sealer: Sealer
) -> dict[str, Any]:
    """The ``clue.received`` payload: the clue as submitted, its personal data sealed."""
    data = seal_personal_fields(
        {k: v for k, v in content.items() if k != "source_payload"}, sealer, clue_id=clue_id
    )
    data.update(
        clue_id=clue_id,
        submitted_by=submitted_by,
        emergency=bool(reasons),
        emergency_reasons=reasons,
    )
    return data


def _same_or_conflict(existing: Clue, cmd: SubmitClue, fingerprint: str) -> SubmissionResult:
    """A resubmission: the same clue again (200), or a conflict (409)."""
    if existing.submitted_by != str(cmd.submitted_by):
        raise ExternalIdTaken(source=cmd.source, external_id=cmd.external_id)
    # The same content as values (an instant in another offset, "86000" for "86000.00") is the same clue.
    differences = (
        []
        if existing.fingerprint == fingerprint
        else rules.differing_fields(existing.submission, cmd.content)
    )
    if not differences:
        return SubmissionResult(
            existing.clue_id,
            created=False,
            status=existing.status,
            lead_clue_id=existing.lead_clue_id,
            link_reason=existing.link_reason if existing.lead_clue_id else None,
        )
    raise ConflictingResubmission(
        source=cmd.source, external_id=cmd.external_id, clue_id=existing.clue_id, differences=differences
    )
