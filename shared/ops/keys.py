"""Production keys: issued once, stored hashed in the keys file (ANXIN_KEYS_FILE), revoked by id."""

import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from shared.auth import KeyEntry, Principal, hash_key, read_key_file


@dataclass(frozen=True)
class IssuedKey:
    entry: KeyEntry
    key: str  # shown once, never stored


def issue_key(path: Path, principal: Principal, *, now: datetime) -> IssuedKey:
    entries = read_key_file(path)
    taken = {entry.key_id for entry in entries}
    key_id = _new_key_id(taken)
    key = f"anxin_{key_id}_{secrets.token_urlsafe(32)}"
    entry = KeyEntry(principal=principal, key_id=key_id, sha256=hash_key(key), issued_at=now)
    write_key_file(path, [*entries, entry])
    return IssuedKey(entry=entry, key=key)


def list_keys(path: Path) -> list[KeyEntry]:
    return read_key_file(path)


def revoke_key(path: Path, key_id: str) -> KeyEntry:
    """Removes the key; services stop accepting it when they next reload the file."""
    entries = read_key_file(path)
    revoked = next((entry for entry in entries if entry.key_id == key_id), None)
    if revoked is None:
        raise LookupError(f"no key with id {key_id!r} in {path}")
    write_key_file(path, [entry for entry in entries if entry.key_id != key_id])
    return revoked


def write_key_file(path: Path, entries: list[KeyEntry]) -> None:
    """Replaces the file atomically, so a service never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Anxin production keys (sha256 of each key; the keys themselves are never stored).\n"
    text += yaml.safe_dump([entry.as_yaml() for entry in entries], sort_keys=False, allow_unicode=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_key_id(taken: set[str]) -> str:
    while True:
        key_id = "k" + secrets.token_hex(5)
        if key_id not in taken:
            return key_id
