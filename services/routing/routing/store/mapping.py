"""The domain's entities mapped onto routing's tables, so a session tracks the changes use cases make.

The tables stay as ``store.tables`` declares them; the mapping only lets ``Clue``, ``Task`` and
``Dispute`` be loaded and saved as they are (classical mapping: the domain imports nothing of it).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlalchemy.orm import registry

from routing.domain.case import Clue, Dispute, Task
from routing.store.tables import ClueRow, DeadlineViewRow, DisputeRow, TaskRow, TimelineRow

clues = cast(Table, ClueRow.__table__)
tasks = cast(Table, TaskRow.__table__)
disputes = cast(Table, DisputeRow.__table__)
timeline = cast(Table, TimelineRow.__table__)
deadline_views = cast(Table, DeadlineViewRow.__table__)

_mappers = registry()


def start_mappers() -> None:
    """Map the entities once per process (idempotent)."""
    if _mappers.mappers:
        return
    _mappers.map_imperatively(Clue, clues)
    _mappers.map_imperatively(Task, tasks)
    _mappers.map_imperatively(Dispute, disputes)
