"""Principals and their keys (CONTRACT.md, Conventions: Principals and Authentication)."""

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from fastapi import Depends, Request

from shared.problems import ProblemError
from shared.settings import CommonSettings, Mode

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


def build_key_registry(settings: CommonSettings) -> KeyRegistry:
    """Development keys work only in development mode; production starts with none."""
    if settings.mode == Mode.DEVELOPMENT:
        return load_development_keys(settings.principals_file)
    return KeyRegistry()


def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ProblemError(401, "Unauthorized", "Send 'Authorization: Bearer <key>' with a known key.")
    registry: KeyRegistry = request.app.state.keys
    principal = registry.lookup(key.strip())
    if principal is None:
        raise ProblemError(401, "Unauthorized", "The key is not known. Check it, or ask an operator for one.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise ProblemError(403, "Forbidden", "Only the admin principal may do this.")
