"""Cursor pagination for lists: newest first, ``{"items": [...], "next_cursor": ...}``."""

import base64
import json
import re
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.params import EARLIEST_MOMENT, LATEST_MOMENT, LINE_PATTERN, CursorQuery
from shared.problems import ProblemError

_KEY = re.compile(LINE_PATTERN)

T = TypeVar("T")
R = TypeVar("R", bound=Any)

Limit = Annotated[int, Query(ge=1, le=500, description="page size, at most 500")]
Cursor = CursorQuery


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, key: str) -> str:
    raw = json.dumps([created_at.isoformat(), key]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    bad = ProblemError(
        400, "Bad Cursor", "The cursor is not one this service issued; start again without it."
    )
    try:
        created_at, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        at = datetime.fromisoformat(created_at)
    except (ValueError, TypeError) as error:
        raise bad from error
    # A forged cursor must not carry to the database what no parameter may (shared.params).
    in_range = at.tzinfo is not None and EARLIEST_MOMENT <= at <= LATEST_MOMENT
    if not (in_range and isinstance(key, str) and len(key) <= 100 and _KEY.fullmatch(key)):
        raise bad
    return at, key


async def keyset_page(
    session: AsyncSession,
    query: Select[R],
    *,
    at: InstrumentedAttribute[datetime],
    key: InstrumentedAttribute[str],
    cursor: str | None,
    limit: int,
) -> tuple[list[R], str | None]:
    """One page of ``query``, newest ``at`` first (ties broken by ``key``), and the cursor of the next."""
    if cursor:
        cursor_at, cursor_key = decode_cursor(cursor)
        query = query.where(or_(at < cursor_at, and_(at == cursor_at, key < cursor_key)))
    rows = list((await session.execute(query.order_by(at.desc(), key.desc()).limit(limit + 1))).scalars())
    page = rows[:limit]
    if len(rows) <= limit:
        return page, None
    last = page[-1]
    return page, encode_cursor(getattr(last, at.key), getattr(last, key.key))
