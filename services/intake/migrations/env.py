"""Alembic environment of the intake service: its own schema only."""

from intake.store.tables import Base
from shared.migrations import run_migrations

run_migrations(Base.metadata)
