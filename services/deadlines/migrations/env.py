"""Alembic environment of the deadlines service: its own schema only."""

from deadlines.store.tables import Base
from shared.migrations import run_migrations

run_migrations(Base.metadata)
