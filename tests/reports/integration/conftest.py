"""A database of the reports' own (<stack database>_reports), created for the session and dropped after.

The report tables are created from their SQLAlchemy metadata; each test module starts empty.
"""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from routing.reports.store.tables import metadata
from shared.db import make_engine, make_session_factory
from tests.support.stack import DATABASE_NAME, PG_PORT, SERVER_URL

DATABASE = f"{DATABASE_NAME}_reports"
SERVER = SERVER_URL
URL = f"postgresql+asyncpg://anxin:anxin@127.0.0.1:{PG_PORT}/{DATABASE}"


async def _recreate_database(*, drop_only: bool = False) -> None:
    server = create_async_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
            if not drop_only:
                await connection.execute(text(f"CREATE DATABASE {DATABASE} OWNER anxin"))
    finally:
        await server.dispose()


@pytest.fixture(scope="session")
async def reports_engine() -> AsyncIterator[AsyncEngine]:
    await _recreate_database()
    engine = make_engine(URL, pool_size=4)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE SCHEMA routing"))
    yield engine
    await engine.dispose()
    await _recreate_database(drop_only=True)


@pytest.fixture(scope="module")
async def sessions(reports_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Empty report tables for this module."""
    async with reports_engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.run_sync(metadata.create_all)
    return make_session_factory(reports_engine)
