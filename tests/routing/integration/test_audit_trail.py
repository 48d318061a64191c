"""The timeline is append-only in the database itself (issue 13): the service's role can read and
append, and nothing else (deploy/sql/seal_audit_trail.sql), and no one rewrites an entry while the
trigger stands, not even a superuser (330114)."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.routing.integration.flow import submit, wait_open
from tests.support.stack import DATABASE_NAME, DATABASE_URL, PG_PORT

DIVISION = "330114"
SUPERUSER_DATABASE = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{DATABASE_NAME}?ssl=disable"

#: What the service's role must not be able to do to the timeline, and a word of the refusal.
REFUSED = [
    ("update routing.timeline set actor = 'someone else' where clue_id = :clue_id", "permission denied"),
    ("delete from routing.timeline where clue_id = :clue_id", "permission denied"),
    ("truncate routing.timeline", "permission denied"),
    ("drop trigger timeline_append_only on routing.timeline", "must be owner"),
    ("alter table routing.timeline disable trigger timeline_append_only", "must be owner"),
    ("drop table routing.timeline", "must be owner"),
]


@pytest.fixture(scope="module")
async def clue_id() -> str:
    """A clue with a timeline: received, then its first task assigned."""
    clue_id = await submit(division=DIVISION)
    await wait_open(clue_id, [("verify", f"{DIVISION}.gov")])
    return clue_id


@pytest.fixture
async def service_role() -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(DATABASE_URL)
    yield engine
    await engine.dispose()


@pytest.fixture
async def superuser() -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(SUPERUSER_DATABASE)
    yield engine
    await engine.dispose()


async def entries(engine: AsyncEngine, clue_id: str) -> list[tuple[int, str, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("select seq, actor, hash from routing.timeline where clue_id = :clue_id order by seq"),
            {"clue_id": clue_id},
        )
    return [(row.seq, row.actor, row.hash) for row in rows]


@pytest.mark.parametrize(("statement", "refusal"), REFUSED, ids=[s.split(" on ")[0][:40] for s, _ in REFUSED])
async def test_the_service_role_cannot_rewrite_the_timeline(
    service_role: AsyncEngine, clue_id: str, statement: str, refusal: str
) -> None:
    before = await entries(service_role, clue_id)
    assert before, "the clue's timeline has entries"
    with pytest.raises(DBAPIError, match=refusal):
        async with service_role.begin() as connection:
            await connection.execute(text(statement), {"clue_id": clue_id})
    assert await entries(service_role, clue_id) == before


async def test_not_even_a_superuser_rewrites_an_entry_while_the_trigger_stands(
    superuser: AsyncEngine, clue_id: str
) -> None:
    before = await entries(superuser, clue_id)
    for statement in (
        "update routing.timeline set actor = 'someone else' where clue_id = :clue_id",
        "delete from routing.timeline where clue_id = :clue_id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with superuser.begin() as connection:
                await connection.execute(text(statement), {"clue_id": clue_id})
    assert await entries(superuser, clue_id) == before
