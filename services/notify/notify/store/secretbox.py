"""Webhook secrets at rest: AES-256-GCM under ``ANXIN_NOTIFY_SECRETS_KEY``, bound to the principal.

A stored value reads ``v1:<base64 nonce+ciphertext>``. The principal is the associated data, so a
value copied into another subscription's row does not open. Rows written before encryption hold the
plain ``whsec_...``; they still open, and the delivery worker seals them at start-up.
"""

import base64
import binascii
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notify.store.tables import SubscriptionRow

log = logging.getLogger(__name__)

PREFIX = "v1:"
LEGACY_PREFIX = "whsec_"
#: The fixed key of development mode; production refuses it (and refuses no key at all).
DEVELOPMENT_KEY = base64.urlsafe_b64encode(b"anxin-development-webhook-key-32").decode()


class SecretKeyError(ValueError):
    """The configured key is not 32 bytes of base64, or a stored secret does not open with it."""


def parse_key(value: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(value.strip() + "=" * (-len(value.strip()) % 4))
    except (binascii.Error, ValueError) as error:
        raise SecretKeyError("ANXIN_NOTIFY_SECRETS_KEY is not base64") from error
    if len(key) != 32:
        raise SecretKeyError(
            "ANXIN_NOTIFY_SECRETS_KEY must be 32 bytes in base64, e.g. "
            '`python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`'
        )
    return key


class SecretBox:
    """Seals and opens webhook secrets. The key is parsed on first use, so that a bad key in
    production is reported by the start-up check (exit code 3) rather than at import."""

    def __init__(self, key: str) -> None:
        self._key = key
        self._cipher: AESGCM | None = None

    @property
    def _aead(self) -> AESGCM:
        if self._cipher is None:
            self._cipher = AESGCM(parse_key(self._key))
        return self._cipher

    def seal(self, secret: str, *, principal: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, secret.encode(), principal.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, stored: str, *, principal: str) -> str:
        if stored.startswith(LEGACY_PREFIX):
            return stored
        if not stored.startswith(PREFIX):
            raise SecretKeyError(f"the stored secret of {principal} is in an unknown format")
        raw = base64.b64decode(stored.removeprefix(PREFIX))
        try:
            return self._aead.decrypt(raw[:12], raw[12:], principal.encode()).decode()
        except InvalidTag as error:
            raise SecretKeyError(f"the stored secret of {principal} does not open with this key") from error

    def open_optional(self, stored: str | None, *, principal: str) -> str | None:
        return None if stored is None else self.open(stored, principal=principal)


def is_sealed(stored: str | None) -> bool:
    return stored is None or stored.startswith(PREFIX)


async def seal_legacy_secrets(sessions: async_sessionmaker[AsyncSession], box: SecretBox) -> None:
    """Seal the secrets of rows written before secrets were sealed at rest (at start-up)."""
    legacy = or_(
        SubscriptionRow.secret.startswith(LEGACY_PREFIX),
        SubscriptionRow.previous_secret.startswith(LEGACY_PREFIX),
    )
    async with sessions.begin() as session:
        rows = (
            (await session.execute(select(SubscriptionRow).where(legacy).with_for_update())).scalars().all()
        )
        for row in rows:
            if not is_sealed(row.secret):
                row.secret = box.seal(row.secret, principal=row.principal)
            if row.previous_secret is not None and not is_sealed(row.previous_secret):
                row.previous_secret = box.seal(row.previous_secret, principal=row.principal)
    if rows:
        log.info("sealed the webhook secrets of %d subscriptions", len(rows))
