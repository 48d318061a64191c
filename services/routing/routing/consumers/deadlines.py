"""``anxin.deadlines``: the due dates routing shows with tasks and cases."""

from __future__ import annotations

from datetime import datetime

from routing.app.commands import RecordDeadline
from shared.events import CloudEvent


def deadline_changed(event: CloudEvent) -> RecordDeadline:
    data = event.data
    return RecordDeadline(
        deadline_id=data["deadline_id"],
        clue_id=data["clue_id"],
        task_id=data.get("task_id"),
        rule=data["rule"],
        due_at=datetime.fromisoformat(data["due_at"]),
        state=data["state"],
        late=bool(data.get("late")),
        provisional=bool(data.get("provisional")),
    )
