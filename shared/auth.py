"""Principals and their keys (CONTRACT.md, Conventions: Principals and Authentication)."""

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.limits import AbuseLimits
from shared.problems import ProblemError
from shared.settings import CommonSettings, Mode

log = logging.getLogger(__name__)

CITY_DIVISION = "330100"


class PrincipalKind(StrEnum):
    SOURCE = "source"
    AGENCY = "agency"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    name: str

    @classmethod
    def parse(cls, text: str) -> "Principal":
        if text == "admin":
            return cls(PrincipalKind.ADMIN, "admin")
        kind, sep, name = text.partition(":")
        if not sep or not name or kind not in {PrincipalKind.SOURCE, PrincipalKind.AGENCY}:
            raise ValueError(f"not a principal: {text!r} (expected source:<source>, agency:<id> or admin)")
        if kind == PrincipalKind.AGENCY and "." not in name:
            raise ValueError(f"not an agency id: {name!r} (expected <division>.<kind>)")
        return cls(PrincipalKind(kind), name)

    def __str__(self) -> str:
        return "admin" if self.kind == PrincipalKind.ADMIN else f"{self.kind}:{self.name}"

    @property
    def is_admin(self) -> bool:
        return self.kind == PrincipalKind.ADMIN

    @property
    def source(self) -> str | None:
        return self.name if self.kind == PrincipalKind.SOURCE else None

    @property
    def agency_id(self) -> str | None:
        return self.name if self.kind == PrincipalKind.AGENCY else None

    @property
    def division(self) -> str | None:
        return self.name.split(".", 1)[0] if self.kind == PrincipalKind.AGENCY else None

    @property
    def agency_kind(self) -> str | None:
        return self.name.split(".", 1)[1] if self.kind == PrincipalKind.AGENCY else None

    @property
    def is_office(self) -> bool:
        return self.agency_kind == "office"

    @property
    def is_city_office(self) -> bool:
        return self.name == f"{CITY_DIVISION}.office" and self.kind == PrincipalKind.AGENCY

    def oversees_division(self, division: str) -> bool:
        """Admin and the city office see everything; a division office sees its division."""
        return self.is_admin or self.is_city_office or (self.is_office and self.division == division)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyRegistry:
    """Maps key hashes to principals; keys themselves are never kept in memory."""

    def __init__(self, principals_by_hash: dict[str, Principal] | None = None) -> None:
        self._by_hash = dict(principals_by_hash or {})

    def add(self, key: str, principal: Principal) -> None:
        self._by_hash[hash_key(key)] = principal

    def lookup(self, key: str) -> Principal | None:
        wanted = hash_key(key)
        for known, principal in self._by_hash.items():
            if hmac.compare_digest(known, wanted):
                return principal
        return None

    def __len__(self) -> int:
        return len(self._by_hash)


def load_development_keys(path: Path) -> KeyRegistry:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    registry = KeyRegistry()
    for entry in entries:
        registry.add(str(entry["key"]), Principal.parse(str(entry["principal"])))
    return registry


@dataclass(frozen=True)
class KeyEntry:
    """One production key as the keys file stores it: its hash, never the key."""

    principal: Principal
    key_id: str
    sha256: str
    issued_at: datetime

    def as_yaml(self) -> dict[str, str]:
        return {
            "principal": str(self.principal),
            "key_id": self.key_id,
            "sha256": self.sha256,
            "issued_at": self.issued_at.isoformat(),
        }


def read_key_file(path: Path) -> list[KeyEntry]:
    """The entries of a keys file (ANXIN_KEYS_FILE); a missing file has none."""
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a YAML list of keys")
    result = []
    for entry in entries:
        sha256 = str(entry["sha256"]).lower()
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"{path}: key {entry.get('key_id')!r} has no valid sha256")
        issued_at = entry["issued_at"]
        if not isinstance(issued_at, datetime):
            issued_at = datetime.fromisoformat(str(issued_at))
        if issued_at.tzinfo is None:
            raise ValueError(f"{path}: key {entry.get('key_id')!r} has issued_at without an offset")
        result.append(
            KeyEntry(Principal.parse(str(entry["principal"])), str(entry["key_id"]), sha256, issued_at)
        )
    return result


class KeyFileRegistry(KeyRegistry):
    """Production keys from a hashed keys file, reloaded when the file changes.

    The file is checked at most every ``reload_seconds``, on lookup. A file that cannot be read
    keeps the keys loaded last, so a half-written Secret never locks everyone out."""

    def __init__(
        self, path: Path, *, reload_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.path = path
        self.reload_seconds = reload_seconds
        self._clock = clock
        self._signature: tuple[int, int, int] | None = None
        self._checked_at = clock()
        self._load(self._stat())

    def _stat(self) -> tuple[int, int, int]:
        info = self.path.stat()
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _load(self, signature: tuple[int, int, int]) -> None:
        entries = read_key_file(self.path)
        self._by_hash = {entry.sha256: entry.principal for entry in entries}
        self._signature = signature

    def _refresh(self) -> None:
        now = self._clock()
        if now - self._checked_at < self.reload_seconds:
            return
        self._checked_at = now
        try:
            signature = self._stat()
            if signature != self._signature:
                self._load(signature)
                log.info("keys file %s reloaded: %d keys", self.path, len(self._by_hash))
        except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as error:
            log.warning("keys file %s not reloaded, keeping the previous keys: %s", self.path, error)

    def lookup(self, key: str) -> Principal | None:
        self._refresh()
        return super().lookup(key)


def build_key_registry(settings: CommonSettings) -> KeyRegistry:
    """Development keys work only in development mode; production reads the hashed keys file."""
    if settings.mode == Mode.DEVELOPMENT:
        return load_development_keys(settings.principals_file)
    settings.check_production()
    assert settings.keys_file is not None  # check_production refuses a missing one
    return KeyFileRegistry(settings.keys_file, reload_seconds=settings.keys_reload_seconds)


#: The bearer scheme as OpenAPI declares it (Swagger UI's Authorize button); the check is ours, below.
bearer_key = HTTPBearer(
    scheme_name="bearer",
    description="A principal's key: `Authorization: Bearer <key>` (CONTRACT.md, Authentication)",
    auto_error=False,
)


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_key)]
) -> Principal:
    """The caller, by its key; 401 without a known one. An address that failed too often, and a key
    writing too fast, get 429 (shared/limits.py)."""
    limits: AbuseLimits | None = getattr(request.app.state, "limits", None)
    address = request.client.host if request.client is not None else "unknown"
    if limits is not None:
        limits.check_address(address)
    key = credentials.credentials.strip() if credentials is not None else ""
    registry: KeyRegistry = request.app.state.keys
    principal = registry.lookup(key) if key else None
    if principal is None:
        if limits is not None:
            limits.failed(address)
        if not key:
            raise ProblemError(401, "Unauthorized", "Send 'Authorization: Bearer <key>' with a known key.")
        raise ProblemError(401, "Unauthorized", "The key is not known. Check it, or ask an operator for one.")
    if limits is not None and request.method in WRITE_METHODS:
        limits.take_write(str(principal), principal.kind)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise ProblemError(403, "Forbidden", "Only the admin principal may do this.")
