"""Cursor pagination for lists: newest first, ``{"items": [...], "next_cursor": ...}``."""

import base64
import json
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.problems import ProblemError

T = TypeVar("T")
R = TypeVar("R", bound=Any)

Limit = Annotated[int, Query(ge=1, le=500, description="page size, at most 500")]
Cursor = Annotated[str | None, Query(description="next_cursor from the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, key: str) -> str:
    raw = json.dumps([created_at.isoformat(), key]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created_at, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created_at), str(key)
    except (ValueError, TypeError) as error:
        raise ProblemError(
            400, "Bad Cursor", "The cursor is not one this service issued; start again without it."
        ) from error


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
