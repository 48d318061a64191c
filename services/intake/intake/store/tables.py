"""Intake's tables, all in the ``intake`` schema."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Index, MetaData, Numeric, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging import inbox_table, outbox_table

SCHEMA = "intake"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class ClueRow(Base):
    __tablename__ = "clues"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_clues_source_external_id"),
        Index("ix_clues_matter", "division", "employer_key", "project_key", "status"),
        Index("ix_clues_employer_name", "division", "employer_name", "status"),
        Index("ix_clues_employer_uscc", "division", "employer_uscc", "status"),
    )

    clue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    submitted_by: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    submission: Mapped[dict[str, Any]] = mapped_column(JSONB)
    raw_body: Mapped[str] = mapped_column(Text, doc="the request body exactly as received, for audit")
    source_payload: Mapped[Any] = mapped_column(JSON, nullable=True, doc="json keeps the text verbatim")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    division: Mapped[str] = mapped_column(String(6))
    employer_key: Mapped[str] = mapped_column(String(300))
    project_key: Mapped[str] = mapped_column(String(500), doc="normalised project name, '' when none")
    employer_uscc: Mapped[str | None] = mapped_column(String(18), doc="for duplicate matching (rule 8)")
    employer_name: Mapped[str | None] = mapped_column(String(300), doc="normalised, for duplicate matching")
    link_reason: Mapped[str | None] = mapped_column(Text, doc="why it was linked to its lead (rule 8)")
    workers: Mapped[int]
    amount_owed: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    emergency: Mapped[bool]
    emergency_reasons: Mapped[list[str]] = mapped_column(JSONB)
    lead_clue_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20), default="received")
    stage: Mapped[list[str]] = mapped_column(JSONB, default=list)
    outcome: Mapped[str | None] = mapped_column(String(40))
    amount_paid: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class TaskHolderRow(Base):
    """Which agency holds or held a task on a clue, fed by ``task.*`` events from routing."""

    __tablename__ = "task_holders"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36), index=True)
    agency_id: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(20))
