"""Who receives each event (CONTRACT.md, Notify: Events and who receives them; rule 7)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

CITY_OFFICE = "agency:330100.office"
INDUSTRY_KIND = {
    "building": "construction",
    "municipal": "construction",
    "transport": "transport",
    "water": "water",
}
WebhookEventType = Literal[
    "task.assigned",
    "task.updated",
    "clue.status",
    "clue.emergency",
    "clue.received",
    "deadline.due_soon",
    "deadline.breached",
    "dispute.opened",
    "dispute.decided",
]
WEBHOOK_EVENT_TYPES: tuple[str, ...] = get_args(WebhookEventType)


@dataclass(frozen=True)
class ClueSource:
    """What notify remembers of a clue to address its feedback."""

    clue_id: str
    source: str
    submitted_by: str
    division: str
    project_kind: str | None
    flags: frozenset[str]


def agency(agency_id: str) -> str:
    return f"agency:{agency_id}"


def industry_authority(division: str, project_kind: str | None) -> str | None:
    kind = INDUSTRY_KIND.get(project_kind or "")
    return agency(f"{division}.{kind}") if kind else None


def _holders(data: Mapping[str, Any], unfinished_holders: Iterable[str]) -> list[str]:
    """The holders deadlines saw when the notice fired; notify's own view when it names none."""
    named = data.get("holders")
    return sorted(named) if isinstance(named, list) else sorted(unfinished_holders)


def recipients(
    event_type: str,
    data: Mapping[str, Any],
    *,
    clue: ClueSource | None,
    unfinished_holders: Iterable[str],
) -> list[str]:
    """Principals to deliver an event to, without duplicates, in a stable order."""
    wanted: list[str | None] = []
    if event_type == "task.assigned":
        wanted.append(agency(data["agency_id"]))
    elif event_type == "clue.status":
        # The event names its source; notify's memory of the clue is the fallback.
        source = data.get("source") or (clue.source if clue else None)
        submitted_by = data.get("submitted_by") or (clue.submitted_by if clue else None)
        division = data.get("division") or (clue.division if clue else None)
        if source == "onsite":
            wanted.append(submitted_by)
        elif source:
            wanted.append(f"source:{source}")
        if source == "petition" and division:
            wanted.append(agency(f"{division}.petition"))
    elif event_type == "clue.emergency":
        division = data["division"]
        wanted += [
            agency(f"{division}.office"),
            agency(f"{division}.hrss"),
            agency(f"{division}.gov"),
            industry_authority(division, data.get("project_kind")),
            CITY_OFFICE,
        ]
    elif event_type == "clue.received" and clue is not None:
        if clue.source == "opinion" or "media_attention" in clue.flags:
            wanted.append(agency(f"{clue.division}.office"))
    elif event_type == "deadline.due_soon":
        wanted += [agency(a) for a in _holders(data, unfinished_holders)]
    elif event_type == "deadline.breached":
        wanted += [agency(a) for a in _holders(data, unfinished_holders)]
        division = data.get("division") or (clue.division if clue else None)
        if division:
            wanted.append(agency(f"{division}.office"))
        wanted += [agency(a) for a in data.get("escalate_to", [])]
    elif event_type == "dispute.opened":
        wanted.append(agency(data["arbiter"]))
    elif event_type == "dispute.decided":
        wanted += [agency(data["from_agency"]), agency(data["decided_assignee"])]
    return list(dict.fromkeys(p for p in wanted if p))


#: Agency kinds that ``clue.received`` and ``clue.emergency`` reach (the rest reach any agency), and
#: ``task.updated``, which ``recipients`` addresses to no one.
REACHES_AGENCY_KINDS: dict[str, frozenset[str]] = {
    "clue.received": frozenset({"office"}),
    "clue.emergency": frozenset({"office", "hrss", "gov", *INDUSTRY_KIND.values()}),
    "task.updated": frozenset(),
}


def never_reaching(principal: str, events: Iterable[str]) -> list[str]:
    """The events, of those named, that ``recipients`` never addresses to this principal: a source
    hears only ``clue.status``; an agency every event but those kept to some kinds of agency (or to
    none)."""
    kind, _, name = principal.partition(":")
    if kind == "source":
        return [e for e in events if e != "clue.status"]
    if kind != "agency":
        return list(events)
    agency_kind = name.rpartition(".")[2]
    return [e for e in events if agency_kind not in REACHES_AGENCY_KINDS.get(e, frozenset({agency_kind}))]
