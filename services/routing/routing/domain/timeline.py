"""The tamper-evident case timeline (办理记录): each entry carries the hash of the previous one."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    actor: str
    action: str
    task_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    task_id: str | None,
    detail: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, seq, at.isoformat(), actor, action, task_id, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    entries: int
    broken_at: int | None
    problem: str | None


def verify_chain(entries: Sequence[Entry]) -> ChainCheck:
    """Recompute every hash in order; the first entry that does not match breaks the chain."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return ChainCheck(False, len(entries), entry.seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev:
            return ChainCheck(False, len(entries), entry.seq, "prev_hash does not match the previous entry")
        recomputed = entry_hash(
            prev_hash=entry.prev_hash,
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            task_id=entry.task_id,
            detail=entry.detail,
        )
        if recomputed != entry.hash:
            return ChainCheck(False, len(entries), entry.seq, "the entry's content does not match its hash")
        prev = entry.hash
    return ChainCheck(True, len(entries), None, None)


def next_entry(
    last: tuple[int, str] | None,
    *,
    at: datetime,
    actor: str,
    action: str,
    task_id: str | None,
    detail: dict[str, Any],
) -> Entry:
    """The entry that follows `last` (its seq and hash; None for a timeline's first), chained to it."""
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    digest = entry_hash(
        prev_hash=prev, seq=seq, at=at, actor=actor, action=action, task_id=task_id, detail=detail
    )
    return Entry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        task_id=task_id,
        detail=detail,
        prev_hash=prev,
        hash=digest,
    )
