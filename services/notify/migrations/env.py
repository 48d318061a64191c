"""Alembic environment of the notify service: its own schema only."""

from notify.store.tables import Base
from shared.migrations import run_migrations

run_migrations(Base.metadata)
