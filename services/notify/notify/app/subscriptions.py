"""A principal's webhook subscription: subscribe, read, rotate its secret, unsubscribe."""

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from notify.app.commands import Subscribe
from notify.app.ports import SecretBox, TargetCheck, UnitOfWork
from notify.domain.model import NOT_SENT_REMOVED, Subscription
from notify.domain.recipients import never_reaching
from notify.domain.urls import UrlRefused
from shared.auth import Principal
from shared.errors import InvalidError, NotFoundError
from shared.sealing import PREFIX as SEALED_PREFIX

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotatedSecret:
    secret: str
    previous_secret_valid_until: datetime


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32).replace("-", "+").replace("_", "/") + "="


async def subscribe(
    cmd: Subscribe, *, uow: UnitOfWork, now: datetime, secret_box: SecretBox, check_target: TargetCheck
) -> str:
    """The subscription's secret in clear: a new one, or the one it had (replacing keeps it)."""
    if unreachable := never_reaching(str(cmd.principal), cmd.events):
        raise InvalidError(
            [
                {
                    "field": "events",
                    "message": f"never delivered to {cmd.principal}: {', '.join(unreachable)}; subscribe "
                    "only to events that reach you (CONTRACT.md, Notify: Events and who receives them)",
                }
            ]
        )
    try:
        await check_target(cmd.url)
    except UrlRefused as error:
        raise InvalidError([{"field": "url", "message": str(error)}]) from error
    owner = str(cmd.principal)
    current = await uow.subscriptions.get(owner, lock=True)
    if current is None:
        secret = new_secret()
        sealed = secret_box.seal(secret, principal=owner)
        await uow.subscriptions.add(
            Subscription(principal=owner, url=cmd.url, events=list(cmd.events), secret=sealed)
        )
        return secret
    # The contract answers PUT with the secret; replacing a subscription keeps it.
    await uow.subscriptions.update(
        replace(
            current,
            url=cmd.url,
            events=list(cmd.events),
            disabled_at=None,
            disabled_reason=None,
            updated_at=now,
        )
    )
    return secret_box.open(current.secret, principal=owner)


async def read_subscription(principal: Principal, *, uow: UnitOfWork) -> Subscription:
    subscription = await uow.subscriptions.get(str(principal))
    if subscription is None:
        raise NotFoundError("subscription")
    return subscription


async def unsubscribe(principal: Principal, *, uow: UnitOfWork, now: datetime) -> None:
    """Remove it; its pending deliveries stay, as failed, to redeliver after subscribing again."""
    if not await uow.subscriptions.delete(str(principal)):
        raise NotFoundError("subscription")
    await uow.deliveries.hold_pending(str(principal), reason=NOT_SENT_REMOVED, now=now)


async def rotate_secret(
    principal: Principal, *, uow: UnitOfWork, now: datetime, overlap: timedelta, secret_box: SecretBox
) -> RotatedSecret:
    """A new secret; the old one keeps signing until the overlap ends."""
    current = await uow.subscriptions.get(str(principal), lock=True)
    if current is None:
        raise NotFoundError("subscription")
    secret, until = new_secret(), now + overlap
    await uow.subscriptions.update(
        replace(
            current,
            secret=secret_box.seal(secret, principal=str(principal)),
            previous_secret=current.secret,
            previous_secret_until=until,
            updated_at=now,
        )
    )
    return RotatedSecret(secret=secret, previous_secret_valid_until=until)


def is_legacy(stored: str | None) -> bool:
    """Stored in clear, before secrets were sealed at rest."""
    return stored is not None and not stored.startswith(SEALED_PREFIX)


async def seal_legacy_secrets(*, uow: UnitOfWork, secret_box: SecretBox) -> int:
    """Seal the secrets of subscriptions written before secrets were sealed (at start-up)."""
    legacy = await uow.subscriptions.with_legacy_secrets()
    for subscription in legacy:
        owner = subscription.principal
        previous = subscription.previous_secret
        await uow.subscriptions.update(
            replace(
                subscription,
                secret=secret_box.seal(subscription.secret, principal=owner)
                if is_legacy(subscription.secret)
                else subscription.secret,
                previous_secret=secret_box.seal(previous, principal=owner)
                if previous is not None and is_legacy(previous)
                else previous,
            )
        )
    if legacy:
        log.info("sealed the webhook secrets of %d subscriptions", len(legacy))
    return len(legacy)
