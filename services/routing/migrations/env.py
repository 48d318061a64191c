"""Alembic environment of the routing service: its own schema only."""

from routing.store.tables import Base
from shared.migrations import run_migrations

run_migrations(Base.metadata)
