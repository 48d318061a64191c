"""Alembic environment of the routing service: its own schema only (workflow and reports tables)."""

from sqlalchemy import MetaData

from routing.reports.store.tables import metadata as reports_metadata
from routing.store.tables import Base
from shared.migrations import run_migrations

combined = MetaData(schema="routing")
for metadata in (Base.metadata, reports_metadata):
    for table in metadata.tables.values():
        table.to_metadata(combined)

run_migrations(combined)
