"""Hand-made events of the three topics, as the services emit them, for focused report tests."""

import uuid
from datetime import datetime
from typing import Any

from shared.events import CloudEvent, new_event


def event(event_type: str, clue_id: str, at: datetime, **data: Any) -> CloudEvent:
    return new_event(
        source="/anxin/test", type=event_type, subject=clue_id, data={"clue_id": clue_id, **data}, time=at
    )


def clue_received(clue_id: str, at: datetime, *, division: str = "330106", **overrides: Any) -> CloudEvent:
    data: dict[str, Any] = {
        "source": "national",
        "external_id": f"R-{uuid.uuid4()}",
        "submitted_by": "source:national",
        "received_at": at.isoformat(),
        "division": division,
        "township": "北山街道",
        "employer": {"name": "杭州测试建设有限公司"},
        "project": {"name": "项目", "kind": "building"},
        "workers": 12,
        "amount_owed": "86000.00",
        "summary": "拖欠工资",
        "flags": [],
        "emergency": False,
        "emergency_reasons": [],
    }
    data.update(overrides)
    return event("clue.received", clue_id, at, **data)


def task_assigned(clue_id: str, task_id: str, kind: str, agency_id: str, at: datetime) -> CloudEvent:
    return event(
        "task.assigned",
        clue_id,
        at,
        task_id=task_id,
        kind=kind,
        agency_id=agency_id,
        state="open",
        reason="test",
        division=agency_id.split(".")[0],
        created_at=at.isoformat(),
    )


def task_done(
    clue_id: str, task_id: str, kind: str, agency_id: str, at: datetime, **result: Any
) -> CloudEvent:
    return event(
        "task.updated",
        clue_id,
        at,
        task_id=task_id,
        kind=kind,
        agency_id=agency_id,
        state="done",
        previous_state="accepted",
        updated_at=at.isoformat(),
        result=result,
    )


def deadline(
    event_type: str,
    clue_id: str,
    deadline_id: str,
    rule: str,
    due: datetime,
    at: datetime,
    *,
    state: str,
    late: bool,
) -> CloudEvent:
    return event(
        event_type,
        clue_id,
        at,
        deadline_id=deadline_id,
        rule=rule,
        division="330106",
        starts_on=due.date().isoformat(),
        due_at=due.isoformat(),
        state=state,
        late=late,
        provisional=False,
        holders=[],
    )


def clue_status(
    clue_id: str,
    at: datetime,
    *,
    status: str,
    division: str = "330106",
    outcome: str | None = None,
    paid: str | None = None,
) -> CloudEvent:
    return event(
        "clue.status",
        clue_id,
        at,
        source="national",
        submitted_by="source:national",
        status=status,
        stage=[],
        outcome=outcome,
        amount_paid=paid,
        division=division,
        closed_at=at.isoformat() if status == "closed" else None,
    )
