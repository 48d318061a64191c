"""Webhook secrets at rest: AES-256-GCM under ``ANXIN_NOTIFY_SECRETS_KEY``, bound to the principal.

A stored value reads ``v1:<base64 nonce+ciphertext>``. The principal is the associated data, so a
value copied into another subscription's row does not open. Rows written before encryption hold the
plain ``whsec_...``; they still open, and the delivery worker seals them at start-up
(notify.app.subscriptions.seal_legacy_secrets).
"""

import base64

from shared.sealing import PREFIX, Sealer, SealingError
from shared.sealing import parse_key as parse_sealing_key

LEGACY_PREFIX = "whsec_"
SETTING = "ANXIN_NOTIFY_SECRETS_KEY"
#: The fixed key of development mode; production refuses it (and refuses no key at all).
DEVELOPMENT_KEY = base64.urlsafe_b64encode(b"anxin-development-webhook-key-32").decode()

#: The key is not 32 bytes of base64, or a stored secret does not open with it.
SecretKeyError = SealingError


def parse_key(value: str) -> bytes:
    return parse_sealing_key(value, setting=SETTING)


class SecretBox:
    """Seals and opens webhook secrets (shared/sealing.py, the principal as associated data). The
    key is parsed on first use, so that a bad key in production is reported by the start-up check
    (exit code 3) rather than at import."""

    def __init__(self, key: str) -> None:
        self._key = key
        self._sealer: Sealer | None = None

    @property
    def _box(self) -> Sealer:
        if self._sealer is None:
            self._sealer = Sealer(self._key, setting=SETTING)
        return self._sealer

    def seal(self, secret: str, *, principal: str) -> str:
        return self._box.seal(secret, context=principal)

    def open(self, stored: str, *, principal: str) -> str:
        if stored.startswith(LEGACY_PREFIX):
            return stored
        return self._box.open(stored, context=principal)

    def open_optional(self, stored: str | None, *, principal: str) -> str | None:
        return None if stored is None else self.open(stored, principal=principal)


def is_sealed(stored: str | None) -> bool:
    return stored is None or stored.startswith(PREFIX)
