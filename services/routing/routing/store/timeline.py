"""Reading the case timeline back as the domain's entries, for checking its hash chain."""

from routing.domain.timeline import Entry
from routing.store.tables import TimelineRow


def entry_of(row: TimelineRow) -> Entry:
    return Entry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        task_id=row.task_id,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
