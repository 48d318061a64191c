"""Field-level encryption of personal data in events (AES-256-GCM).

Only the services that show personal data (intake, which takes it, and routing, which shows it to
the holders of a clue) hold ``ANXIN_PERSONAL_DATA_KEY``. Intake seals each personal field of an
event's data into ``<field>_sealed`` before the event is written to its outbox (free text stays in
clear too, scrubbed of phone and ID numbers), so Kafka, its DLQs and every consumer without the key
see no personal data; the clue id is the associated data, so a sealed value copied onto another
clue does not open.
"""

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.masking import scrub

PREFIX = "v1:"
#: The fields of event data that carry personal data (names, phones, resident ID numbers).
PERSONAL_FIELDS = ("complainant",)
#: Free text: sealed in full for the key holders, and left in clear with phone and ID numbers masked.
FREE_TEXT_FIELDS = ("summary",)
SEALED_SUFFIX = "_sealed"
#: Development mode's fixed key; production refuses to start without a key of its own.
DEVELOPMENT_KEY = base64.urlsafe_b64encode(b"anxin-development-personal-key32").decode()


class SealingError(ValueError):
    """The key is not 32 bytes of base64, or a sealed value does not open with it."""


def parse_key(value: str, *, setting: str) -> bytes:
    text = value.strip()
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise SealingError(f"{setting} is not base64") from error
    if len(key) != 32:
        raise SealingError(
            f"{setting} must be 32 bytes in base64, e.g. "
            '`python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`'
        )
    return key


class Sealer:
    """Seals and opens strings under one key, each bound to a context (the associated data)."""

    def __init__(self, key: str, *, setting: str) -> None:
        self._aead = AESGCM(parse_key(key, setting=setting))
        self._setting = setting

    def seal(self, plain: str, *, context: str) -> str:
        nonce = os.urandom(12)
        return (
            PREFIX
            + base64.b64encode(nonce + self._aead.encrypt(nonce, plain.encode(), context.encode())).decode()
        )

    def open(self, sealed: str, *, context: str) -> str:
        if not sealed.startswith(PREFIX):
            raise SealingError(f"a value sealed under {self._setting} is in an unknown format")
        raw = base64.b64decode(sealed.removeprefix(PREFIX))
        try:
            return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag as error:
            raise SealingError(f"a value for {context} does not open with {self._setting}") from error


def seal_personal_fields(data: dict[str, Any], sealer: Sealer, *, clue_id: str) -> dict[str, Any]:
    """``data`` with each personal field replaced by ``<field>_sealed`` (absent ones stay absent)."""
    sealed = {k: v for k, v in data.items() if k not in PERSONAL_FIELDS}
    for name in (*PERSONAL_FIELDS, *FREE_TEXT_FIELDS):
        if data.get(name) is not None:
            sealed[name + SEALED_SUFFIX] = sealer.seal(
                json.dumps(data[name], ensure_ascii=False), context=clue_id
            )
    for name in FREE_TEXT_FIELDS:
        if isinstance(data.get(name), str):
            sealed[name] = scrub(data[name])
    return sealed


def open_personal_fields(data: dict[str, Any], sealer: Sealer, *, clue_id: str) -> dict[str, Any]:
    """The reverse of :func:`seal_personal_fields`."""
    opened = {k: v for k, v in data.items() if not k.endswith(SEALED_SUFFIX)}
    for name in (*PERSONAL_FIELDS, *FREE_TEXT_FIELDS):
        value = data.get(name + SEALED_SUFFIX)
        if value is not None:
            opened[name] = json.loads(sealer.open(value, context=clue_id))
    return opened
