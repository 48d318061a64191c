"""``anxin.intake``: new clues and clues linked to a lead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from routing.app.commands import LinkClue, ReceiveClue
from shared.consumer import PoisonMessage
from shared.events import CloudEvent
from shared.sealing import Sealer, SealingError, open_personal_fields


def clue_received(sealer: Sealer | None) -> Callable[[CloudEvent], ReceiveClue]:
    """The decoder of ``clue.received``: ``sealer`` opens the clue's personal data, which routing shows
    to the clue's holders (the runtime refuses to start without it)."""

    def decode(event: CloudEvent) -> ReceiveClue:
        if sealer is None:
            raise RuntimeError("routing runs without ANXIN_PERSONAL_DATA_KEY")
        try:
            data = open_personal_fields(event.data, sealer, clue_id=event.subject)
        except SealingError as error:
            raise PoisonMessage(f"{event.type} {event.id}: {error}") from error
        return receive_clue(data)

    return decode


def receive_clue(data: dict[str, Any]) -> ReceiveClue:
    project = data.get("project") or {}
    return ReceiveClue(
        clue_id=data["clue_id"],
        source=data["source"],
        submitted_by=data["submitted_by"],
        division=data["division"],
        township=data.get("township"),
        project_kind=project.get("kind"),
        emergency=bool(data.get("emergency")),
        flags=tuple(data.get("flags", [])),
        received_at=datetime.fromisoformat(data["received_at"]),
        workers=int(data["workers"]),
        amount_owed=Decimal(data["amount_owed"]),
        lead_clue_id=data.get("lead_clue_id"),
        snapshot=data,
    )


def clue_linked(event: CloudEvent) -> LinkClue:
    return LinkClue(clue_id=event.data["clue_id"], lead_clue_id=event.data["lead_clue_id"])
