"""Routing's tables, all in the ``routing`` schema."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, MetaData, Numeric, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging import inbox_table, outbox_table

SCHEMA = "routing"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class ClueRow(Base):
    __tablename__ = "clues"

    clue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(String(100))
    division: Mapped[str] = mapped_column(String(6), index=True, doc="current division; moves on decisions")
    original_division: Mapped[str] = mapped_column(String(6))
    township: Mapped[str | None] = mapped_column(String(100))
    project_kind: Mapped[str | None] = mapped_column(String(20))
    emergency: Mapped[bool]
    flags: Mapped[list[str]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    workers: Mapped[int]
    amount_owed: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    snapshot: Mapped[dict[str, Any]] = mapped_column(
        JSONB, doc="the clue as received, personal data included"
    )
    lead_clue_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(40))
    amount_paid: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_status: Mapped[dict[str, Any] | None] = mapped_column(JSONB, doc="the last clue.status sent")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_agency_updated", "agency_id", "updated_at"),
        Index("ix_tasks_clue", "clue_id", "created_at"),
    )

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(30))
    agency_id: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    replaces_task_id: Mapped[str | None] = mapped_column(String(36))
    created_by_task_id: Mapped[str | None] = mapped_column(String(36))
    lineage_returns: Mapped[int] = mapped_column(
        default=0, doc="how often this task's predecessors were returned"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DisputeRow(Base):
    __tablename__ = "disputes"

    dispute_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    from_agency: Mapped[str] = mapped_column(String(40))
    suggested_agency: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    arbiter: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(20))
    decided_assignee: Mapped[str | None] = mapped_column(String(40))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    new_task_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seconds_in_dispute: Mapped[int | None]


class TimelineRow(Base):
    """The case timeline: append-only, each entry chained to the previous one by its hash."""

    __tablename__ = "timeline"
    __table_args__ = (UniqueConstraint("clue_id", "seq", name="uq_timeline_clue_seq"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    clue_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class DeadlineViewRow(Base):
    """Routing's copy of the deadlines that apply, fed by ``anxin.deadlines``."""

    __tablename__ = "deadline_views"

    deadline_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    rule: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(20))
    late: Mapped[bool]
    provisional: Mapped[bool]


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
