"""What of a clue's personal data a reader sees (CONTRACT.md, Who sees what). Pure.

Whoever sees the complainant masked also gets the source's own payload withheld (it may carry the
same personal data in any shape) and phone and ID numbers scrubbed from the free-text summary.
"""

from dataclasses import dataclass
from typing import Any

from shared.masking import mask_complainant, scrub


@dataclass(frozen=True)
class Disclosed:
    complainant: dict[str, Any] | None
    summary: str
    source_payload: Any
    source_payload_withheld: bool


def disclose(
    *, complainant: dict[str, Any] | None, summary: str, source_payload: Any, full_personal_data: bool
) -> Disclosed:
    if full_personal_data:
        return Disclosed(complainant, summary, source_payload, source_payload_withheld=False)
    return Disclosed(
        mask_complainant(complainant),
        scrub(summary),
        None,
        source_payload_withheld=source_payload is not None,
    )
