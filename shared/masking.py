"""Masking of complainants' personal data (names, phones, resident ID numbers)."""

import re
from typing import Any

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str | None:
    """Keep the last four of eight or more characters, and the first three of eleven or more."""
    if not phone:
        return phone
    text = phone.strip()
    head = 3 if len(text) >= 11 else 0
    tail = 4 if len(text) >= 8 else 0
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def mask_id_number(id_number: str | None) -> str | None:
    if not id_number:
        return id_number
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_complainant(complainant: dict[str, str | None] | None) -> dict[str, str | None] | None:
    if complainant is None:
        return None
    return {
        "name": mask_name(complainant.get("name")),
        "phone": mask_phone(complainant.get("phone")),
        "id_number": mask_id_number(complainant.get("id_number")),
    }


def scrub(text: str) -> str:
    """Mask phone and ID numbers wherever they appear in free text (log lines)."""
    text = _ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


#: Keys of free-text fields in events and webhook payloads (a clue's summary, a task's note, a
#: return's or decision's reason): people write phone and ID numbers into them.
FREE_TEXT_KEYS = frozenset({"summary", "note", "reason", "why", "decision_note"})


def scrub_free_text(value: Any) -> Any:
    """``value`` with every free-text field, at any depth, scrubbed of phone and ID numbers."""
    if isinstance(value, dict):
        return {
            k: scrub(v) if k in FREE_TEXT_KEYS and isinstance(v, str) else scrub_free_text(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [scrub_free_text(v) for v in value]
    return value
