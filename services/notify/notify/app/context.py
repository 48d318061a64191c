"""What the HTTP adapters get from the composition root (``app.state.notify``)."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from notify.app.ports import SecretBox, TargetCheck, UnitOfWork
from notify.settings import NotifySettings


@dataclass(frozen=True)
class NotifyContext:
    settings: NotifySettings
    secret_box: SecretBox
    check_target: TargetCheck
    """Vets a subscription's URL as the worker will at send time."""
    transaction: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    """Opens a transaction and its unit of work; commits when the block ends without error."""
    after_commit: Callable[[], None]
    """Wakes the delivery worker."""
