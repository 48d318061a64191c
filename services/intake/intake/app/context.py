"""What the HTTP adapters get from the composition root (``app.state.intake``)."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta

from intake.app.ports import UnitOfWork
from intake.domain.model import EmergencyPolicy
from intake.settings import IntakeSettings
from shared.sealing import Sealer


@dataclass(frozen=True)
class IntakeContext:
    settings: IntakeSettings
    personal_data_sealer: Sealer | None
    transaction: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    """Opens a transaction and its unit of work; commits when the block ends without error."""
    after_commit: Callable[[], None]
    """Wakes the outbox relay."""

    @property
    def sealer(self) -> Sealer:
        assert self.personal_data_sealer is not None, "the runtime refuses to start without it"
        return self.personal_data_sealer

    @property
    def emergency_policy(self) -> EmergencyPolicy:
        return EmergencyPolicy(
            min_workers=self.settings.emergency_min_workers, min_amount=self.settings.emergency_min_amount
        )

    @property
    def duplicate_window(self) -> timedelta:
        return timedelta(days=self.settings.duplicate_window_days)

    @property
    def clock_skew(self) -> timedelta:
        return timedelta(seconds=self.settings.clock_skew_seconds)
