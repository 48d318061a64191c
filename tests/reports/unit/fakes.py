"""In-memory fakes of the reports' ports: rows kept in dicts, figures answered from what a test gives."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from routing.reports.app.commands import (
    RecordClueReceived,
    RecordDeadline,
    RecordDisputeDecided,
    RecordDisputeOpened,
    RecordTaskAssigned,
    RecordTaskUpdated,
)
from routing.reports.domain.figures import Figures, GroupBy, Received
from routing.reports.domain.incidence import IncidenceBase
from routing.reports.domain.periods import Period
from routing.reports.domain.units import QuarterTallies

Row = dict[str, Any]


class FakeClues:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.refreshed: list[str] = []

    def _row(self, clue_id: str) -> Row:
        return self.rows.setdefault(clue_id, {"clue_id": clue_id, "emergency": False})

    async def record_received(self, clue: RecordClueReceived) -> None:
        row = self._row(clue.clue_id)
        lead = clue.lead_clue_id or row.get("lead_clue_id")
        row.update(asdict(clue), emergency=row["emergency"] or clue.emergency, lead_clue_id=lead)

    async def link(self, clue_id: str, lead_clue_id: str) -> None:
        self._row(clue_id)["lead_clue_id"] = lead_clue_id

    async def mark_emergency(self, clue_id: str) -> None:
        self._row(clue_id)["emergency"] = True

    async def record_status(
        self,
        clue_id: str,
        *,
        status: str,
        division: str,
        outcome: str | None,
        amount_paid: Decimal | None,
        closed_at: datetime | None,
    ) -> None:
        self._row(clue_id).update(
            status=status,
            status_division=division,
            outcome=outcome,
            amount_paid=amount_paid,
            closed_at=closed_at,
        )

    async def move(self, clue_id: str, division: str) -> None:
        self._row(clue_id)["status_division"] = division

    async def refresh(self, clue_id: str) -> None:
        self.refreshed.append(clue_id)


class FakeTasks:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.agencies: set[tuple[str, str]] = set()

    async def record_assigned(self, task: RecordTaskAssigned) -> None:
        self.rows.setdefault(task.task_id, asdict(task))["created_at"] = task.created_at
        self.agencies.add((task.clue_id, task.agency_id))

    async def record_progress(
        self, task: RecordTaskUpdated, *, done_at: datetime | None, resolved: bool | None, outcome: str | None
    ) -> None:
        row = self.rows.setdefault(task.task_id, {"task_id": task.task_id, "created_at": task.updated_at})
        row.update(state=task.state, done_at=done_at, resolved=resolved, outcome=outcome)


class FakeDeadlines:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    async def record(self, deadline: RecordDeadline) -> None:
        row = self.rows.setdefault(deadline.deadline_id, {"settled_at": None})
        row.update({k: v for k, v in asdict(deadline).items() if k != "met_at"})
        if deadline.met_at is not None:
            row["settled_at"] = deadline.met_at


class FakeDisputes:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    async def record_opened(self, dispute: RecordDisputeOpened) -> None:
        self.rows.setdefault(dispute.dispute_id, {"opened_at": dispute.opened_at, "decided_at": None})

    async def record_decided(self, dispute: RecordDisputeDecided) -> None:
        row = self.rows.setdefault(dispute.dispute_id, {"opened_at": dispute.decided_at})
        row["decided_at"] = dispute.decided_at


class FakeIncidenceBases:
    def __init__(self, bases: Sequence[IncidenceBase] = ()) -> None:
        self.rows = {(b.scope, b.division, b.name): b for b in bases}
        self.saved_at: list[datetime] = []

    async def save_all(self, bases: Sequence[IncidenceBase], *, now: datetime) -> None:
        self.rows |= {(b.scope, b.division, b.name): b for b in bases}
        self.saved_at.append(now)

    async def all(self) -> list[IncidenceBase]:
        return [self.rows[key] for key in sorted(self.rows)]


@dataclass
class FakeFigures:
    """Answers each period with what the test put there; records the questions asked."""

    summaries: dict[Period, dict[str, Figures]] = field(default_factory=dict)
    received_by_period: dict[Period, dict[str, Received]] = field(default_factory=dict)
    tallies: QuarterTallies = field(default_factory=lambda: QuarterTallies({}, {}, {}, {}))
    asked: list[tuple[str, Period, GroupBy | Period, str | None]] = field(default_factory=list)

    async def summary(self, period: Period, *, group_by: GroupBy, division: str | None) -> dict[str, Figures]:
        self.asked.append(("summary", period, group_by, division))
        return self.summaries.get(period, {})

    async def received(
        self, period: Period, *, group_by: GroupBy, division: str | None
    ) -> dict[str, Received]:
        self.asked.append(("received", period, group_by, division))
        return self.received_by_period.get(period, {})

    async def quarter_tallies(self, period: Period, *, earlier: Period) -> QuarterTallies:
        self.asked.append(("tallies", period, earlier, None))
        return self.tallies


class FakeUnitOfWork:
    def __init__(self, *, figures: FakeFigures | None = None, bases: Sequence[IncidenceBase] = ()) -> None:
        self.clues = FakeClues()
        self.tasks = FakeTasks()
        self.deadlines = FakeDeadlines()
        self.disputes = FakeDisputes()
        self.incidence_bases = FakeIncidenceBases(bases)
        self.figures = figures or FakeFigures()
