"""Who hears of each event (CONTRACT.md, Notify; rule 7)."""

from typing import Any

import pytest

from notify.domain.recipients import (
    CITY_OFFICE,
    WEBHOOK_EVENT_TYPES,
    ClueSource,
    industry_authority,
    never_reaching,
    recipients,
)


def clue(source: str = "national", **overrides: Any) -> ClueSource:
    fields: dict[str, Any] = {
        "clue_id": "c-1",
        "source": source,
        "submitted_by": f"source:{source}",
        "division": "330108",
        "project_kind": "building",
        "flags": frozenset(),
    }
    fields.update(overrides)
    return ClueSource(**fields)


def test_task_assigned_goes_to_the_assignee() -> None:
    assert recipients("task.assigned", {"agency_id": "330108.gov"}, clue=clue(), unfinished_holders=[]) == [
        "agency:330108.gov"
    ]


def test_clue_status_goes_to_the_platform_that_sent_the_clue() -> None:
    data = {"source": "national", "submitted_by": "source:national", "division": "330108"}
    assert recipients("clue.status", data, clue=None, unfinished_holders=[]) == ["source:national"]


def test_onsite_clue_status_goes_to_the_submitting_agency() -> None:
    data = {"source": "onsite", "submitted_by": "agency:330108.hrss", "division": "330108"}
    assert recipients("clue.status", data, clue=None, unfinished_holders=[]) == ["agency:330108.hrss"]


def test_petition_clue_status_also_goes_to_the_current_divisions_petition_agency() -> None:
    # The clue moved from 330108 to 330109: the petition agency follows the clue.
    data = {"source": "petition", "submitted_by": "source:petition", "division": "330109"}
    got = recipients("clue.status", data, clue=clue("petition"), unfinished_holders=[])
    assert got == ["source:petition", "agency:330109.petition"]


def test_clue_status_falls_back_to_what_notify_remembers() -> None:
    got = recipients(
        "clue.status",
        {},
        clue=clue("onsite", submitted_by="agency:330108.water"),
        unfinished_holders=[],
    )
    assert got == ["agency:330108.water"]


@pytest.mark.parametrize(
    ("project_kind", "authority"),
    [
        ("building", "agency:330110.construction"),
        ("municipal", "agency:330110.construction"),
        ("transport", "agency:330110.transport"),
        ("water", "agency:330110.water"),
        ("other", None),
        (None, None),
    ],
)
def test_emergency_reaches_office_hrss_gov_industry_authority_and_city_office(
    project_kind: str | None, authority: str | None
) -> None:
    data = {"division": "330110", "project_kind": project_kind}
    expected = ["agency:330110.office", "agency:330110.hrss", "agency:330110.gov"]
    expected += [authority] if authority else []
    expected.append(CITY_OFFICE)
    assert recipients("clue.emergency", data, clue=None, unfinished_holders=[]) == expected
    assert industry_authority("330110", project_kind) == authority


def test_opinion_and_media_attention_clues_reach_the_division_office_at_once() -> None:
    assert recipients("clue.received", {}, clue=clue("opinion"), unfinished_holders=[]) == [
        "agency:330108.office"
    ]
    flagged = clue(flags=frozenset({"media_attention"}))
    assert recipients("clue.received", {}, clue=flagged, unfinished_holders=[]) == ["agency:330108.office"]
    assert recipients("clue.received", {}, clue=clue(), unfinished_holders=[]) == []


def test_due_soon_goes_to_the_holders_deadlines_saw_when_it_fired() -> None:
    data = {"division": "330108", "holders": ["330108.hrss", "330108.gov"]}
    got = recipients("deadline.due_soon", data, clue=clue(), unfinished_holders=["330108.water"])
    assert got == ["agency:330108.gov", "agency:330108.hrss"]


def test_due_soon_uses_notifys_own_holders_when_the_event_names_none() -> None:
    got = recipients(
        "deadline.due_soon", {"division": "330108"}, clue=clue(), unfinished_holders=["330108.gov"]
    )
    assert got == ["agency:330108.gov"]


def test_breach_goes_to_the_holders_and_the_division_office_once_each() -> None:
    data = {"division": "330108", "holders": ["330108.office", "330108.gov"], "escalate_to": []}
    got = recipients("deadline.breached", data, clue=clue(), unfinished_holders=[])
    assert got == ["agency:330108.gov", "agency:330108.office"]


def test_breach_with_no_holder_left_still_reaches_the_office() -> None:
    got = recipients(
        "deadline.breached", {"division": "330108", "holders": []}, clue=None, unfinished_holders=[]
    )
    assert got == ["agency:330108.office"]


def test_disputes_reach_the_arbiter_then_both_parties() -> None:
    assert recipients("dispute.opened", {"arbiter": "330108.office"}, clue=None, unfinished_holders=[]) == [
        "agency:330108.office"
    ]
    decided = {"from_agency": "330108.gov", "decided_assignee": "330109.gov"}
    assert recipients("dispute.decided", decided, clue=None, unfinished_holders=[]) == [
        "agency:330108.gov",
        "agency:330109.gov",
    ]


def test_events_nobody_subscribes_to_reach_nobody() -> None:
    assert recipients("deadline.started", {"division": "330108"}, clue=clue(), unfinished_holders=["x"]) == []


def test_only_events_that_reach_a_principal_may_be_subscribed() -> None:
    everything = list(WEBHOOK_EVENT_TYPES)
    assert never_reaching("source:petition", everything) == [e for e in everything if e != "clue.status"]
    assert never_reaching("agency:330106.office", everything) == ["task.updated"]
    assert never_reaching("agency:330106.hrss", everything) == ["task.updated", "clue.received"]
    assert never_reaching("agency:330106.court", ["clue.emergency", "task.assigned"]) == ["clue.emergency"]
    assert never_reaching("admin", ["clue.status"]) == ["clue.status"]
