"""Pure intake rules: emergencies, duplicate matching and content fingerprints."""

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from intake.domain.model import EmergencyPolicy, Flag, MatterKey, OpenClue

_COMPANY_NOISE = re.compile(r"[\s\(\)（）【】\[\]·,，.。、\-_]")


def emergency_reasons(
    *, workers: int, amount_owed: Decimal, flags: frozenset[Flag], policy: EmergencyPolicy
) -> list[str]:
    """Why a clue triggers the emergency plan; empty when it does not (CONTRACT.md rule 7)."""
    reasons = []
    if workers >= policy.min_workers:
        reasons.append(f"workers {workers} >= {policy.min_workers}")
    if amount_owed >= policy.min_amount:
        reasons.append(f"amount_owed {amount_owed} >= {policy.min_amount}")
    if Flag.EXTREME_INCIDENT in flags:
        reasons.append("flag extreme_incident")
    return reasons


def normalise_name(name: str) -> str:
    """Fold width and case, drop spaces and punctuation: 'ＡＢＣ 建设(杭州)' == 'abc建设（杭州）'."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _COMPANY_NOISE.sub("", folded)


#: Longer normalised names are keyed by their digest, so keys fit their columns (NFKC can lengthen text).
MAX_KEY_NAME = 200


def name_key(name: str) -> str:
    """The normalised name, or a digest of it when too long for a key column."""
    normalised = normalise_name(name)
    if len(normalised) <= MAX_KEY_NAME:
        return normalised
    return "sha256:" + hashlib.sha256(normalised.encode()).hexdigest()


def matter_key(
    *, division: str, employer_name: str, employer_uscc: str | None, project_name: str | None
) -> MatterKey:
    """Same employer (USCC, else normalised name), same division, same project (normalised name)."""
    employer = f"uscc:{employer_uscc.upper()}" if employer_uscc else f"name:{name_key(employer_name)}"
    return MatterKey(division=division, employer=employer, project=name_key(project_name or ""))


def pick_lead(candidates: list[OpenClue], *, received_at: datetime, window: timedelta) -> OpenClue | None:
    """The earliest unfinished clue of the same matter received within the window, if any."""
    in_window = [c for c in candidates if abs(received_at - c.received_at) <= window]
    return min(in_window, key=lambda c: (c.received_at, c.clue_id), default=None)


def fingerprint(content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


#: Fields compared as what they mean rather than as text: an instant, an amount.
_INSTANTS = frozenset({"received_at"})
_AMOUNTS = frozenset({"amount_owed"})


def _as_value(path: str, value: object) -> object:
    """The value a submitted field stands for: ``+08:00`` and ``Z`` forms of one instant are equal,
    and so are ``"86000"`` and ``"86000.00"``."""
    try:
        if path in _INSTANTS and isinstance(value, str):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        if path in _AMOUNTS and isinstance(value, str | int):
            return Decimal(str(value))
    except (ValueError, ArithmeticError):
        return value
    return value


def differing_fields(stored: Mapping[str, Any], sent: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths where two submissions differ as values, for a 409 that says what changed."""
    paths = []
    for key in sorted(set(stored) | set(sent)):
        path = f"{prefix}{key}"
        a, b = stored.get(key), sent.get(key)
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            paths.extend(differing_fields(a, b, prefix=f"{path}."))
        elif _as_value(path, a) != _as_value(path, b):
            paths.append(path)
    return paths
