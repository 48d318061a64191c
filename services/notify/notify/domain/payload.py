"""The webhook body (CONTRACT.md, Notify). Pure."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.masking import scrub_free_text

PERSONAL_FIELDS = frozenset({"complainant", "complainant_sealed"})
#: The contract's one representation of a moment: business time, +08:00.
BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def webhook_payload(
    *, event_type: str, time: datetime, data: Mapping[str, Any], subject: str
) -> dict[str, Any]:
    """``{"type", "timestamp", "data"}``; data always carries ``clue_id`` and never personal data:
    no complainant, and free text scrubbed of phone and ID numbers (also of events published before
    their producers scrubbed them)."""
    sent = scrub_free_text({k: v for k, v in data.items() if k not in PERSONAL_FIELDS})
    sent.setdefault("clue_id", subject)
    return {"type": event_type, "timestamp": time.astimezone(BUSINESS_TZ).isoformat(), "data": sent}
