"""Deadlines' tables, all in the ``deadlines`` schema."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Index, MetaData, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging import inbox_table, outbox_table

SCHEMA = "deadlines"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class DeadlineRow(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("clue_id", "rule", "scope", name="uq_deadlines_clue_rule_scope"),
        Index("ix_deadlines_open", "state", "provisional"),
    )

    deadline_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    scope: Mapped[str] = mapped_column(String(40), doc="'' for a clue's rule, else the first task's id")
    rule: Mapped[str] = mapped_column(String(40))
    agency_id: Mapped[str | None] = mapped_column(String(40), index=True)
    division: Mapped[str] = mapped_column(String(6))
    source: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    limit: Mapped[dict[str, Any]] = mapped_column(JSONB)
    last_day: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    provisional: Mapped[bool]
    state: Mapped[str] = mapped_column(String(20))
    late: Mapped[bool] = mapped_column(default=False)
    met_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    breached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    in_dispute_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dispute_seconds: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AlarmRow(Base):
    """The next moments at which deadlines announce something; the scheduler wakes at the earliest."""

    __tablename__ = "alarms"
    __table_args__ = (
        UniqueConstraint("deadline_id", "kind", name="uq_alarms_deadline_kind"),
        Index("ix_alarms_pending", "fire_at", postgresql_where=text("fired_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    deadline_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    fire_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClueRow(Base):
    """What deadlines knows of a clue, fed by intake's and routing's events."""

    __tablename__ = "clues"

    clue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    division: Mapped[str] = mapped_column(String(6))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lead_clue_id: Mapped[str | None] = mapped_column(String(36))
    submitted_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="received")


class TaskRow(Base):
    __tablename__ = "tasks"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    agency_id: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(20))


class CalendarYearRow(Base):
    """An official holiday schedule loaded by an operator for a year the library does not know."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    holidays: Mapped[dict[str, str]] = mapped_column(JSONB)
    workdays: Mapped[list[str]] = mapped_column(JSONB)
    loaded_by: Mapped[str] = mapped_column(String(100))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
