"""The ports the use cases reach the read model through, grouped in one unit of work.

Members are read-only properties, so that a repository of a narrower type fits.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

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
from routing.reports.settings import ReportsSettings


class ReportClues(Protocol):
    """One row per clue, carrying the facts the reports count."""

    async def record_received(self, clue: RecordClueReceived) -> None: ...

    async def link(self, clue_id: str, lead_clue_id: str) -> None: ...

    async def mark_emergency(self, clue_id: str) -> None: ...

    async def record_status(
        self,
        clue_id: str,
        *,
        status: str,
        division: str,
        outcome: str | None,
        amount_paid: Decimal | None,
        closed_at: datetime | None,
    ) -> None: ...

    async def move(self, clue_id: str, division: str) -> None:
        """A dispute decision moved the clue to another division."""

    async def refresh(self, clue_id: str) -> None:
        """Recompute the clue's division, industry authority and the facts derived from its task and
        deadline rows (transfer, case, referrals), whichever order their events came in."""


class ReportTasks(Protocol):
    async def record_assigned(self, task: RecordTaskAssigned) -> None: ...

    async def record_progress(
        self, task: RecordTaskUpdated, *, done_at: datetime | None, resolved: bool | None, outcome: str | None
    ) -> None: ...


class ReportDeadlines(Protocol):
    async def record(self, deadline: RecordDeadline) -> None:
        """Its latest state; ``met_at``, once given, is kept."""


class ReportDisputes(Protocol):
    async def record_opened(self, dispute: RecordDisputeOpened) -> None: ...

    async def record_decided(self, dispute: RecordDisputeDecided) -> None: ...


class IncidenceBases(Protocol):
    async def save_all(self, bases: Sequence[IncidenceBase], *, now: datetime) -> None:
        """Upserts each base by (scope, division, name); bases not named are kept."""

    async def all(self) -> list[IncidenceBase]:
        """Ordered by scope, division and name."""


class ReportFigures(Protocol):
    """The counting queries: one indexed range scan per kind of fact."""

    async def summary(self, period: Period, *, group_by: GroupBy, division: str | None) -> dict[str, Figures]:
        """Figures per group key; ``division`` limits them to one division's clues."""

    async def received(
        self, period: Period, *, group_by: GroupBy, division: str | None
    ) -> dict[str, Received]: ...

    async def quarter_tallies(self, period: Period, *, earlier: Period) -> QuarterTallies:
        """Every unit's counts in ``period``, with clues received in ``earlier`` for growth."""


class UnitOfWork(Protocol):
    @property
    def clues(self) -> ReportClues: ...

    @property
    def tasks(self) -> ReportTasks: ...

    @property
    def deadlines(self) -> ReportDeadlines: ...

    @property
    def disputes(self) -> ReportDisputes: ...

    @property
    def incidence_bases(self) -> IncidenceBases: ...

    @property
    def figures(self) -> ReportFigures: ...


Transaction = Callable[[], AbstractAsyncContextManager[UnitOfWork]]
"""Opens a transaction and yields its unit of work; commits when the block ends without error."""


@dataclass(frozen=True)
class ReportsContext:
    """What the routes are given at startup (``app.state.reports``)."""

    transaction: Transaction
    settings: ReportsSettings
